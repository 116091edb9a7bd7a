import {
  and,
  asc,
  count,
  eq,
  gt,
  inArray,
  isNull,
  lte,
  notExists,
  notInArray,
  or,
  sql,
} from "drizzle-orm";
import type { Executor } from "../../db/client.ts";
import { wearableCallBudgets, wearableConnections } from "../../db/schema/index.ts";

/** When children are due for a background sync, and claiming them. */

const c = wearableConnections;
const b = wearableCallBudgets;

/** Statuses the background sync skips: the grant needs a new authorization first. */
const NOT_SCHEDULED = ["invalid_token"];

/** Budget and schedule terms for finding due children. */
export interface DueQuery {
  provider: string;
  now: number;
  /** Start of the provider's current rate window. */
  windowStart: number;
  /** A child is due only if at most this many calls were used in the window. */
  maxUsedBefore: number;
}

const unleased = (now: number) => or(isNull(c.syncLeaseUntil), lte(c.syncLeaseUntil, now));

/** A child due for a background sync, with budget room for one sync. */
function due(db: Executor, query: DueQuery) {
  const busy = db.select({ one: sql`1` }).from(b).where(and(
    eq(b.provider, c.provider),
    eq(b.childId, c.childId),
    or(
      gt(b.blockedUntil, query.now),
      and(eq(b.windowStart, query.windowStart), gt(b.used, query.maxUsedBefore)),
    ),
  ));
  return and(
    eq(c.provider, query.provider),
    notInArray(c.status, NOT_SCHEDULED),
    lte(c.nextSyncAt, query.now),
    unleased(query.now),
    notExists(busy),
  );
}

/** How many children are due now. */
export async function countDue(db: Executor, query: DueQuery): Promise<number> {
  const [row] = await db.select({ n: count() }).from(c).where(due(db, query));
  return row.n;
}

/**
 * Claims up to `limit` due children (oldest due first) with one conditional UPDATE, so
 * two schedulers never claim the same child.
 */
export async function claimDue(
  db: Executor,
  query: DueQuery & { owner: string; until: number; limit: number },
): Promise<string[]> {
  const candidates = db.select({ childId: c.childId }).from(c).where(due(db, query))
    .orderBy(asc(c.nextSyncAt)).limit(query.limit);
  const rows = await db.update(c)
    .set({ syncLeaseOwner: query.owner, syncLeaseUntil: query.until })
    .where(and(inArray(c.childId, candidates), unleased(query.now)))
    .returning({ childId: c.childId });
  return rows.map((row) => row.childId);
}

/** Postpones a child's next background sync (e.g. until its rate window resets). */
export async function postponeSync(db: Executor, childId: string, until: number): Promise<void> {
  await db.update(c).set({ nextSyncAt: until }).where(eq(c.childId, childId));
}
