import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The audit trail (docs/audit.md): one row per recorded request, appended and never
 * updated. Only the retention prune deletes rows. Rows hold ids and outcomes only:
 * never a token, a password, a body or a query string.
 */
export const auditLog = sqliteTable("audit_log", {
  /** Append order; AUTOINCREMENT so a pruned id is never handed out again. */
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** When the answer was given, epoch ms. */
  at: integer("at").notNull(),
  userId: text("user_id").notNull(),
  userType: text("user_type").notNull(),
  method: text("method").notNull(),
  /** The contract's route id (`TR2`, `AC40`), from the endpoint definition that answered. */
  routeId: text("route_id").notNull(),
  /** The request path (ids of the resource acted on), capped in length; no query string. */
  path: text("path").notNull(),
  status: integer("status").notNull(),
  /** The child the request was about, when it names or resolves to one. */
  childId: text("child_id"),
  /** The `X-Request-Id` of the answer, to find the request in the logs. */
  requestId: text("request_id").notNull(),
}, (t) => [
  index("audit_log_at_idx").on(t.at),
  index("audit_log_user_at_idx").on(t.userId, t.at),
  index("audit_log_child_at_idx").on(t.childId, t.at),
  index("audit_log_route_at_idx").on(t.routeId, t.at),
]);
