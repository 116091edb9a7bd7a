import { Hono } from "hono";
import type { AppEnv, Deps } from "../core/context.ts";
import { listResponse } from "../core/responses.ts";
import { validate } from "../core/validation/validator.ts";
import { auditQuerySchema } from "./audit.schemas.ts";
import { type AuditRow, countAuditEntries, listAuditEntries } from "./audit.store.ts";

/** One audit row as the list shows it. */
export function auditView(row: AuditRow) {
  return {
    id: row.id,
    time: new Date(row.at).toISOString(),
    user_id: row.userId,
    user_type: row.userType,
    method: row.method,
    route_id: row.routeId,
    path: row.path,
    status: row.status,
    ...(row.childId != null && { child_id: row.childId }),
    request_id: row.requestId,
  };
}

/**
 * `GET /v1/audit` (docs/audit.md), mounted at `/v1/audit`: the audit trail, newest first,
 * filtered and paged, with the matching total in `X-Total-Count`. Access: admins only
 * (access/permissions.ts, AT1). There is no route that changes or deletes audit rows.
 */
export function auditRoutes({ db }: Deps) {
  return new Hono<AppEnv>().get("/", validate("query", auditQuerySchema), async (c) => {
    const { filter, page } = c.req.valid("query");
    const [rows, total] = await Promise.all([
      listAuditEntries(db, filter, page),
      countAuditEntries(db, filter),
    ]);
    return listResponse(c, rows.map(auditView), total);
  });
}
