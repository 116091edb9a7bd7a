import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.ts";
import { wearableConnections } from "../../db/schema/index.ts";
import type { TokenSet } from "../provider.ts";
import type { ConnectionRow } from "./connections.ts";

/**
 * Leases on a connection: the refresh lease (single-flight across processes, for
 * single-use refresh tokens) and the sync lease (one sync per child at a time).
 */

const c = wearableConnections;

/**
 * Claims the refresh of token version `version`: succeeds only if nobody refreshed it
 * since (the version still matches) and no live lease is held.
 */
export async function claimRefreshLease(
  db: Executor,
  input: { childId: string; version: number; owner: string; now: number; until: number },
): Promise<boolean> {
  const rows = await db.update(c)
    .set({ refreshLeaseOwner: input.owner, refreshLeaseUntil: input.until })
    .where(and(
      eq(c.childId, input.childId),
      eq(c.tokenVersion, input.version),
      or(isNull(c.refreshLeaseUntil), lte(c.refreshLeaseUntil, input.now)),
    ))
    .returning({ childId: c.childId });
  return rows.length > 0;
}

/**
 * Persists a refreshed pair in one statement, only while the lease is still ours and the
 * version unchanged; returns the new row, or undefined when the connection was revoked,
 * replaced or re-leased meanwhile.
 */
export async function saveRefreshed(
  db: Executor,
  input: {
    childId: string;
    version: number;
    owner: string;
    sealed: string;
    tokens: TokenSet;
    now: number;
  },
): Promise<ConnectionRow | undefined> {
  const rows = await db.update(c).set({
    tokens: input.sealed,
    expiresAt: input.tokens.expiresAt,
    scope: input.tokens.scope,
    externalUserId: input.tokens.externalUserId,
    status: "valid_token",
    tokenVersion: input.version + 1,
    refreshLeaseOwner: null,
    refreshLeaseUntil: null,
    updatedAt: input.now,
  }).where(and(
    eq(c.childId, input.childId),
    eq(c.tokenVersion, input.version),
    eq(c.refreshLeaseOwner, input.owner),
  )).returning();
  return rows[0];
}

/** Gives a refresh lease back after a failed refresh. */
export async function releaseRefreshLease(
  db: Executor,
  childId: string,
  owner: string,
): Promise<void> {
  await db.update(c).set({ refreshLeaseOwner: null, refreshLeaseUntil: null })
    .where(and(eq(c.childId, childId), eq(c.refreshLeaseOwner, owner)));
}

/** Claims the right to sync a child now; false while another sync holds it. */
export async function claimSyncLease(
  db: Executor,
  input: { childId: string; owner: string; now: number; until: number },
): Promise<boolean> {
  const rows = await db.update(c)
    .set({ syncLeaseOwner: input.owner, syncLeaseUntil: input.until })
    .where(and(
      eq(c.childId, input.childId),
      or(
        isNull(c.syncLeaseUntil),
        lte(c.syncLeaseUntil, input.now),
        eq(c.syncLeaseOwner, input.owner),
      ),
    ))
    .returning({ childId: c.childId });
  return rows.length > 0;
}

/** How a finished sync ended, as the connection remembers it. */
export interface FinishedOutcome {
  /** `ok`, `no_data` or the provider failure's kind. */
  kind: string;
  /** When it ended, epoch ms. */
  at: number;
}

/**
 * Ends a sync: releases the lease, sets the next due time, what the sync learnt and how it
 * ended (`ok` and `no_data` are successes: they set the last success and whether it found
 * data; a failure leaves both). A push notification that made the child due while it
 * synced (`next_sync_at` moved away from `dueAtStart`) keeps it due.
 */
export async function finishSync(
  db: Executor,
  input: {
    childId: string;
    owner: string;
    /** `next_sync_at` as the sync found it. */
    dueAtStart: number;
    nextSyncAt: number;
    lastSync?: number;
    timeZone?: string;
    outcome?: FinishedOutcome;
  },
): Promise<void> {
  const { outcome } = input;
  const success = outcome?.kind === "ok" || outcome?.kind === "no_data";
  await db.update(c).set({
    syncLeaseOwner: null,
    syncLeaseUntil: null,
    nextSyncAt: sql`CASE WHEN ${c.nextSyncAt} = ${input.dueAtStart} THEN ${input.nextSyncAt}
      ELSE ${c.nextSyncAt} END`,
    ...(input.lastSync !== undefined && { lastSync: input.lastSync }),
    ...(input.timeZone !== undefined && { timeZone: input.timeZone }),
    ...(outcome && { lastOutcome: outcome.kind, lastOutcomeAt: outcome.at }),
    ...(outcome && success &&
      { lastSuccessAt: outcome.at, noData: outcome.kind === "no_data" }),
  }).where(and(eq(c.childId, input.childId), eq(c.syncLeaseOwner, input.owner)));
}
