import { and, desc, eq, gte, inArray, lt, lte, type SQL, sql } from "drizzle-orm";
import { type Database, type Executor, sqlRows } from "../db/client.ts";
import { auditLog } from "../db/schema/index.ts";

/** One audit row as recorded (the id and nothing else is added by the database). */
export type AuditEntry = Omit<typeof auditLog.$inferInsert, "id">;

/** A stored audit row. */
export type AuditRow = typeof auditLog.$inferSelect;

/** The filters of the audit list; every one is optional and they combine with AND. */
export interface AuditFilter {
  userId?: string;
  childId?: string;
  routeId?: string;
  /** Inclusive bounds on the answer time, epoch ms. */
  from?: number;
  to?: number;
}

/** One page of the list. */
export interface AuditPage {
  offset: number;
  limit: number;
}

/** Rows per INSERT (each is one JSON parameter, so this only bounds its size). */
export const AUDIT_INSERT_CHUNK = 500;

/**
 * One fixed statement for any number of rows: they travel as one JSON array read by
 * `json_each` in array order, so append order is the entries' order and the connection
 * prepares the statement once (a VALUES list would be new text for every batch size).
 */
const APPEND = `INSERT INTO audit_log
  (at, user_id, user_type, method, route_id, path, status, child_id, request_id)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5,
    value ->> 6, value ->> 7, value ->> 8
  FROM json_each(?) ORDER BY key`;

/** Appends entries (one statement per chunk, each atomic). */
export async function appendAuditEntries(db: Executor, entries: AuditEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += AUDIT_INSERT_CHUNK) {
    const rows = entries.slice(i, i + AUDIT_INSERT_CHUNK).map((e) => [
      e.at,
      e.userId,
      e.userType,
      e.method,
      e.routeId,
      e.path,
      e.status,
      e.childId ?? null,
      e.requestId,
    ]);
    await sqlRows(db, APPEND, [JSON.stringify(rows)]);
  }
}

function whereOf(filter: AuditFilter): SQL | undefined {
  const t = auditLog;
  return and(
    filter.userId === undefined ? undefined : eq(t.userId, filter.userId),
    filter.childId === undefined ? undefined : eq(t.childId, filter.childId),
    filter.routeId === undefined ? undefined : eq(t.routeId, filter.routeId),
    filter.from === undefined ? undefined : gte(t.at, filter.from),
    filter.to === undefined ? undefined : lte(t.at, filter.to),
  );
}

/** One page of matching rows, newest first (answer time, then append order). */
export async function listAuditEntries(
  db: Executor,
  filter: AuditFilter,
  page: AuditPage,
): Promise<AuditRow[]> {
  return await db.select().from(auditLog).where(whereOf(filter))
    .orderBy(desc(auditLog.at), desc(auditLog.id)).limit(page.limit).offset(page.offset);
}

/** How many rows match the filters. */
export async function countAuditEntries(db: Executor, filter: AuditFilter): Promise<number> {
  const [{ count }] = await db.select({ count: sql<number>`count(*)` }).from(auditLog)
    .where(whereOf(filter));
  return count;
}

/** Rows one prune statement deletes: short turns on the writer, so requests interleave. */
export const PRUNE_CHUNK = 1_000;

/**
 * Deletes the rows answered before `before` (epoch ms), oldest first, a chunk per
 * statement, pausing between chunks. The only deletion the audit trail knows.
 * Returns how many rows went.
 */
export async function pruneAuditEntries(db: Database, before: number): Promise<number> {
  let total = 0;
  for (;;) {
    const old = db.select({ id: auditLog.id }).from(auditLog).where(lt(auditLog.at, before))
      .orderBy(auditLog.at).limit(PRUNE_CHUNK);
    const deleted = await db.delete(auditLog).where(inArray(auditLog.id, old))
      .returning({ id: auditLog.id });
    total += deleted.length;
    if (deleted.length < PRUNE_CHUNK) return total;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
