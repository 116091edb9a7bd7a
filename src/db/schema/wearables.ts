import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Wearable (Fitbit today, Google Health later) connections and sync state. Every table
 * carries `provider`, so a second provider joins without new tables. Tokens and PKCE
 * verifiers are stored sealed (AES-GCM, see src/wearables/secrets.ts), never in clear.
 */

/** A child's connection to one provider: at most one per child. */
export const wearableConnections = sqliteTable("wearable_connections", {
  childId: text("child_id").primaryKey(),
  provider: text("provider").notNull(),
  /** The provider's own user id (Fitbit: the JWT `sub`). */
  externalUserId: text("external_user_id").notNull(),
  /** Sealed JSON `{access_token, refresh_token}`. */
  tokens: text("tokens").notNull(),
  /** The granted scope as the provider states it (Fitbit: JWT short codes). */
  scope: text("scope").notNull(),
  /** Access-token expiry, epoch ms. */
  expiresAt: integer("expires_at").notNull(),
  /** Platform-side token status: valid_token, expired_token, invalid_token, invalid_client. */
  status: text("status").notNull(),
  /** Bumped on every token change; refresh leases and their losers compare it. */
  tokenVersion: integer("token_version").notNull(),
  /** Short lease on the refresh (single-use refresh tokens): owner id and expiry, epoch ms. */
  refreshLeaseOwner: text("refresh_lease_owner"),
  refreshLeaseUntil: integer("refresh_lease_until"),
  /** Lease on running a sync for this child (scheduler or on demand). */
  syncLeaseOwner: text("sync_lease_owner"),
  syncLeaseUntil: integer("sync_lease_until"),
  /** When the background scheduler should sync this child next, epoch ms. */
  nextSyncAt: integer("next_sync_at").notNull(),
  /** Last successful sync with these tokens, epoch ms (null: never; log window then 12 months). */
  lastSync: integer("last_sync"),
  /** The child's IANA time zone as last read from the provider. */
  timeZone: text("time_zone"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
}, (t) => [
  index("wearable_connections_due_idx").on(t.provider, t.status, t.nextSyncAt),
]);

/**
 * Items already handed to tracking, by the provider's own id (Fitbit `logId`). Keyed
 * child first: the sync looks items up per child, and the deletion cascade removes a
 * child's rows by `child_id` alone (with `provider` first that was a full table scan).
 */
export const wearableSyncedItems = sqliteTable("wearable_synced_items", {
  provider: text("provider").notNull(),
  childId: text("child_id").notNull(),
  /** `weights`, `sleep` or `activities`. */
  kind: text("kind").notNull(),
  externalId: text("external_id").notNull(),
  syncedAt: integer("synced_at").notNull(),
}, (t) => [primaryKey({ columns: [t.childId, t.provider, t.kind, t.externalId] })]);

/**
 * Calls made to a provider per child in its rate window (Fitbit: the clock hour), so
 * restarts and several instances respect the provider's per-user limit together. Keyed
 * child first, like the synced items, for the deletion cascade.
 */
export const wearableCallBudgets = sqliteTable("wearable_call_budgets", {
  provider: text("provider").notNull(),
  childId: text("child_id").notNull(),
  windowStart: integer("window_start").notNull(),
  used: integer("used").notNull(),
  /** No call before this instant (a 429 or an exhausted remaining count), epoch ms. */
  blockedUntil: integer("blocked_until").notNull(),
}, (t) => [primaryKey({ columns: [t.childId, t.provider] })]);

/** Remote revocations still to confirm with the provider (tokens already forgotten locally). */
export const wearableRevocations = sqliteTable("wearable_revocations", {
  id: text("id").primaryKey(),
  provider: text("provider").notNull(),
  childId: text("child_id").notNull(),
  /** Sealed `{access_token, refresh_token}` (same sealing as the connection's). */
  tokens: text("tokens").notNull(),
  expiresAt: integer("expires_at").notNull(),
  attempts: integer("attempts").notNull(),
  nextAttemptAt: integer("next_attempt_at").notNull(),
  leaseOwner: text("lease_owner"),
  leaseUntil: integer("lease_until"),
  /** The last failure's kind (never a token). */
  lastError: text("last_error"),
  createdAt: integer("created_at").notNull(),
}, (t) => [index("wearable_revocations_due_idx").on(t.nextAttemptAt)]);

/** Pending platform-managed authorizations (OAuth `state`, single use, short-lived). */
export const wearableAuthStates = sqliteTable("wearable_auth_states", {
  /** SHA-256 of the state value (the value itself only travels in the URL). */
  stateHash: text("state_hash").primaryKey(),
  provider: text("provider").notNull(),
  childId: text("child_id").notNull(),
  callerId: text("caller_id").notNull(),
  callerType: text("caller_type").notNull(),
  /** Sealed PKCE code verifier. */
  verifier: text("verifier").notNull(),
  redirectUri: text("redirect_uri").notNull(),
  expiresAt: integer("expires_at").notNull(),
  createdAt: integer("created_at").notNull(),
}, (t) => [
  index("wearable_auth_states_child_idx").on(t.childId),
  index("wearable_auth_states_expiry_idx").on(t.expiresAt),
]);
