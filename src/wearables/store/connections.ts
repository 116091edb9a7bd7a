import { and, eq, ne, or, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { newId } from "../../core/ids.ts";
import type { Database, Executor } from "../../db/client.ts";
import { users, wearableConnections, wearableRevocations } from "../../db/schema/index.ts";
import type { ProviderId, TokenSet } from "../provider.ts";
import { isChild } from "./children.ts";
import { revocationOfConnection } from "./revocations.ts";

/** A stored connection row. */
export type ConnectionRow = typeof wearableConnections.$inferSelect;

const ofChild = (childId: string) => eq(wearableConnections.childId, childId);

/** The child's connection, if any. */
export async function findConnection(
  db: Executor,
  childId: string,
): Promise<ConnectionRow | undefined> {
  const rows = await db.select().from(wearableConnections).where(ofChild(childId)).limit(1);
  return rows[0];
}

/** The children connected to a provider's user (normally one; by the external-user index). */
export async function childrenOfExternalUser(
  db: Executor,
  provider: ProviderId,
  externalUserId: string,
): Promise<string[]> {
  const rows = await db.select({ childId: wearableConnections.childId }).from(wearableConnections)
    .where(and(
      eq(wearableConnections.provider, provider),
      eq(wearableConnections.externalUserId, externalUserId),
    ));
  return rows.map((row) => row.childId);
}

/**
 * Stores a new token pair for a child, replacing any connection it had (the log window
 * restarts at 12 months, and the scheduler may sync it at once). When the replaced
 * connection belonged to another provider or provider account, its grant is queued for
 * revocation, and what is known of it (when it was connected, how its syncs went) is
 * forgotten; new tokens for the same account keep that. Atomic: one batch (a single turn
 * of the database's writer).
 */
export async function replaceConnection(
  db: Database,
  input: { childId: string; provider: ProviderId; sealed: string; tokens: TokenSet; now: number },
): Promise<void> {
  const { childId, provider, sealed, tokens, now } = input;
  const c = wearableConnections;
  const replacedGrant = revocationOfConnection(db, {
    id: newId(now),
    now,
    where: and(
      ofChild(childId),
      or(ne(c.provider, provider), ne(c.externalUserId, tokens.externalUserId)),
    ),
  });
  // In the upsert, bare columns are the stored row and `excluded` the new one.
  const sameAccount = sql`${c.provider} = excluded.provider
    AND ${c.externalUserId} = excluded.external_user_id`;
  const keptForSameAccount = (column: SQLiteColumn, otherwise: unknown) =>
    sql`CASE WHEN ${sameAccount} THEN ${column} ELSE ${otherwise} END`;
  const row = {
    childId,
    provider,
    externalUserId: tokens.externalUserId,
    legacyUserId: tokens.legacyUserId ?? null,
    tokens: sealed,
    scope: tokens.scope,
    expiresAt: tokens.expiresAt,
    status: "valid_token",
    tokenVersion: 1,
    nextSyncAt: now,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(wearableRevocations).select(replacedGrant),
    db.insert(c).values(row).onConflictDoUpdate({
      target: c.childId,
      set: {
        provider: row.provider,
        externalUserId: row.externalUserId,
        legacyUserId: row.legacyUserId,
        tokens: row.tokens,
        scope: row.scope,
        expiresAt: row.expiresAt,
        status: row.status,
        tokenVersion: sql`${c.tokenVersion} + 1`,
        refreshLeaseOwner: null,
        refreshLeaseUntil: null,
        nextSyncAt: row.nextSyncAt,
        lastSync: null,
        createdAt: keptForSameAccount(c.createdAt, now),
        lastOutcome: keptForSameAccount(c.lastOutcome, null),
        lastOutcomeAt: keptForSameAccount(c.lastOutcomeAt, null),
        lastSuccessAt: keptForSameAccount(c.lastSuccessAt, null),
        noData: keptForSameAccount(c.noData, 0),
        updatedAt: row.updatedAt,
      },
    }),
  ]);
}

/** Sets the connection's platform-side token status. */
export async function setConnectionStatus(
  db: Executor,
  childId: string,
  status: string,
  now: number,
): Promise<void> {
  await db.update(wearableConnections).set({ status, updatedAt: now }).where(ofChild(childId));
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
  const rows = await db.delete(wearableConnections)
    .where(and(ofChild(childId), eq(wearableConnections.tokenVersion, version)))
    .returning({ childId: wearableConnections.childId });
  return rows.length > 0;
}

/** What a child's connection looks like from outside (never a token), and its child status. */
export interface ConnectionState {
  /** The child's `fitbit_status` (null for a row that never had one). */
  childStatus: string | null;
  /** The child's connection, when it has one. */
  connection?: Pick<
    ConnectionRow,
    | "provider"
    | "status"
    | "scope"
    | "externalUserId"
    | "createdAt"
    | "updatedAt"
    | "lastOutcome"
    | "lastOutcomeAt"
    | "lastSuccessAt"
    | "noData"
  >;
}

/**
 * A child's connection state in one read (the child's row, its connection if any), or
 * undefined when no child has this id. Its sealed tokens are not even read.
 */
export async function connectionState(
  db: Executor,
  childId: string,
): Promise<ConnectionState | undefined> {
  const c = wearableConnections;
  // Drizzle answers the left-joined object as null when the child has no connection.
  const [row] = await db.select({
    childStatus: users.fitbitStatus,
    connection: {
      provider: c.provider,
      status: c.status,
      scope: c.scope,
      externalUserId: c.externalUserId,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      lastOutcome: c.lastOutcome,
      lastOutcomeAt: c.lastOutcomeAt,
      lastSuccessAt: c.lastSuccessAt,
      noData: c.noData,
    },
  }).from(users).leftJoin(c, eq(c.childId, users.id))
    .where(isChild(childId)).limit(1);
  if (!row) return undefined;
  return { childStatus: row.childStatus, ...(row.connection && { connection: row.connection }) };
}
