import { decodeJwt } from "jose";
import { ofetch } from "ofetch";
import type { LogItem } from "../../../tracking/ingest.ts";
import { encodeBase64 } from "../../../core/encoding.ts";
import {
  type ActivityItem,
  type CallContext,
  type DataKind,
  ProviderError,
  type ProviderErrorKind,
  type ProviderSettings,
  type PublicClientInfo,
  type RateInfo,
  type SleepItem,
  type SourceItem,
  type SubmittedClaims,
  type SyncWindow,
  type TokenSet,
  type WearableProvider,
  type WeightItem,
} from "../../provider.ts";
import { addDays } from "../../timezone.ts";
import { settleAll } from "../settle.ts";
import { readJson, untypedError } from "../answers.ts";
import { hasCredentials, pkceParams, publicClientInfo } from "../oauth.ts";
import {
  mapActivity,
  mapLogs,
  mapSleep,
  mapWeight,
  recordsOf,
  seriesOf,
  TRACKER_RESOURCES,
  type TrackerResource,
} from "./mapping.ts";

/** Settings of the Fitbit adapter. */
export interface FitbitConfig {
  clientId?: string;
  clientSecret?: string;
  /** Web API base, e.g. https://api.fitbit.com (the fake in tests). */
  apiUrl: string;
  /** Consent page, e.g. https://www.fitbit.com/oauth2/authorize. */
  authorizeUrl: string;
  /** Per-request timeout, ms. No retries happen inside a request. */
  timeoutMs: number;
  /**
   * Count a refused connection (or a DNS failure) as "grant gone", like a 410: for
   * deployments where the legacy hosts no longer answer at all (google-health.md §4.5).
   */
  refusedMeansGone?: boolean;
}

/** The scopes the platform-managed flow asks for (profile: the child's time zone). */
export const FITBIT_SCOPES = "activity sleep weight profile";

/** Fitbit's per-user limit: 150 requests per clock hour. */
const HOUR = 3_600_000;

/** Days per weight window (Fitbit serves at most 31 days per weight request). */
const WEIGHT_WINDOW_DAYS = 31;
const WEIGHT_WINDOWS = 4;
/** Activity and sleep lists: the most recent 100 logs (page 1, fitbit.md §4.2). */
const LIST_LIMIT = 100;

const SHORT_SCOPES: Record<string, DataKind[]> = {
  rwei: ["weights"],
  rsle: ["sleep"],
  ract: ["activities", "logs"],
  weight: ["weights"],
  sleep: ["sleep"],
  activity: ["activities", "logs"],
};

interface Request {
  method: "GET" | "POST";
  path: string;
  query?: Record<string, string | number>;
  form?: Record<string, string>;
  bearer?: string;
  basic?: boolean;
}

/**
 * The legacy Fitbit Web API, through ofetch (fitbit.md §3, §4.7). Turned off since
 * 2026-11-02: a 410 from any of its endpoints means the grant is gone (google-health.md
 * §4.5); the adapter stays for connections made before and for deployments that still
 * choose it.
 */
export class FitbitProvider implements WearableProvider {
  readonly id = "fitbit" as const;
  readonly rateLimit = {
    windowMs: HOUR,
    max: 150,
    // profile + activities + 4 weight windows + sleep + 6 series.
    callsPerSync: 1 + 1 + WEIGHT_WINDOWS + 1 + TRACKER_RESOURCES.length,
  };

  constructor(private readonly config: FitbitConfig) {}

  configured(): boolean {
    return hasCredentials(this.config);
  }

  publicClient(): PublicClientInfo | undefined {
    return publicClientInfo(this.id, this.config, this.config.authorizeUrl, FITBIT_SCOPES);
  }

  authorizeUrl(input: { state: string; codeChallenge: string; redirectUri: string }): string {
    const url = new URL(this.config.authorizeUrl);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: this.config.clientId ?? "",
      redirect_uri: input.redirectUri,
      scope: FITBIT_SCOPES,
      ...pkceParams(input),
    }).toString();
    return url.toString();
  }

  async exchangeCode(
    ctx: CallContext,
    input: { code: string; codeVerifier: string; redirectUri: string },
  ): Promise<TokenSet> {
    const body = await this.send(ctx, {
      method: "POST",
      path: "/oauth2/token",
      basic: true,
      form: {
        grant_type: "authorization_code",
        code: input.code,
        redirect_uri: input.redirectUri,
        code_verifier: input.codeVerifier,
        client_id: this.config.clientId ?? "",
      },
    });
    return this.tokenSetFrom(body);
  }

  readSubmitted(accessToken: string): SubmittedClaims {
    const claims = this.claimsOf(accessToken);
    if (!claims) throw new ProviderError("token_invalid");
    return claims;
  }

  async verifySubmitted(
    ctx: CallContext,
    input: { accessToken: string; refreshToken: string; claims?: SubmittedClaims },
  ): Promise<TokenSet> {
    const claims = input.claims ?? this.readSubmitted(input.accessToken);
    const body = await this.send(ctx, {
      method: "POST",
      path: "/1.1/oauth2/introspect",
      bearer: input.accessToken,
      form: { token: input.accessToken },
    }) as Record<string, unknown>;
    const sameUser = body?.user_id === undefined || body.user_id === claims.externalUserId;
    const sameClient = body?.client_id === undefined || this.config.clientId === undefined ||
      body.client_id === this.config.clientId;
    if (body?.active !== true || !sameUser || !sameClient) {
      throw new ProviderError("token_invalid");
    }
    return {
      accessToken: input.accessToken,
      refreshToken: input.refreshToken,
      expiresAt: claims.expiresAt,
      scope: claims.scope,
      externalUserId: claims.externalUserId,
    };
  }

  grantedKinds(scope: string): ReadonlySet<DataKind> {
    const kinds = new Set<DataKind>();
    for (const code of scope.split(/\s+/)) {
      for (const kind of SHORT_SCOPES[code] ?? []) kinds.add(kind);
    }
    return kinds;
  }

  plannedCalls(scope: string): number {
    const kinds = this.grantedKinds(scope);
    return (hasProfileScope(scope) ? 1 : 0) + (kinds.has("activities") ? 1 : 0) +
      (kinds.has("weights") ? WEIGHT_WINDOWS : 0) + (kinds.has("sleep") ? 1 : 0) +
      (kinds.has("logs") ? TRACKER_RESOURCES.length : 0);
  }

  async refresh(ctx: CallContext, tokens: TokenSet): Promise<TokenSet> {
    const body = await this.send(ctx, {
      method: "POST",
      path: "/oauth2/token",
      basic: true,
      form: { grant_type: "refresh_token", refresh_token: tokens.refreshToken },
    });
    return this.tokenSetFrom(body, tokens);
  }

  /**
   * Revokes with the access token while it lives, else with the refresh token (either
   * ends the grant). `invalid_token`/`invalid_grant` for the access token are retried
   * with the refresh token, since an access token can die while the grant lives on; the
   * legacy shutdown (410) ends it at once, as done.
   */
  async revoke(ctx: CallContext, tokens: TokenSet, now: number): Promise<void> {
    const revokeWith = (token: string, hint: string) =>
      this.send(ctx, {
        method: "POST",
        path: "/oauth2/revoke",
        basic: true,
        form: { token, token_type_hint: hint },
      });
    const gone = (error: unknown) =>
      error instanceof ProviderError &&
      ["token_invalid", "token_expired", "grant_invalid"].includes(error.kind);
    if (tokens.expiresAt - 60_000 > now) {
      try {
        await revokeWith(tokens.accessToken, "access_token");
        return;
      } catch (error) {
        if (!gone(error)) throw error;
        // The API itself is gone (410): the refresh token cannot fare better.
        if ((error as ProviderError).detail === LEGACY_GONE) return;
      }
    }
    try {
      await revokeWith(tokens.refreshToken, "refresh_token");
    } catch (error) {
      if (!gone(error)) throw error;
    }
  }

  async settings(ctx: CallContext, tokens: TokenSet): Promise<ProviderSettings> {
    if (!hasProfileScope(tokens.scope)) return {};
    try {
      const body = await this.send(ctx, {
        method: "GET",
        path: "/1/user/-/profile.json",
        bearer: tokens.accessToken,
      });
      const user = (body as { user?: Record<string, unknown> })?.user ?? {};
      return {
        timeZone: typeof user.timezone === "string" ? user.timezone : undefined,
        utcOffsetMs: typeof user.offsetFromUTCMillis === "number"
          ? user.offsetFromUTCMillis
          : undefined,
      };
    } catch (error) {
      if (error instanceof ProviderError && error.kind === "scope_missing") return {};
      throw error;
    }
  }

  async activities(
    ctx: CallContext,
    accessToken: string,
    window: SyncWindow,
    childId: string,
  ): Promise<SourceItem<ActivityItem>[]> {
    const body = await this.list(ctx, accessToken, "/1/user/-/activities/list.json", window);
    return recordsOf(body, "activities").map((raw) => mapActivity(raw, childId, window.zone))
      .filter((item) => item !== undefined);
  }

  async sleep(
    ctx: CallContext,
    accessToken: string,
    window: SyncWindow,
    childId: string,
  ): Promise<SourceItem<SleepItem>[]> {
    const body = await this.list(ctx, accessToken, "/1.2/user/-/sleep/list.json", window);
    return recordsOf(body, "sleep").map((raw) => mapSleep(raw, childId, window.zone))
      .filter((item) => item !== undefined);
  }

  /** Four adjacent 31-day windows ending today (about four months), fetched together. */
  async weights(
    ctx: CallContext,
    accessToken: string,
    window: SyncWindow,
    childId: string,
  ): Promise<SourceItem<WeightItem>[]> {
    const ranges = Array.from({ length: WEIGHT_WINDOWS }, (_, i) => {
      const end = addDays(window.today, -i * WEIGHT_WINDOW_DAYS);
      return [addDays(end, -(WEIGHT_WINDOW_DAYS - 1)), end];
    });
    const bodies = await settleAll(ranges.map(([start, end]) =>
      this.send(ctx, {
        method: "GET",
        path: `/1/user/-/body/log/weight/date/${start}/${end}.json`,
        bearer: accessToken,
      })
    ));
    const seen = new Set<string>();
    return bodies.flatMap((body) => recordsOf(body, "weight"))
      .map((raw) => mapWeight(raw, childId, window.zone))
      .filter((item) =>
        item !== undefined && !seen.has(item.externalId) && seen.add(item.externalId)
      )
      .map((item) => item!);
  }

  async logs(ctx: CallContext, accessToken: string, window: SyncWindow): Promise<LogItem[]> {
    const bodies = await settleAll(TRACKER_RESOURCES.map((resource) =>
      this.send(ctx, {
        method: "GET",
        path:
          `/1/user/-/activities/tracker/${resource}/date/${window.logsFrom}/${window.today}.json`,
        bearer: accessToken,
      })
    ));
    const series = Object.fromEntries(
      TRACKER_RESOURCES.map((resource, i) => [resource, seriesOf(bodies[i], resource)]),
    ) as Record<TrackerResource, Map<string, number>>;
    return mapLogs(series);
  }

  private list(ctx: CallContext, accessToken: string, path: string, window: SyncWindow) {
    return this.send(ctx, {
      method: "GET",
      path,
      bearer: accessToken,
      query: { beforeDate: addDays(window.today, 1), sort: "desc", offset: 0, limit: LIST_LIMIT },
    });
  }

  /** Claims of a Fitbit access token (a JWT): `sub`, `scopes`, `exp` (and `aud` = our client). */
  private claimsOf(accessToken: string): SubmittedClaims | undefined {
    let claims: Record<string, unknown>;
    try {
      claims = decodeJwt(accessToken);
    } catch {
      return undefined;
    }
    const { sub, scopes, exp, aud } = claims;
    if (typeof sub !== "string" || sub === "" || typeof scopes !== "string") return undefined;
    if (typeof exp !== "number" || !Number.isFinite(exp)) return undefined;
    const clientId = this.config.clientId;
    if (
      clientId && aud !== undefined && aud !== clientId &&
      !(Array.isArray(aud) && aud.includes(clientId))
    ) {
      return undefined;
    }
    return { externalUserId: sub, scope: scopes, expiresAt: exp * 1000 };
  }

  /** A token response → TokenSet, from the new JWT's claims (fitbit.md §3.2 C2). */
  private tokenSetFrom(body: unknown, previous?: TokenSet): TokenSet {
    const answer = body as Record<string, unknown> | undefined;
    const accessToken = answer?.access_token, refreshToken = answer?.refresh_token;
    if (typeof accessToken !== "string" || typeof refreshToken !== "string") {
      throw new ProviderError("provider_internal");
    }
    const claims = this.claimsOf(accessToken);
    const expiresIn = typeof answer?.expires_in === "number" ? answer.expires_in : 28_800;
    return {
      accessToken,
      refreshToken,
      expiresAt: claims?.expiresAt ?? Date.now() + expiresIn * 1000,
      scope: claims?.scope ?? previous?.scope ?? "",
      externalUserId: claims?.externalUserId ??
        (typeof answer?.user_id === "string" ? answer.user_id : previous?.externalUserId ?? ""),
    };
  }

  /**
   * One HTTP exchange: budget, request, rate headers, classification. Never retries.
   * Returns the parsed JSON body of a 2xx (undefined when empty).
   */
  private async send(ctx: CallContext, request: Request): Promise<unknown> {
    await ctx.before();
    const headers: Record<string, string> = { Accept: "application/json" };
    if (request.bearer) headers.Authorization = `Bearer ${request.bearer}`;
    if (request.basic) {
      if (!this.configured()) throw new ProviderError("client_invalid");
      headers.Authorization = `Basic ${
        encodeBase64(
          new TextEncoder().encode(`${this.config.clientId}:${this.config.clientSecret}`),
        )
      }`;
    }
    let response;
    try {
      response = await ofetch.raw<string, "text">(request.path, {
        baseURL: this.config.apiUrl,
        method: request.method,
        headers,
        query: request.query,
        body: request.form ? new URLSearchParams(request.form) : undefined,
        responseType: "text",
        retry: false,
        timeout: this.config.timeoutMs,
        ignoreResponseError: true,
      });
    } catch (error) {
      // Refused, DNS, reset, timeout: ofetch's message names the URL only, never a token.
      await ctx.after({ status: "unreachable", limited: false });
      if (this.config.refusedMeansGone && refusedConnection(error)) {
        throw new ProviderError("grant_invalid", LEGACY_GONE);
      }
      throw new ProviderError("unavailable");
    }
    const info = rateInfoOf(response.status, response.headers);
    await ctx.after(info);
    const { parsed, body } = readJson(response._data ?? "");
    if (response.status >= 200 && response.status < 300) {
      if (!parsed) throw new ProviderError("provider_internal");
      return body;
    }
    throw classify(response.status, parsed ? body : undefined, info);
  }
}

/** The detail of a "grant gone" that is the legacy API's shutdown (410), not one grant's end. */
const LEGACY_GONE = "The legacy Fitbit Web API is gone.";

/** A connection refused or a host not found (not a timeout nor a reset). */
function refusedConnection(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/refused|dns|resolve|not known|ENOTFOUND|EAI_AGAIN/i.test(`${e.name} ${e.message}`)) {
      return true;
    }
  }
  return false;
}

function hasProfileScope(scope: string): boolean {
  return scope.split(/\s+/).some((code) => code === "rpro" || code === "profile");
}

function rateInfoOf(status: number, headers: Headers): RateInfo {
  const number = (name: string) => {
    const value = headers.get(name);
    return value === null || value === "" || !Number.isFinite(Number(value))
      ? undefined
      : Number(value);
  };
  const reset = number("Fitbit-Rate-Limit-Reset") ?? number("Retry-After");
  return {
    status,
    limited: status === 429,
    limit: number("Fitbit-Rate-Limit-Limit"),
    remaining: number("Fitbit-Rate-Limit-Remaining"),
    resetMs: reset === undefined ? undefined : reset * 1000,
  };
}

const ERROR_TYPES: Record<string, ProviderErrorKind> = {
  expired_token: "token_expired",
  invalid_token: "token_invalid",
  invalid_grant: "grant_invalid",
  invalid_client: "client_invalid",
  unauthorized_client: "client_invalid",
  internal_error: "provider_internal",
  insufficient_scope: "scope_missing",
  insufficient_permissions: "scope_missing",
};

/**
 * A Fitbit error answer → a provider-neutral kind (fitbit.md §3.3, §3.4): 410 is the
 * legacy shutdown (grant gone, google-health.md §4.5) and 429 the rate limit, whatever the
 * body; otherwise the body's `errors[0].errorType` decides; untyped 502/503/504 mean
 * Fitbit is unreachable and other untyped 5xx an internal error.
 */
export function classify(status: number, body: unknown, info: RateInfo): ProviderError {
  if (status === 410) return new ProviderError("grant_invalid", LEGACY_GONE);
  const first = (body as { errors?: { errorType?: unknown; message?: unknown }[] })?.errors?.[0];
  const type = typeof first?.errorType === "string" ? first.errorType : undefined;
  const message = typeof first?.message === "string" ? first.message : undefined;
  if (status === 429) return new ProviderError("rate_limited", message, info.resetMs);
  if (type === "system") {
    return status >= 500
      ? new ProviderError("unavailable", message)
      : new ProviderError("rate_limited", message, info.resetMs);
  }
  if (type !== undefined) return new ProviderError(ERROR_TYPES[type] ?? "unmapped", message);
  if (status === 401) return new ProviderError("token_invalid");
  return untypedError(status);
}
