import { z } from "zod";
import { adminOnly } from "../access/rules.ts";
import { defineEndpoint, list, named } from "../api/endpoint.ts";
import { HEX_ID } from "../core/ids.ts";
import { listResponse } from "../core/responses.ts";
import { AUDIT_QUERY_PARAMETERS, auditQuerySchema, unknownRouteId } from "./audit.schemas.ts";
import { type AuditRow, countAuditEntries, listAuditEntries } from "./audit.store.ts";

const hexId = z.string().regex(HEX_ID);

/** One audit row as the list shows it. */
export const auditEntrySchema = z.strictObject({
  id: z.number().int(),
  time: z.iso.datetime(),
  user_id: hexId,
  user_type: z.string(),
  method: z.string(),
  route_id: z.string(),
  path: z.string(),
  status: z.number().int(),
  child_id: hexId.optional(),
  request_id: z.string(),
});

/** One audit row as the list shows it. */
export function auditView(row: AuditRow): z.infer<typeof auditEntrySchema> {
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
 * `GET /v1/audit` (docs/audit.md): the audit trail, newest first, filtered and paged,
 * with the matching total in `X-Total-Count`. There is no route that changes or deletes
 * audit rows.
 */
export const auditEndpoints = [
  defineEndpoint({
    method: "GET",
    path: "/v1/audit",
    id: "AT1",
    operationId: "listAuditEntries",
    summary: "List the audit trail: who did what to which child, and when",
    description: "Every write and every read of a child's data is recorded once answered. " +
      "Unlike the other lists, `X-Total-Count` counts the rows matching the filters, and " +
      "unknown query keys are refused.",
    tag: "Audit",
    // No scope of its own (tokens keep the original's scope lists): only admins hold
    // `users:delete`, and the rule checks the type as well.
    access: { scopes: ["users:delete"], rule: adminOnly },
    query: { schema: auditQuerySchema, parameters: AUDIT_QUERY_PARAMETERS },
    responses: {
      200: list("A page of audit rows, newest first.", named("AuditEntry", auditEntrySchema)),
    },
    handler: async ({ c, deps: { db }, query: { filter, page }, endpoints }) => {
      if (filter.routeId !== undefined && !endpoints.some((e) => e.id === filter.routeId)) {
        throw unknownRouteId();
      }
      const [rows, total] = await Promise.all([
        listAuditEntries(db, filter, page),
        countAuditEntries(db, filter),
      ]);
      return listResponse(c, rows.map(auditView), total);
    },
  }),
];
