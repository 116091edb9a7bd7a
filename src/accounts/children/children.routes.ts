import type { AppEnv, Deps } from "../../core/context.ts";
import { errors } from "../../core/errors.ts";
import { pathParam } from "../../core/responses.ts";
import { Status } from "../../core/status.ts";
import { userResourceRoutes } from "../users/users.resource.ts";
import { childSchemas } from "./children.schemas.ts";
import { childView, findChildByNfcTag, insertChild, updateChild } from "./children.store.ts";
import type { Hono } from "hono";

/**
 * `/v1/children` (account.md §6): register, list, read, update, and find by NFC tag.
 * Access rules: see access/permissions.ts (the NFC lookup applies R-CHILD-PROFILE to the
 * child it finds). The Fitbit and NFC fields are never written through these routes.
 */
export function childRoutes(deps: Deps): Hono<AppEnv> {
  const schemas = childSchemas(deps.now);
  return userResourceRoutes(deps, {
    type: "child",
    label: "Child",
    idParam: "child_id",
    create: schemas.create,
    update: schemas.update,
    references: (body) => ({ username: body.username, institutionId: body.institution_id }),
    insert: insertChild,
    applyChanges: updateChild,
    views: (_db, rows) => Promise.resolve(rows.map(childView)),
  }).get("/nfc/:nfc_tag", async (c) => {
    const row = await findChildByNfcTag(deps.db, pathParam(c, "nfc_tag"));
    if (!row) throw errors.notFound("Child");
    return c.json(childView(row), Status.OK);
  });
}
