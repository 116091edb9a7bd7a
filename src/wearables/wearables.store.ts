import { and, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { newId } from "../core/ids.ts";
import type { Database, Executor, Transaction } from "../db/client.ts";
import {
  users,
  wearableAuthStates,
  wearableCallBudgets,
  wearableConnections,
  wearableRevocations,
  wearableSyncedItems,
} from "../db/schema/index.ts";
import type { ProviderId, TokenSet } from "./provider.ts";
import type { DataCipher } from "./secrets.ts";

/** A stored connection row. */
export type ConnectionRow = typeof wearableConnections.$inferSelect;
/** A queued remote revocation. */
export type RevocationRow = typeof wearableRevocations.$inferSelect;
/** A pending authorization. */
export type AuthStateRow = typeof wearableAuthStates.$inferSelect;

/** The child-side statuses (account.md §6.7, `users.fitbit_status`). */
export type ChildFitbitStatus =
  | "none"
  | "valid_token"
  | "expired_token"
  | "invalid_token"
  | "invalid_grant"
  | "invalid_client"
  | "rate_limit";

// ---------------------------------------------------------------------------
// Sealed tokens. The context binds a sealed pair to its provider and child, and is the
// same on the connection and on a queued revocation, so a pair moves between the two
// (the deletion cascade does so inside a transaction, without the key).

const tokenContext = (provider: string, childId: string) => `tokens:${provider}:${childId}`;

/** Seals a token pair for storage. */
export async function sealTokens(
  cipher: DataCipher,
  provider: string,
  childId: string,
  tokens: TokenSet,
): Promise<string> {
  return await cipher.seal(
    JSON.stringify({ access_token: tokens.accessToken, refresh_token: tokens.refreshToken }),
    tokenContext(provider, childId),
  );
}

/** The token set of a connection or revocation row. */
export async function openTokens(
  cipher: DataCipher,
  row: {
    provider: string;
    childId: string;
    tokens: string;
    expiresAt: number;
    scope?: string;
    externalUserId?: string;
  },
): Promise<TokenSet> {
  const pair = JSON.parse(await cipher.open(row.tokens, tokenContext(row.provider, row.childId)));
  return {
    accessToken: pair.access_token,
    refreshToken: pair.refresh_token,
    expiresAt: row.expiresAt,
    scope: row.scope ?? "",
    externalUserId: row.externalUserId ?? "",
  };
}

// ---------------------------------------------------------------------------
// Connections.

/** The child's connection, if any. */
export async function findConnection(
  db: Executor,
  childId: string,
): Promise<ConnectionRow | undefined> {
  const rows = await db.select().from(wearableConnections)
    .where(eq(wearableConnections.childId, childId)).limit(1);
  return rows[0];
}

/**
 * Stores a new token pair for a child, replacing any connection it had (the log window
 * restarts at 12 months, and the scheduler may sync it at once). When the replaced
 * connection belonged to another provider account, its grant is queued for revocation.
 * Atomic: one batch (a single turn of the database's writer, like a transaction).
 */
export async function replaceConnection(
  db: Database,
  input: { childId: string; provider: ProviderId; sealed: string; tokens: TokenSet; now: number },
): Promise<void> {
  const { childId, provider, sealed, tokens, now } = input;
  await db.batch([
    db.run(sql`INSERT INTO wearable_revocations
      (id, provider, child_id, tokens, expires_at, attempts, next_attempt_at, created_at)
      SELECT ${newId(now)}, provider, child_id, tokens, expires_at, 0, ${now}, ${now}
      FROM wearable_connections
      WHERE child_id = ${childId} AND (provider <> ${provider} OR external_user_id <> ${tokens.externalUserId})`),
    db.run(sql`INSERT INTO wearable_connections (child_id, provider, external_user_id, tokens,
        scope, expires_at, status, token_version, next_sync_at, created_at, updated_at)
      VALUES (${childId}, ${provider}, ${tokens.externalUserId}, ${sealed}, ${tokens.scope},
        ${tokens.expiresAt}, 'valid_token', 1, ${now}, ${now}, ${now})
      ON CONFLICT (child_id) DO UPDATE SET provider = excluded.provider,
        external_user_id = excluded.external_user_id, tokens = excluded.tokens,
        scope = excluded.scope, expires_at = excluded.expires_at, status = 'valid_token',
        token_version = token_version + 1, refresh_lease_owner = NULL, refresh_lease_until = NULL,
        next_sync_at = excluded.next_sync_at, last_sync = NULL, updated_at = excluded.updated_at`),
  ]);
}

/** Sets the connection's platform-side token status. */
export async function setConnectionStatus(
  db: Executor,
  childId: string,
  status: string,
  now: number,
): Promise<void> {
  await db.update(wearableConnections).set({ status, updatedAt: now })
    .where(eq(wearableConnections.childId, childId));
}

/** Whether the child still has its account (users table). */
export async function childExists(db: Executor, childId: string): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users)
    .where(and(eq(users.id, childId), eq(users.type, "child"))).limit(1);
  return rows.length > 0;
}

/** The child's `fitbit_status`, and `last_sync` when given (users table). */
export async function setChildState(
  db: Executor,
  childId: string,
  state: { status: ChildFitbitStatus; lastSync?: number },
): Promise<void> {
  await db.update(users).set({
    fitbitStatus: state.status,
    ...(state.lastSync !== undefined && { lastSync: state.lastSync }),
  }).where(and(eq(users.id, childId), eq(users.type, "child")));
}

// ---------------------------------------------------------------------------
// Refresh lease (single-flight across processes).

/**
 * Claims the refresh of token version `version`: succeeds only if nobody refreshed it
 * since (the version still matches) and no live lease is held.
 */
export async function claimRefreshLease(
  db: Executor,
  input: { childId: string; version: number; owner: string; now: number; until: number },
): Promise<boolean> {
  const rows = await db.update(wearableConnections)
    .set({ refreshLeaseOwner: input.owner, refreshLeaseUntil: input.until })
    .where(and(
      eq(wearableConnections.childId, input.childId),
      eq(wearableConnections.tokenVersion, input.version),
      or(
        isNull(wearableConnections.refreshLeaseUntil),
        lte(wearableConnections.refreshLeaseUntil, input.now),
      ),
    ))
    .returning({ childId: wearableConnections.childId });
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
  const rows = await db.update(wearableConnections).set({
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
    eq(wearableConnections.childId, input.childId),
    eq(wearableConnections.tokenVersion, input.version),
    eq(wearableConnections.refreshLeaseOwner, input.owner),
  )).returning();
  return rows[0];
}

/** Gives a refresh lease back after a failed refresh. */
export async function releaseRefreshLease(
  db: Executor,
  childId: string,
  owner: string,
): Promise<void> {
  await db.update(wearableConnections)
    .set({ refreshLeaseOwner: null, refreshLeaseUntil: null })
    .where(and(
      eq(wearableConnections.childId, childId),
      eq(wearableConnections.refreshLeaseOwner, owner),
    ));
}

/**
 * Forgets a connection whose grant the provider declared dead, unless its tokens changed
 * meanwhile (someone stored or refreshed a new pair). Returns true when it was removed.
 */
export async function dropDeadConnection(
  db: Executor,
  childId: string,
  version: number,
): Promise<boolean> {
  const rows = await db.delete(wearableConnections).where(and(
    eq(wearableConnections.childId, childId),
    eq(wearableConnections.tokenVersion, version),
  )).returning({ childId: wearableConnections.childId });
  return rows.length > 0;
}

// ---------------------------------------------------------------------------
// Sync lease and schedule.

/** Claims the right to sync a child now; false while another sync holds it. */
export async function claimSyncLease(
  db: Executor,
  input: { childId: string; owner: string; now: number; until: number },
): Promise<boolean> {
  const rows = await db.update(wearableConnections)
    .set({ syncLeaseOwner: input.owner, syncLeaseUntil: input.until })
    .where(and(
      eq(wearableConnections.childId, input.childId),
      or(
        isNull(wearableConnections.syncLeaseUntil),
        lte(wearableConnections.syncLeaseUntil, input.now),
        eq(wearableConnections.syncLeaseOwner, input.owner),
      ),
    ))
    .returning({ childId: wearableConnections.childId });
  return rows.length > 0;
}

/** Ends a sync: releases the lease, sets the next due time and what the sync learnt. */
export async function finishSync(
  db: Executor,
  input: {
    childId: string;
    owner: string;
    nextSyncAt: number;
    lastSync?: number;
    timeZone?: string;
  },
): Promise<void> {
  await db.update(wearableConnections).set({
    syncLeaseOwner: null,
    syncLeaseUntil: null,
    nextSyncAt: input.nextSyncAt,
    ...(input.lastSync !== undefined && { lastSync: input.lastSync }),
    ...(input.timeZone !== undefined && { timeZone: input.timeZone }),
  }).where(and(
    eq(wearableConnections.childId, input.childId),
    eq(wearableConnections.syncLeaseOwner, input.owner),
  ));
}

/** Statuses the background sync skips: the grant needs a new authorization first. */
const NOT_SCHEDULED = ["invalid_token"];

/** The conditions of a child due for a background sync, with budget room for one sync. */
function dueCondition(provider: string, now: number, windowStart: number, maxBefore: number) {
  return sql`${wearableConnections.provider} = ${provider}
    AND ${wearableConnections.status} NOT IN (${
    sql.join(NOT_SCHEDULED.map((s) => sql`${s}`), sql`, `)
  })
    AND ${wearableConnections.nextSyncAt} <= ${now}
    AND (${wearableConnections.syncLeaseUntil} IS NULL OR ${wearableConnections.syncLeaseUntil} <= ${now})
    AND NOT EXISTS (SELECT 1 FROM ${wearableCallBudgets} b
      WHERE b.provider = ${wearableConnections.provider} AND b.child_id = ${wearableConnections.childId}
        AND (b.blocked_until > ${now} OR (b.window_start = ${windowStart} AND b.used > ${maxBefore})))`;
}

/** Budget and schedule terms for finding due children. */
export interface DueQuery {
  provider: string;
  now: number;
  /** Start of the provider's current rate window. */
  windowStart: number;
  /** A child is due only if at most this many calls were used in the window. */
  maxUsedBefore: number;
}

/** How many children are due now. */
export async function countDue(db: Executor, query: DueQuery): Promise<number> {
  const [row] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ${wearableConnections}
    WHERE ${dueCondition(query.provider, query.now, query.windowStart, query.maxUsedBefore)}`);
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
  const rows = await db.all<{ child_id: string }>(sql`UPDATE ${wearableConnections}
    SET sync_lease_owner = ${query.owner}, sync_lease_until = ${query.until}
    WHERE child_id IN (SELECT child_id FROM ${wearableConnections}
      WHERE ${dueCondition(query.provider, query.now, query.windowStart, query.maxUsedBefore)}
      ORDER BY next_sync_at LIMIT ${query.limit})
    AND (sync_lease_until IS NULL OR sync_lease_until <= ${query.now})
    RETURNING child_id`);
  return rows.map((row) => row.child_id);
}

/** Postpones a child's next background sync (e.g. until its rate window resets). */
export async function postponeSync(
  db: Executor,
  childId: string,
  until: number,
): Promise<void> {
  await db.update(wearableConnections).set({ nextSyncAt: until })
    .where(eq(wearableConnections.childId, childId));
}

// ---------------------------------------------------------------------------
// Items already handed over (dedupe by provider id).

/** Which of these provider ids were already handed over. */
export async function knownItems(
  db: Executor,
  key: { provider: string; childId: string; kind: string },
  ids: string[],
): Promise<Set<string>> {
  const known = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.select({ id: wearableSyncedItems.externalId }).from(wearableSyncedItems)
      .where(and(
        eq(wearableSyncedItems.provider, key.provider),
        eq(wearableSyncedItems.childId, key.childId),
        eq(wearableSyncedItems.kind, key.kind),
        inArray(wearableSyncedItems.externalId, ids.slice(i, i + 500)),
      ));
    for (const row of rows) known.add(row.id);
  }
  return known;
}

/** Records provider ids as handed over. */
export async function markItems(
  db: Executor,
  key: { provider: string; childId: string; kind: string },
  ids: string[],
  now: number,
): Promise<void> {
  for (let i = 0; i < ids.length; i += 200) {
    const values = ids.slice(i, i + 200).map((externalId) => ({
      ...key,
      externalId,
      syncedAt: now,
    }));
    if (values.length > 0) {
      await db.insert(wearableSyncedItems).values(values).onConflictDoNothing();
    }
  }
}

// ---------------------------------------------------------------------------
// Revocation queue.

/** Queues the remote revocation of a connection's grant (due at once). */
export async function queueRevocation(
  tx: Executor,
  connection: Pick<ConnectionRow, "provider" | "childId" | "tokens" | "expiresAt">,
  now: number,
  lease?: { owner: string; until: number },
): Promise<string> {
  const id = newId(now);
  await tx.insert(wearableRevocations).values({
    id,
    provider: connection.provider,
    childId: connection.childId,
    tokens: connection.tokens,
    expiresAt: connection.expiresAt,
    attempts: 0,
    nextAttemptAt: now,
    leaseOwner: lease?.owner ?? null,
    leaseUntil: lease?.until ?? null,
    createdAt: now,
  });
  return id;
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
  await db.batch([
    db.run(sql`INSERT INTO wearable_revocations (id, provider, child_id, tokens, expires_at,
        attempts, next_attempt_at, lease_owner, lease_until, created_at)
      SELECT ${id}, provider, child_id, tokens, expires_at, 0, ${now}, ${owner}, ${until}, ${now}
      FROM wearable_connections WHERE child_id = ${childId}`),
    db.delete(wearableConnections).where(eq(wearableConnections.childId, childId)),
    db.delete(wearableAuthStates).where(eq(wearableAuthStates.childId, childId)),
    db.update(users).set({ fitbitStatus: "none" })
      .where(and(eq(users.id, childId), eq(users.type, "child"))),
  ]);
  const [row] = await db.select().from(wearableRevocations).where(eq(wearableRevocations.id, id));
  return row;
}

/** Claims up to `limit` due revocations. */
export async function claimDueRevocations(
  db: Executor,
  input: { owner: string; now: number; until: number; limit: number },
): Promise<RevocationRow[]> {
  return await db.all<RevocationRow>(sql`UPDATE ${wearableRevocations}
    SET lease_owner = ${input.owner}, lease_until = ${input.until}
    WHERE id IN (SELECT id FROM ${wearableRevocations}
      WHERE next_attempt_at <= ${input.now}
        AND (lease_until IS NULL OR lease_until <= ${input.now})
      ORDER BY next_attempt_at LIMIT ${input.limit})
    AND (lease_until IS NULL OR lease_until <= ${input.now})
    RETURNING id, provider, child_id AS childId, tokens, expires_at AS expiresAt,
      attempts, next_attempt_at AS nextAttemptAt, lease_owner AS leaseOwner,
      lease_until AS leaseUntil, last_error AS lastError, created_at AS createdAt`);
}

/** Removes a confirmed revocation. */
export async function completeRevocation(db: Executor, id: string): Promise<void> {
  await db.delete(wearableRevocations).where(eq(wearableRevocations.id, id));
}

/** Records a failed attempt and when to try again. */
export async function retryRevocationLater(
  db: Executor,
  input: { id: string; owner: string; nextAttemptAt: number; error: string },
): Promise<void> {
  await db.update(wearableRevocations).set({
    attempts: sql`${wearableRevocations.attempts} + 1`,
    nextAttemptAt: input.nextAttemptAt,
    leaseOwner: null,
    leaseUntil: null,
    lastError: input.error,
  }).where(
    and(eq(wearableRevocations.id, input.id), eq(wearableRevocations.leaseOwner, input.owner)),
  );
}

/** Revocations still waiting for the provider (all children). */
export async function pendingRevocations(db: Executor): Promise<RevocationRow[]> {
  return await db.select().from(wearableRevocations);
}

// ---------------------------------------------------------------------------
// Pending authorizations.

/** Stores a pending authorization. */
export async function insertAuthState(db: Executor, row: AuthStateRow): Promise<void> {
  await db.delete(wearableAuthStates).where(lt(wearableAuthStates.expiresAt, row.createdAt));
  await db.insert(wearableAuthStates).values(row);
}

/** Takes (deletes and returns) a pending authorization: each state works once. */
export async function takeAuthState(
  db: Executor,
  stateHash: string,
): Promise<AuthStateRow | undefined> {
  const rows = await db.delete(wearableAuthStates)
    .where(eq(wearableAuthStates.stateHash, stateHash)).returning();
  return rows[0];
}

// ---------------------------------------------------------------------------
// Deletion cascade.

/**
 * Everything wearable about a child, in the deletion transaction: the connection's grant
 * moves to the revocation queue (performed after commit by the background revoker), and
 * the connection, pending authorizations, dedupe records and call budget go.
 */
export async function deleteWearableData(tx: Transaction, childId: string): Promise<void> {
  const [connection] = await tx.delete(wearableConnections)
    .where(eq(wearableConnections.childId, childId)).returning();
  // Due at once: 0 is before any clock.
  if (connection) await queueRevocation(tx, connection, 0);
  await tx.delete(wearableAuthStates).where(eq(wearableAuthStates.childId, childId));
  await tx.delete(wearableSyncedItems).where(eq(wearableSyncedItems.childId, childId));
  await tx.delete(wearableCallBudgets).where(eq(wearableCallBudgets.childId, childId));
}
