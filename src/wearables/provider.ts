import type { LogItem } from "../tracking/ingest.ts";
import type { Zone } from "./timezone.ts";

/**
 * The wearable provider interface: the one seam. The routes, tables, token keeping, sync,
 * scheduler and revoker only talk to this. Each provider lives in its own folder under
 * `providers/` (Google Health, the legacy Fitbit Web API) and is registered under its id
 * at the composition root (`providers/registry.ts`).
 */

/** Provider ids, as stored in the `provider` columns. */
export type ProviderId = "fitbit" | "google_health";

/** What a sync pulls; `logs` are the daily series (steps, calories, minutes). */
export type DataKind = "weights" | "sleep" | "activities" | "logs";

/**
 * Whether granted kinds include a record kind (weights, sleep or activities): a grant
 * without one is refused (fitbit.md §1.3 step 4) and never synced.
 */
export function hasDataKind(kinds: ReadonlySet<DataKind>): boolean {
  return kinds.has("weights") || kinds.has("sleep") || kinds.has("activities");
}

/** A token pair and what the platform keeps about it. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Access-token expiry, epoch ms. */
  expiresAt: number;
  /** The granted scope in the provider's own notation (stored as is). */
  scope: string;
  /** The provider's user id (Fitbit: JWT `sub`; Google Health: `healthUserId`). */
  externalUserId: string;
  /** Google Health's `legacyUserId` (the old Fitbit user id), for migration matching only. */
  legacyUserId?: string;
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

/** What one provider answer said, reported to the call hooks. */
export interface RateInfo {
  /** HTTP status of the answer, or `unreachable` when none came (refused, DNS, timeout). */
  status: number | "unreachable";
  /** The provider wants no more calls for this user until the reset (rate limit spent). */
  limited: boolean;
  limit?: number;
  remaining?: number;
  /** Time until the provider's window resets, ms. */
  resetMs?: number;
}

/**
 * Hooks around every outbound call for one child (every provider calls both, for every
 * attempt): `before` takes one call from the child's budget (throwing `rate_limited` when
 * it is spent), `after` reports the answer. Contexts are made in one place,
 * `CallBudget.context` (which also feeds the telemetry).
 */
export interface CallContext {
  before(): Promise<void>;
  after(info: RateInfo): Promise<void>;
}

/** What a self-describing submitted access token says about itself (Fitbit: JWT claims). */
export interface SubmittedClaims {
  externalUserId: string;
  scope: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** What a client app may know to start an authorization (GET /v1/fitbit); never a secret. */
export interface PublicClientInfo {
  provider: ProviderId;
  client_id: string;
  authorization_uri: string;
  scope: string;
  code_challenge_method: "S256";
  platform_authorization: string;
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
  publicClient(): PublicClientInfo | undefined;

  /** The provider's consent page URL for a platform-managed authorization (PKCE S256). */
  authorizeUrl(input: { state: string; codeChallenge: string; redirectUri: string }): string;
  /** Exchanges an authorization code and identifies the provider's user. */
  exchangeCode(
    ctx: CallContext,
    input: { code: string; codeVerifier: string; redirectUri: string },
  ): Promise<TokenSet>;
  /**
   * Optional, for self-describing tokens only (Fitbit: JWT claims): reads a submitted
   * access token without calling the provider, so a token that cannot work is refused
   * without a call; throws `token_invalid`. Opaque tokens (Google) leave it out.
   */
  readSubmitted?(accessToken: string): SubmittedClaims;
  /**
   * Checks a submitted pair with the provider (Fitbit: introspect; Google: tokeninfo, then
   * identity) and returns what to store; throws a ProviderError on failure.
   */
  verifySubmitted(
    ctx: CallContext,
    input: { accessToken: string; refreshToken: string; claims?: SubmittedClaims },
  ): Promise<TokenSet>;
  /** Which data kinds a scope allows. */
  grantedKinds(scope: string): ReadonlySet<DataKind>;
  /** How many calls a full first sync makes for this scope (without refreshes or retries). */
  plannedCalls(scope: string): number;
  /** Exchanges the refresh token for a new pair (single use at Fitbit; kept at Google). */
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
