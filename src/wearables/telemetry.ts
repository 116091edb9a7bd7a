import type { ProviderErrorKind, ProviderId } from "./provider.ts";

/**
 * The wearables module's observation points, one place each, for metrics (Prometheus
 * counters and gauges are wired at the composition root). Implementations must be cheap
 * and never throw; nothing here carries a token or a child's data.
 */
export interface WearableTelemetry {
  /**
   * Every answer (or missing answer) of a provider, every attempt included: called from
   * `CallBudget.context`'s `after` hook, which every provider calls for every request.
   */
  providerCall(event: ProviderCallEvent): void;
  /** Every finished sync, on demand or scheduled: called once from `WearableSync.syncChild`. */
  syncFinished(event: SyncFinishedEvent): void;
  /** The revocation queue after each revoker pass: called from `Revoker.processDue`. */
  revocationQueue(event: { pending: number; failed: number }): void;
}

/** One provider answer. */
export interface ProviderCallEvent {
  provider: ProviderId;
  /** HTTP status, or `unreachable` (refused, DNS, timeout, reset). */
  status: number | "unreachable";
}

/** How a sync ended. */
export type SyncOutcome =
  /** Data read and stored (or nothing new). */
  | "ok"
  /** Connected, but the provider has no data at all for the child (e.g. a Fitbit Ace). */
  | "no_data"
  /** No connection, or its scope allows no data kind. */
  | "not_connected"
  /** A provider failure, by kind. */
  | ProviderErrorKind;

/** One finished sync. */
export interface SyncFinishedEvent {
  provider: ProviderId;
  outcome: SyncOutcome;
  /** Provider calls the sync made. */
  calls: number;
  ms: number;
}

/** Telemetry that records nothing (the default). */
export const noTelemetry: WearableTelemetry = {
  providerCall() {},
  syncFinished() {},
  revocationQueue() {},
};
