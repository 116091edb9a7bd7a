import type { ProviderId } from "./provider.ts";
import type { ConnectionState } from "./store/connections.ts";
import type { SyncOutcomeKind, WearableStatus } from "./wearables.schemas.ts";

const iso = (at: number | null) => at === null ? null : new Date(at).toISOString();

/**
 * WS1's view of a child's connection: provider, status, when it was connected, how its
 * last sync ended and whether the device sends any data. Never a token. Without a
 * connection, the status says whether the provider withdrew the grant (`invalid_grant`).
 */
export function wearableStatusOf(state: ConnectionState): WearableStatus {
  const { connection } = state;
  if (!connection) {
    return {
      provider: null,
      status: state.childStatus === "invalid_grant" ? "invalid_grant" : "none",
      connected_at: null,
      last_sync: null,
      last_sync_outcome: null,
      last_sync_outcome_at: null,
      no_data: false,
    };
  }
  const outcome = connection.lastOutcome as SyncOutcomeKind | null;
  return {
    provider: connection.provider as ProviderId,
    status: outcome === "rate_limited"
      ? "rate_limit"
      : connection.status as WearableStatus["status"],
    connected_at: iso(connection.createdAt),
    last_sync: iso(connection.lastSuccessAt),
    last_sync_outcome: outcome,
    last_sync_outcome_at: iso(connection.lastOutcomeAt),
    no_data: connection.noData,
  };
}

/** Everything held about a child's connection, beyond WS1's view (present with a connection). */
export interface WearableRecord extends WearableStatus {
  /** The granted scope as the provider states it. */
  scope?: string;
  /** The provider's own id of the person. */
  external_user_id?: string;
  /** When the connection last changed. */
  updated_at?: string;
}

/**
 * Everything the platform holds about a child's connection, for the right-of-access
 * export: WS1's view, plus the granted scope, the provider's user id and when the
 * connection last changed. Never a token.
 */
export function wearableRecordOf(state: ConnectionState): WearableRecord {
  const { connection } = state;
  return {
    ...wearableStatusOf(state),
    ...(connection && {
      scope: connection.scope,
      external_user_id: connection.externalUserId,
      updated_at: new Date(connection.updatedAt).toISOString(),
    }),
  };
}
