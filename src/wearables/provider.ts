import type { LogItem } from "../tracking/ingest.ts";
import type { Zone } from "./timezone.ts";

/**
 * The wearable provider interface. The routes, tables, token keeping, sync, scheduler and
 * revoker only talk to this; Fitbit (src/fitbit/fitbit.provider.ts) implements it today
 * and a Google Health provider can join later by implementing it too and registering
 * under its own id: no route or table changes.
 */

/** Provider ids, as stored in the `provider` columns. */
export type ProviderId = "fitbit" | "google_health";

/** What a sync pulls; `logs` are the daily series (steps, calories, minutes). */
export type DataKind = "weights" | "sleep" | "activities" | "logs";

/** A token pair and what the platform keeps about it. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Access-token expiry, epoch ms. */
  expiresAt: number;
  /** The granted scope in the provider's own notation (stored as is). */
  scope: string;
  /** The provider's user id. */
  externalUserId: string;
}

/**
 * Provider-neutral failure kinds. Routes map them to the contract's documented patterns
 * (src/wearables/errors.ts); the sync maps them to the child's `fitbit_status`.
 */
export type ProviderErrorKind =
  /** The access token has expired (refreshable). */
  | "token_expired"
  /** The access token is not valid (revoked, unknown, malformed, another client's). */
  | "token_invalid"
  /** The refresh token (the grant) is gone. */
  | "grant_invalid"
  /** The platform's client credentials are refused or not configured. */
  | "client_invalid"
  /** The provider's per-user rate limit (or the platform's own budget for it) is spent. */
  | "rate_limited"
  /** The grant lacks the scope for a data kind. */
  | "scope_missing"
  /** The provider reported an internal error or sent an unreadable answer. */
  | "provider_internal"
  /** No answer: connection refused, DNS, timeout, reset, 502/503/504. */
  | "unavailable"
  /** Any other provider error; its message is shown. */
  | "unmapped";

/** A classified provider failure. `detail` is the provider's own message (may embed tokens). */
export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    readonly detail?: string,
    readonly retryAfterMs?: number,
  ) {
    super(`provider error: ${kind}`);
  }
}

/** Rate-limit information read from a provider response. */
export interface RateInfo {
  /** The response was a rate-limit refusal (HTTP 429). */
  limited: boolean;
  limit?: number;
  remaining?: number;
  /** Time until the provider's window resets, ms. */
  resetMs?: number;
}

/**
 * Hooks around every outbound call for one child: `before` takes one call from the
 * child's budget (throwing `rate_limited` when it is spent), `after` reports the
 * provider's rate-limit headers. Revocations run with a context whose `before` never refuses.
 */
export interface CallContext {
  before(): Promise<void>;
  after(info: RateInfo): Promise<void>;
}

/** A context that neither counts nor refuses (tests, one-off tools). */
export const uncounted: CallContext = {
  before: () => Promise.resolve(),
  after: () => Promise.resolve(),
};

/** What a submitted access token says about itself, read without calling the provider. */
export interface SubmittedClaims {
  externalUserId: string;
  scope: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** The time frame of one sync, in the child's own calendar. */
export interface SyncWindow {
  zone: Zone;
  /** The child's local date today (`YYYY-MM-DD`). */
  today: string;
  /** First date of the daily series to fetch. */
  logsFrom: string;
  /** Sync instant, epoch ms. */
  now: number;
}

/** One provider record mapped to the platform shape, with the provider's id for it. */
export interface SourceItem<T> {
  externalId: string;
  item: T;
  /** The UTC offset the provider wrote on the record, when it wrote one (ms). */
  utcOffsetMs?: number;
}

/** A physical activity as tracking's bulk POST takes it (tracking.md §3.2, §12.3). */
export interface ActivityItem {
  child_id: string;
  name: string;
  start_time: string;
  end_time: string;
  duration: number;
  calories: number;
  steps?: number;
  distance?: number;
  levels?: { name: "sedentary" | "lightly" | "fairly" | "very"; duration: number }[];
  heart_rate?: {
    average: number;
    out_of_range_zone: HeartRateZone;
    fat_burn_zone: HeartRateZone;
    cardio_zone: HeartRateZone;
    peak_zone: HeartRateZone;
  };
}

/** One heart-rate zone: bpm bounds and time spent, ms. */
export interface HeartRateZone {
  min: number;
  max: number;
  duration: number;
}

/** A sleep record as tracking's bulk POST takes it (tracking.md §4.2). */
export interface SleepItem {
  child_id: string;
  start_time: string;
  end_time: string;
  duration: number;
  type: "classic" | "stages";
  pattern: { data_set: { start_time: string; name: string; duration: number }[] };
}

/** A weight (with the body fat at the same instant) as tracking's bulk POST takes it. */
export interface WeightItem {
  child_id: string;
  timestamp: string;
  value: number;
  unit: "kg";
  body_fat?: number;
}

/** The child's settings the provider knows (time zone). */
export interface ProviderSettings {
  timeZone?: string;
  utcOffsetMs?: number;
}

/** A wearable provider. */
export interface WearableProvider {
  readonly id: ProviderId;
  /** The provider's per-user request limit and how many calls one full sync makes at most. */
  readonly rateLimit: { windowMs: number; max: number; callsPerSync: number };
  /** True when client credentials are configured. */
  configured(): boolean;
  /** What a client app needs to start authorization (never a secret); undefined if unconfigured. */
  clientInfo(): Record<string, unknown> | undefined;

  /** The provider's consent page URL for a platform-managed authorization (PKCE S256). */
  authorizeUrl(input: { state: string; codeChallenge: string; redirectUri: string }): string;
  /** Exchanges an authorization code. */
  exchangeCode(
    ctx: CallContext,
    input: { code: string; codeVerifier: string; redirectUri: string },
  ): Promise<TokenSet>;
  /** Reads a submitted access token locally (Fitbit: JWT claims); throws `token_invalid`. */
  readSubmitted(accessToken: string): SubmittedClaims;
  /** Checks a submitted pair with the provider (Fitbit: introspect); throws on failure. */
  inspectSubmitted(
    ctx: CallContext,
    input: { accessToken: string; refreshToken: string; claims: SubmittedClaims },
  ): Promise<TokenSet>;
  /** Which data kinds a scope allows. */
  grantedKinds(scope: string): ReadonlySet<DataKind>;
  /** How many calls a sync makes for this scope (without refreshes or retries). */
  plannedCalls(scope: string): number;
  /** Exchanges the refresh token for a new pair (single use at Fitbit). */
  refresh(ctx: CallContext, tokens: TokenSet): Promise<TokenSet>;
  /**
   * Revokes the grant. Resolves when the provider confirmed, or said the grant is already
   * gone; throws a ProviderError otherwise (the caller retries later).
   */
  revoke(ctx: CallContext, tokens: TokenSet, now: number): Promise<void>;

  /** The child's settings (time zone); `{}` when the scope does not allow reading them. */
  settings(ctx: CallContext, tokens: TokenSet): Promise<ProviderSettings>;
  activities(
    ctx: CallContext,
    accessToken: string,
    window: SyncWindow,
    childId: string,
  ): Promise<SourceItem<ActivityItem>[]>;
  sleep(
    ctx: CallContext,
    accessToken: string,
    window: SyncWindow,
    childId: string,
  ): Promise<SourceItem<SleepItem>[]>;
  weights(
    ctx: CallContext,
    accessToken: string,
    window: SyncWindow,
    childId: string,
  ): Promise<SourceItem<WeightItem>[]>;
  logs(ctx: CallContext, accessToken: string, window: SyncWindow): Promise<LogItem[]>;
}

/** The configured providers, by id. */
export type ProviderRegistry = Partial<Record<ProviderId, WearableProvider>>;
