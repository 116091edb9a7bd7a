import { and, desc, eq, gte, inArray, lt, lte, type SQL, sql } from "drizzle-orm";
import type { Database, Executor } from "../db/client.ts";
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

/** Rows per INSERT: 10 columns each stays far below SQLite's bound-parameter limit. */
export const AUDIT_INSERT_CHUNK = 500;

/** Appends entries (one statement per chunk, each atomic). */
export async function appendAuditEntries(db: Executor, entries: AuditEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += AUDIT_INSERT_CHUNK) {
    await db.insert(auditLog).values(entries.slice(i, i + AUDIT_INSERT_CHUNK));
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
