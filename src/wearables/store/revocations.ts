import { and, asc, count, eq, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { newId } from "../../core/ids.ts";
import type { Database, Executor } from "../../db/client.ts";
import {
  wearableAuthStates,
  wearableConnections,
  wearableRevocations,
} from "../../db/schema/index.ts";
import { childStatusStatement } from "./children.ts";
import type { ConnectionRow } from "./connections.ts";

/** The queue of remote revocations (tokens already forgotten locally). */

/** A queued remote revocation. */
export type RevocationRow = typeof wearableRevocations.$inferSelect;

const r = wearableRevocations;

/**
 * Queues the remote revocation of a connection's grant, due at `dueAt` (default: now,
 * i.e. at once).
 */
export async function queueRevocation(
  tx: Executor,
  connection: Pick<ConnectionRow, "provider" | "childId" | "tokens" | "expiresAt">,
  now: number,
  options: { dueAt?: number; lease?: { owner: string; until: number } } = {},
): Promise<string> {
  const id = newId(now);
  const lease = options.lease;
  await tx.insert(r).values({
    id,
    provider: connection.provider,
    childId: connection.childId,
    tokens: connection.tokens,
    expiresAt: connection.expiresAt,
    state: "pending",
    attempts: 0,
    nextAttemptAt: options.dueAt ?? now,
    leaseOwner: lease?.owner ?? null,
    leaseUntil: lease?.until ?? null,
    createdAt: now,
  });
  return id;
}

/**
 * The revocation entry for the grant of the connections matching `where` (for INSERT …
 * SELECT: every column, in the table's order), due at once.
 */
export function revocationOfConnection(
  db: Executor,
  input: {
    id: string;
    now: number;
    where: SQL | undefined;
    lease?: { owner: string; until: number };
  },
) {
  const c = wearableConnections;
  const { id, now, lease } = input;
  return db.select({
    id: sql<string>`${id}`.as("id"),
    provider: c.provider,
    childId: c.childId,
    tokens: c.tokens,
    expiresAt: c.expiresAt,
    state: sql<string>`'pending'`.as("state"),
    attempts: sql<number>`0`.as("attempts"),
    nextAttemptAt: sql<number>`${now}`.as("next_attempt_at"),
    lastAttemptAt: sql<number | null>`NULL`.as("last_attempt_at"),
    leaseOwner: sql<string | null>`${lease?.owner ?? null}`.as("lease_owner"),
    leaseUntil: sql<number | null>`${lease?.until ?? null}`.as("lease_until"),
    lastError: sql<string | null>`NULL`.as("last_error"),
    createdAt: sql<number>`${now}`.as("created_at"),
  }).from(c).where(input.where);
}

/**
 * Forgets a child's connection at once and queues its remote revocation, atomically (one
 * batch): the child's `fitbit_status` becomes `none` and pending authorizations end.
 * Returns the queued revocation (leased to `owner` for an immediate attempt), or
 * undefined when the child had no connection.
 */
export async function forgetConnection(
  db: Database,
  input: { childId: string; now: number; owner: string; until: number },
): Promise<RevocationRow | undefined> {
  const { childId, now, owner, until } = input;
  const id = newId(now);
  const c = wearableConnections;
  const grant = revocationOfConnection(db, {
    id,
    now,
    where: eq(c.childId, childId),
    lease: { owner, until },
  });
  await db.batch([
    db.insert(r).select(grant),
    db.delete(c).where(eq(c.childId, childId)),
    db.delete(wearableAuthStates).where(eq(wearableAuthStates.childId, childId)),
    childStatusStatement(db, childId, "none"),
  ]);
  const [row] = await db.select().from(r).where(eq(r.id, id));
  return row;
}

/** Claims up to `limit` due pending revocations. */
export async function claimDueRevocations(
  db: Executor,
  input: { owner: string; now: number; until: number; limit: number },
): Promise<RevocationRow[]> {
  const unleased = or(isNull(r.leaseUntil), lte(r.leaseUntil, input.now));
  const due = db.select({ id: r.id }).from(r)
    .where(and(eq(r.state, "pending"), lte(r.nextAttemptAt, input.now), unleased))
    .orderBy(asc(r.nextAttemptAt)).limit(input.limit);
  return await db.update(r).set({ leaseOwner: input.owner, leaseUntil: input.until })
    .where(and(inArray(r.id, due), unleased)).returning();
}

/** Removes a confirmed revocation. */
export async function completeRevocation(db: Executor, id: string): Promise<void> {
  await db.delete(r).where(eq(r.id, id));
}

/** Records a failed attempt and when to try again. */
export async function retryRevocationLater(
  db: Executor,
  input: { id: string; owner: string; now: number; nextAttemptAt: number; error: string },
): Promise<void> {
  await db.update(r).set({
    attempts: sql`${r.attempts} + 1`,
    nextAttemptAt: input.nextAttemptAt,
    lastAttemptAt: input.now,
    leaseOwner: null,
    leaseUntil: null,
    lastError: input.error,
  }).where(and(eq(r.id, input.id), eq(r.leaseOwner, input.owner)));
}

/**
 * Gives a revocation up after its last allowed attempt: it stays, `failed` and without
 * its tokens (useless now, and a secret kept for nothing), for admins to see.
 */
export async function giveUpRevocation(
  db: Executor,
  input: { id: string; owner: string; now: number; error: string },
): Promise<void> {
  await db.update(r).set({
    state: "failed",
    tokens: "",
    attempts: sql`${r.attempts} + 1`,
    lastAttemptAt: input.now,
    leaseOwner: null,
    leaseUntil: null,
    lastError: input.error,
  }).where(and(eq(r.id, input.id), eq(r.leaseOwner, input.owner)));
}

/** Revocations still waiting for the provider, or given up (all children), oldest first. */
export async function listRevocations(
  db: Executor,
  state?: "pending" | "failed",
): Promise<RevocationRow[]> {
  return await db.select().from(r).where(state ? eq(r.state, state) : undefined)
    .orderBy(asc(r.createdAt), asc(r.id));
}

/** How many revocations are pending and how many failed (for metrics). */
export async function revocationCounts(db: Executor): Promise<{ pending: number; failed: number }> {
  const rows = await db.select({ state: r.state, n: count() }).from(r).groupBy(r.state);
  const of = (state: string) => rows.find((row) => row.state === state)?.n ?? 0;
  return { pending: of("pending"), failed: of("failed") };
}
