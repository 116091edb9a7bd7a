import type { Hono } from "hono";
import type { AppEnv, Deps } from "../../core/context.ts";
import { userResourceRoutes } from "../users/users.resource.ts";
import type { ProfessionalKind } from "./professionals.kinds.ts";
import { professionalSchemas } from "./professionals.schemas.ts";
import {
  insertProfessional,
  professionalViews,
  updateProfessional,
} from "./professionals.store.ts";

/**
 * `/v1/educators` or `/v1/healthprofessionals` (account.md §7). Access rules: see
 * access/permissions.ts.
 */
export function professionalRoutes(deps: Deps, kind: ProfessionalKind): Hono<AppEnv> {
  const schemas = professionalSchemas(kind);
  return userResourceRoutes(deps, {
    type: kind.type,
    label: kind.label,
    idParam: kind.idParam,
    create: schemas.create,
    update: schemas.update,
    references: (body) => ({ username: body.username, institutionId: body.institution_id }),
    insert: (tx, body, hash, now) => insertProfessional(tx, kind, body, hash, now),
    applyChanges: updateProfessional,
    views: professionalViews,
  });
}
