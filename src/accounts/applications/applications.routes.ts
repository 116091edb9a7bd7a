import type { Hono } from "hono";
import type { AppEnv, Deps } from "../../core/context.ts";
import { userResourceRoutes } from "../users/users.resource.ts";
import { createApplicationBody, updateApplicationBody } from "./applications.schemas.ts";
import { applicationView, insertApplication, updateApplication } from "./applications.store.ts";

/** `/v1/applications` (account.md §10). Access rules: see access/permissions.ts. */
export function applicationRoutes(deps: Deps): Hono<AppEnv> {
  return userResourceRoutes(deps, {
    type: "application",
    label: "Application",
    idParam: "application_id",
    create: createApplicationBody,
    update: updateApplicationBody,
    references: (body) => ({ username: body.username, institutionId: body.institution_id }),
    insert: insertApplication,
    applyChanges: updateApplication,
    views: (_db, rows) => Promise.resolve(rows.map(applicationView)),
  });
}
