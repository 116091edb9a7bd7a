import { and, eq, lt, notExists, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { wearableConnections, wearableNotifications } from "../../db/schema/index.ts";

/** Push notifications already acted on, so that a replayed delivery changes nothing. */

/** How long a notification's digest is remembered. */
export const NOTIFICATION_MEMORY_MS = 24 * 3_600_000;

const n = wearableNotifications;
const c = wearableConnections;

/**
 * Makes a child due for a sync now because of a notification, once per notification
 * (digest): a replay finds the digest and changes nothing. Not later than now, or exactly
 * now while a sync runs, so that the running sync leaves the child due (`finishSync`).
 * Atomic (one batch). Returns true when the child was marked.
 */
export async function markDueOnce(
  db: Database,
  input: { childId: string; digest: string; now: number },
): Promise<boolean> {
  const { childId, digest, now } = input;
  const seen = db.select({ one: sql`1` }).from(n).where(eq(n.digest, digest));
  const [marked] = await db.batch([
    db.update(c).set({
      nextSyncAt: sql`CASE WHEN ${c.syncLeaseUntil} > ${now} THEN ${now}
        ELSE min(${c.nextSyncAt}, ${now}) END`,
    }).where(and(eq(c.childId, childId), notExists(seen))).returning({ childId: c.childId }),
    db.insert(n).values({ digest, childId, receivedAt: now }).onConflictDoNothing(),
  ]);
  return marked.length > 0;
}

/** Forgets digests older than a day. */
export async function pruneNotifications(db: Database, now: number): Promise<void> {
  await db.delete(n).where(lt(n.receivedAt, now - NOTIFICATION_MEMORY_MS));
}
