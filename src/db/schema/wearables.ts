import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Wearable connections (Google Health, legacy Fitbit) and sync state. Every table carries
 * `provider`, so providers share the tables. Tokens and PKCE verifiers are stored sealed
 * (AES-GCM, see src/wearables/secrets.ts), never in clear.
 */

/** A child's connection to one provider: at most one per child. */
export const wearableConnections = sqliteTable("wearable_connections", {
  childId: text("child_id").primaryKey(),
  provider: text("provider").notNull(),
  /** The provider's own user id (Fitbit: the JWT `sub`; Google Health: `healthUserId`). */
  externalUserId: text("external_user_id").notNull(),
  /**
   * Google Health's `legacyUserId`: the person's old Fitbit user id, kept only to match a
   * legacy connection when the child moves over (Google allows no other use).
   */
  legacyUserId: text("legacy_user_id"),
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
  /** How the last finished sync ended: `ok`, `no_data` or the provider failure's kind. */
  lastOutcome: text("last_outcome"),
  /** When that sync ended, epoch ms. */
  lastOutcomeAt: integer("last_outcome_at"),
  /** Last successful sync of this account (with data or without), epoch ms. */
  lastSuccessAt: integer("last_success_at"),
  /** The last successful sync found no data at all (e.g. a Fitbit Ace at Google Health). */
  noData: integer("no_data", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
}, (t) => [
  index("wearable_connections_due_idx").on(t.provider, t.status, t.nextSyncAt),
  // Push notifications name the provider's user (Google Health: `healthUserId`).
  index("wearable_connections_external_idx").on(t.provider, t.externalUserId),
]);

/**
 * Items already handed to tracking, by the provider's own id (Fitbit `logId`, Google
 * Health data point id) and by start instant. Keyed child first: the sync looks items up
 * per child, and the deletion cascade removes a child's rows by `child_id` alone.
 */
export const wearableSyncedItems = sqliteTable("wearable_synced_items", {
  provider: text("provider").notNull(),
  childId: text("child_id").notNull(),
  /** `weights`, `sleep` or `activities`. */
  kind: text("kind").notNull(),
  externalId: text("external_id").notNull(),
  /**
   * The record's start instant (weights: its timestamp), epoch ms: a record another
   * provider already delivered for the child (a child moving from Fitbit to Google
   * Health) is recognised by it and not handed over twice.
   */
  startedAt: integer("started_at"),
  syncedAt: integer("synced_at").notNull(),
}, (t) => [
  primaryKey({ columns: [t.childId, t.provider, t.kind, t.externalId] }),
  index("wearable_synced_items_instant_idx").on(t.childId, t.kind, t.startedAt),
]);

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

/**
 * Remote revocations still to confirm with the provider (tokens already forgotten
 * locally). Retries are bounded by attempts and age; an entry that runs out stays, as
 * `failed` and without its tokens, for admins to see.
 */
export const wearableRevocations = sqliteTable("wearable_revocations", {
  id: text("id").primaryKey(),
  provider: text("provider").notNull(),
  childId: text("child_id").notNull(),
  /** Sealed `{access_token, refresh_token}` (same sealing as the connection's); '' once failed. */
  tokens: text("tokens").notNull(),
  expiresAt: integer("expires_at").notNull(),
  /** `pending` (retried) or `failed` (given up). */
  state: text("state").notNull().default("pending"),
  attempts: integer("attempts").notNull(),
  nextAttemptAt: integer("next_attempt_at").notNull(),
  /** When the provider was last asked, epoch ms. */
  lastAttemptAt: integer("last_attempt_at"),
  leaseOwner: text("lease_owner"),
  leaseUntil: integer("lease_until"),
  /** The last failure's kind (never a token). */
  lastError: text("last_error"),
  createdAt: integer("created_at").notNull(),
}, (t) => [index("wearable_revocations_due_idx").on(t.state, t.nextAttemptAt)]);

/**
 * Push notifications already acted on (digest of the notification), so a delivery
 * Google retries changes nothing. Rows older than a day are pruned.
 */
export const wearableNotifications = sqliteTable("wearable_notifications", {
  digest: text("digest").primaryKey(),
  childId: text("child_id").notNull(),
  receivedAt: integer("received_at").notNull(),
}, (t) => [
  index("wearable_notifications_child_idx").on(t.childId),
  index("wearable_notifications_received_idx").on(t.receivedAt),
]);

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
