import type { LogItem } from "../../../tracking/ingest.ts";
import {
  type ActivityItem,
  type CallContext,
  type DataKind,
  hasDataKind,
  ProviderError,
  type ProviderSettings,
  type PublicClientInfo,
  type SleepItem,
  type SourceItem,
  type SyncWindow,
  type TokenSet,
  type WearableProvider,
  type WeightItem,
} from "../../provider.ts";
import { addDays, addMonths, toInstant } from "../../timezone.ts";
import { isRecord } from "../../../core/validation/rules.ts";
import { hasCredentials, pkceParams, publicClientInfo } from "../oauth.ts";
import { pooled, settleAll } from "../settle.ts";
import { GoogleHttp, type RetryPolicy } from "./client.ts";
import {
  durationMs,
  mapExercise,
  mapLogs,
  mapSleep,
  mapWeights,
  pointsOf,
  ROLLUPS,
  type RollupType,
  rollupValues,
} from "./mapping.ts";

/** Settings of the Google Health adapter (google-health.md §3.8). */
export interface GoogleHealthConfig {
  clientId?: string;
  clientSecret?: string;
  /** `https://health.googleapis.com` (the fake in tests). */
  apiUrl: string;
  authUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  tokeninfoUrl: string;
  /** Per-request timeout, ms. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** The service's clock (token expiry is computed from `expires_in`). */
  now: () => number;
}

const SCOPE_BASE = "https://www.googleapis.com/auth/googlehealth.";

/** The read-only scopes the platform asks for (§1.9): data, plus settings for the time zone. */
export const GOOGLE_SCOPES = {
  activity: `${SCOPE_BASE}activity_and_fitness.readonly`,
  sleep: `${SCOPE_BASE}sleep.readonly`,
  metrics: `${SCOPE_BASE}health_metrics_and_measurements.readonly`,
  settings: `${SCOPE_BASE}settings.readonly`,
} as const;

/** All of them, as the consent URL and FB1 ask for them. */
const REQUESTED_SCOPE = Object.values(GOOGLE_SCOPES).join(" ");

const KINDS_BY_SCOPE: Record<string, DataKind[]> = {
  [GOOGLE_SCOPES.activity]: ["activities", "logs"],
  [GOOGLE_SCOPES.sleep]: ["sleep"],
  [GOOGLE_SCOPES.metrics]: ["weights"],
};

/** Exercise and sleep lists: pages of 25 (Google's maximum), at most four (the last 100). */
const SESSION_PAGE = 25;
const SESSION_PAGES = 4;
/** Weight and body-fat lists: up to 10,000 per page, at most five pages. */
const SAMPLE_PAGE = 10_000;
const SAMPLE_PAGES = 5;
/** Weights are read for the last four months (as the legacy adapter did). */
const WEIGHT_MONTHS = 4;
/** Rollup calls of one child in flight at once. */
const ROLLUP_CONCURRENCY = 4;

const scopesOf = (scope: string) => new Set(scope.split(/\s+/).filter(Boolean));

/** Rollup calls covering 12 months plus a day, per type. */
const FIRST_SYNC_ROLLUPS = Object.values(ROLLUPS)
  .reduce((sum, { maxDays }) => sum + Math.ceil(367 / maxDays), 0);

/**
 * The Google Health API (REST v4), the successor of the legacy Fitbit Web API
 * (google-health.md): Google OAuth 2.0 with PKCE, tokeninfo and identity for submitted
 * tokens, daily rollups for the daily logs, lists for exercise, sleep, weight and body
 * fat. Google's limit is 300 requests per minute per user; the platform's budget allows
 * 150 per clock minute, so any sliding minute stays within Google's 300.
 */
export class GoogleHealthProvider implements WearableProvider {
  readonly id = "google_health" as const;
  readonly rateLimit;
  private readonly http: GoogleHttp;

  constructor(private readonly config: GoogleHealthConfig) {
    this.http = new GoogleHttp(config.timeoutMs, config.retry);
    this.rateLimit = {
      windowMs: 60_000,
      max: 150,
      callsPerSync: this.plannedCalls(REQUESTED_SCOPE),
    };
  }

  configured(): boolean {
    return hasCredentials(this.config);
  }

  publicClient(): PublicClientInfo | undefined {
    return publicClientInfo(this.id, this.config, this.config.authUrl, REQUESTED_SCOPE);
  }

  /** Consent URL: offline access (a refresh token), consent every time, PKCE S256 (§1.2). */
  authorizeUrl(input: { state: string; codeChallenge: string; redirectUri: string }): string {
    const url = new URL(this.config.authUrl);
    url.search = new URLSearchParams({
      client_id: this.config.clientId ?? "",
      redirect_uri: input.redirectUri,
      response_type: "code",
      scope: REQUESTED_SCOPE,
      access_type: "offline",
      prompt: "consent",
      include_granted_scopes: "true",
      ...pkceParams(input),
    }).toString();
    return url.toString();
  }

  async exchangeCode(
    ctx: CallContext,
    input: { code: string; codeVerifier: string; redirectUri: string },
  ): Promise<TokenSet> {
    const answer = await this.token(ctx, {
      grant_type: "authorization_code",
      code: input.code,
      redirect_uri: input.redirectUri,
      code_verifier: input.codeVerifier,
    });
    const accessToken = text(answer.access_token);
    if (!accessToken) throw new ProviderError("provider_internal");
    const identity = await this.identity(ctx, accessToken);
    return {
      accessToken,
      refreshToken: text(answer.refresh_token) ?? "",
      expiresAt: this.expiry(answer.expires_in),
      scope: text(answer.scope) ?? "",
      ...identity,
    };
  }

  /**
   * A submitted pair (§1.11): tokeninfo (live, and issued to our client), the scope, then
   * identity. Google tokens are opaque, so nothing is read locally first.
   */
  async verifySubmitted(
    ctx: CallContext,
    input: { accessToken: string; refreshToken: string },
  ): Promise<TokenSet> {
    const info = record(
      await this.http.send(ctx, {
        method: "GET",
        url: this.config.tokeninfoUrl,
        dialect: "oauth",
        query: { access_token: input.accessToken },
      }),
    );
    const ours = this.config.clientId;
    if (info.aud !== ours && info.azp !== ours) throw new ProviderError("token_invalid");
    const scope = text(info.scope) ?? "";
    if (!hasDataKind(this.grantedKinds(scope))) throw new ProviderError("scope_missing");
    const seconds = Number(info.expires_in);
    const exp = Number(info.exp);
    const expiresAt = Number.isFinite(seconds)
      ? this.expiry(seconds)
      : Number.isFinite(exp)
      ? exp * 1000
      : this.expiry(undefined);
    if (expiresAt <= this.config.now()) throw new ProviderError("token_expired");
    const identity = await this.identity(ctx, input.accessToken);
    return {
      accessToken: input.accessToken,
      refreshToken: input.refreshToken,
      expiresAt,
      scope,
      ...identity,
    };
  }

  grantedKinds(scope: string): ReadonlySet<DataKind> {
    const kinds = new Set<DataKind>();
    for (const granted of scopesOf(scope)) {
      for (const kind of KINDS_BY_SCOPE[granted] ?? []) kinds.add(kind);
    }
    return kinds;
  }

  /** Settings, rollups for a first sync (about 64), one page of each list. */
  plannedCalls(scope: string): number {
    const kinds = this.grantedKinds(scope);
    return (scopesOf(scope).has(GOOGLE_SCOPES.settings) ? 1 : 0) +
      (kinds.has("activities") ? 1 : 0) + (kinds.has("sleep") ? 1 : 0) +
      (kinds.has("weights") ? 2 : 0) + (kinds.has("logs") ? FIRST_SYNC_ROLLUPS : 0);
  }

  /** Refresh (§1.4): Google keeps the refresh token unless it sends a new one. */
  async refresh(ctx: CallContext, tokens: TokenSet): Promise<TokenSet> {
    // No refresh token (a grant without offline access): nothing can renew it.
    if (!tokens.refreshToken) throw new ProviderError("token_expired");
    const answer = await this.token(ctx, {
      grant_type: "refresh_token",
      refresh_token: tokens.refreshToken,
    });
    const accessToken = text(answer.access_token);
    if (!accessToken) throw new ProviderError("provider_internal");
    return {
      ...tokens,
      accessToken,
      refreshToken: text(answer.refresh_token) ?? tokens.refreshToken,
      expiresAt: this.expiry(answer.expires_in),
      scope: text(answer.scope) ?? tokens.scope,
    };
  }

  /**
   * Revokes the grant with the refresh token (a stored access token is usually expired,
   * and revoking it would leave the grant alive); 400 `invalid_token` means it is already
   * gone (§1.7).
   */
  async revoke(ctx: CallContext, tokens: TokenSet): Promise<void> {
    try {
      await this.http.send(ctx, {
        method: "POST",
        url: this.config.revokeUrl,
        dialect: "oauth",
        form: { token: tokens.refreshToken || tokens.accessToken },
      });
    } catch (error) {
      if (error instanceof ProviderError && error.kind === "token_invalid") return;
      throw error;
    }
  }

  async settings(ctx: CallContext, tokens: TokenSet): Promise<ProviderSettings> {
    if (!scopesOf(tokens.scope).has(GOOGLE_SCOPES.settings)) return {};
    try {
      const body = record(await this.api(ctx, tokens.accessToken, "GET", "/settings"));
      return { timeZone: text(body.timeZone), utcOffsetMs: durationMs(body.utcOffset) };
    } catch (error) {
      if (error instanceof ProviderError && error.kind === "scope_missing") return {};
      throw error;
    }
  }

  /** Exercise sessions started since the window's first day (civil filter only, §3.2). */
  async activities(
    ctx: CallContext,
    accessToken: string,
    window: SyncWindow,
    childId: string,
  ): Promise<SourceItem<ActivityItem>[]> {
    const filter = `exercise.interval.civil_start_time >= "${window.logsFrom}" AND ` +
      `exercise.interval.civil_start_time < "${addDays(window.today, 1)}"`;
    const points = await this.list(
      ctx,
      accessToken,
      "exercise",
      filter,
      SESSION_PAGE,
      SESSION_PAGES,
    );
    return points.map((point) => mapExercise(point, childId)).filter((item) => item !== undefined);
  }

  /** Sleeps ending since the window's first day (end members only, §3.2). */
  async sleep(
    ctx: CallContext,
    accessToken: string,
    window: SyncWindow,
    childId: string,
  ): Promise<SourceItem<SleepItem>[]> {
    const since = new Date(toInstant(window.logsFrom, window.zone)!).toISOString();
    const filter = `sleep.interval.end_time >= "${since}"`;
    const points = await this.list(ctx, accessToken, "sleep", filter, SESSION_PAGE, SESSION_PAGES);
    return points.map((point) => mapSleep(point, childId)).filter((item) => item !== undefined);
  }

  /** Weights and body fats of the last four months, paired by instant. */
  async weights(
    ctx: CallContext,
    accessToken: string,
    window: SyncWindow,
    childId: string,
  ): Promise<SourceItem<WeightItem>[]> {
    const since = new Date(toInstant(addMonths(window.today, -WEIGHT_MONTHS), window.zone)!)
      .toISOString();
    const [weights, bodyFats] = await settleAll([
      this.list(
        ctx,
        accessToken,
        "weight",
        `weight.sample_time.physical_time >= "${since}"`,
        SAMPLE_PAGE,
        SAMPLE_PAGES,
      ),
      this.list(
        ctx,
        accessToken,
        "body-fat",
        `body_fat.sample_time.physical_time >= "${since}"`,
        SAMPLE_PAGE,
        SAMPLE_PAGES,
      ),
    ]);
    return mapWeights(weights, bodyFats, childId);
  }

  /**
   * The daily logs from daily rollups (§3.5.1): steps and sedentary periods in 90-day
   * calls, calories and active minutes in 14-day calls, from the window's first day to
   * today (the end is exclusive, so tomorrow is sent).
   */
  async logs(ctx: CallContext, accessToken: string, window: SyncWindow): Promise<LogItem[]> {
    const end = addDays(window.today, 1);
    const calls: { type: RollupType; from: string; to: string }[] = [];
    for (
      const [type, { maxDays }] of Object.entries(ROLLUPS) as [RollupType, { maxDays: number }][]
    ) {
      for (let from = window.logsFrom; from < end; from = addDays(from, maxDays)) {
        const to = addDays(from, maxDays);
        calls.push({ type, from, to: to < end ? to : end });
      }
    }
    const answers = await pooled(
      calls,
      ROLLUP_CONCURRENCY,
      ({ type, from, to }) =>
        this.api(ctx, accessToken, "POST", `/dataTypes/${type}/dataPoints:dailyRollUp`, {
          json: { range: { start: civil(from), end: civil(to) }, windowSizeDays: 1 },
        }).then((body) => rollupValues(type, body)),
    );
    return mapLogs(answers);
  }

  /** A list of data points, following `nextPageToken` up to `pages` pages. */
  private async list(
    ctx: CallContext,
    accessToken: string,
    type: string,
    filter: string,
    pageSize: number,
    pages: number,
  ) {
    const points = [];
    let pageToken: string | undefined;
    for (let page = 0; page < pages; page++) {
      const body = record(
        await this.api(ctx, accessToken, "GET", `/dataTypes/${type}/dataPoints`, {
          query: { filter, pageSize, ...(pageToken && { pageToken }) },
        }),
      );
      points.push(...pointsOf(body));
      pageToken = text(body.nextPageToken);
      if (!pageToken) break;
    }
    return points;
  }

  private async identity(ctx: CallContext, accessToken: string) {
    const body = record(await this.api(ctx, accessToken, "GET", "/identity"));
    const healthUserId = text(body.healthUserId);
    if (!healthUserId) throw new ProviderError("provider_internal");
    const legacyUserId = text(body.legacyUserId);
    return { externalUserId: healthUserId, ...(legacyUserId && { legacyUserId }) };
  }

  private api(
    ctx: CallContext,
    accessToken: string,
    method: "GET" | "POST",
    path: string,
    options: { query?: Record<string, string | number>; json?: unknown } = {},
  ) {
    return this.http.send(ctx, {
      method,
      url: `${this.config.apiUrl}/v4/users/me${path}`,
      dialect: "api",
      bearer: accessToken,
      ...options,
    });
  }

  /** The token endpoint, with the client's credentials in the form (§1.3, §1.4). */
  private async token(ctx: CallContext, form: Record<string, string>) {
    if (!this.configured()) throw new ProviderError("client_invalid");
    return record(
      await this.http.send(ctx, {
        method: "POST",
        url: this.config.tokenUrl,
        dialect: "oauth",
        form: {
          ...form,
          client_id: this.config.clientId!,
          client_secret: this.config.clientSecret!,
        },
      }),
    );
  }

  /** Expiry from `expires_in` seconds (Google: about an hour). */
  private expiry(expiresIn: unknown): number {
    const seconds = Number(expiresIn);
    return this.config.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000;
  }
}

const record = (value: unknown): Record<string, unknown> => isRecord(value) ? value : {};

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/** A `YYYY-MM-DD` date as a CivilDateTime (no leading zeros, §3.4). */
function civil(date: string) {
  const [year, month, day] = date.split("-").map(Number);
  return { date: { year, month, day } };
}
