/**
 * The Health API v4 routes of the fake (google-health.md §2, §3, §6.3): identity, settings,
 * profile, `dataPoints` list and reconcile (filters, page sizes, page tokens) and
 * `dataPoints:dailyRollUp`, behind the common checks of §6.3 in their documented order:
 * credentials, token, health profile, legacy login, scope, quota, then path and type.
 */
import { createHash } from "node:crypto";
import type { Context, Hono } from "hono";
import {
  DATA_TYPES,
  type DataPoint,
  type DataTypeInfo,
  fullScope,
  READONLY_SCOPES,
  sortKey,
  zoneOffset,
} from "./datatypes.ts";
import { API_ERRORS, apiErrorResponse, type ApiErrorSpec } from "./errors.ts";
import { rateLimited } from "./faults.ts";
import { FilterError, matches, parseFilter } from "./filter.ts";
import type { Quota } from "./quota.ts";
import { dailyRollUp, parseRollup, RollupError } from "./rollup.ts";
import type { AccessRecord, FakeState, FakeUser } from "./state.ts";

/** What the Health routes need from the fake. */
export interface HealthHost {
  state: FakeState;
  quota: Quota;
}

/** A parsed `/v4/users/{user}/…` path. */
export interface HealthPath {
  endpoint: "identity" | "settings" | "profile" | "list" | "reconcile" | "dailyRollUp";
  user: string;
  dataType?: string;
}

/** Recognises the Health routes (the path percent-decoded). */
export function parseHealthPath(method: string, path: string): HealthPath | undefined {
  const profile = /^\/v4\/users\/([^/]+)\/(identity|settings|profile)$/.exec(path);
  if (profile && method === "GET") {
    return { endpoint: profile[2] as HealthPath["endpoint"], user: profile[1] };
  }
  const data = /^\/v4\/users\/([^/]+)\/dataTypes\/([^/]+)\/dataPoints(:reconcile|:dailyRollUp)?$/
    .exec(path);
  if (!data) return undefined;
  const [, user, dataType, verb] = data;
  if (!verb && method === "GET") return { endpoint: "list", user, dataType };
  if (verb === ":reconcile" && method === "GET") return { endpoint: "reconcile", user, dataType };
  if (verb === ":dailyRollUp" && method === "POST") {
    return { endpoint: "dailyRollUp", user, dataType };
  }
  return undefined;
}

const invalid = (message: string, reason?: string): ApiErrorSpec => ({
  http: 400,
  status: "INVALID_ARGUMENT",
  message,
  reason,
});

/** The checks of §6.3 steps 1–4: the live token and its user, or the error. */
export function authenticate(
  state: FakeState,
  c: Context,
  endpoint: string,
): { access: AccessRecord; user: FakeUser } | Response {
  const header = c.req.header("Authorization") ?? "";
  if (!header.startsWith("Bearer ")) {
    return apiErrorResponse(API_ERRORS.CREDENTIALS_MISSING, endpoint);
  }
  const found = state.accessState(header.slice(7));
  if (found.state === "expired") return apiErrorResponse(API_ERRORS.ACCESS_TOKEN_EXPIRED, endpoint);
  if (found.state === "dead") return apiErrorResponse(API_ERRORS.INVALID_CREDENTIALS, endpoint);
  const access = found.record!;
  const user = state.users.get(access.grant.healthUserId);
  if (!user) return apiErrorResponse(API_ERRORS.INVALID_CREDENTIALS, endpoint);
  return { access, user };
}

function insufficientScope(endpoint: string, scope: string): Response {
  return apiErrorResponse(API_ERRORS.ACCESS_TOKEN_SCOPE_INSUFFICIENT, endpoint, {
    "WWW-Authenticate":
      `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${scope}"`,
  });
}

/** Page tokens: base64url of the offset and a fingerprint of type and filter. */
function pageToken(offset: number, fingerprint: string): string {
  return btoa(JSON.stringify({ o: offset, f: fingerprint })).replace(/=+$/, "")
    .replace(/\+/g, "-").replace(/\//g, "_");
}

function readPageToken(token: string, fingerprint: string): number | undefined {
  try {
    const { o, f } = JSON.parse(atob(token.replace(/-/g, "+").replace(/_/g, "/")));
    return f === fingerprint && Number.isInteger(o) && o >= 0 ? o : undefined;
  } catch {
    return undefined;
  }
}

function list(c: Context, t: DataTypeInfo, user: FakeUser, reconcile: boolean) {
  const endpoint = reconcile ? "reconcile" : "list";
  if (!t.list) {
    return apiErrorResponse(
      invalid(
        `List is not supported for data type ${t.type}, but the following actions are supported: rollup, dailyRollup`,
      ),
      endpoint,
    );
  }
  const q = c.req.query();
  if (reconcile && q.dataSourceFamily !== undefined) {
    const family =
      /^users\/[^/]+\/dataSourceFamilies\/(all-sources|google-wearables|google-sources)$/;
    if (!family.test(q.dataSourceFamily)) {
      return apiErrorResponse(
        invalid(
          `Invalid data source family: ${q.dataSourceFamily}`,
          "INVALID_DATA_POINT_DATA_SOURCE_FAMILY",
        ),
        endpoint,
      );
    }
  }
  let filter;
  try {
    filter = parseFilter(q.filter, t);
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    return apiErrorResponse(invalid(error.message, error.reason), endpoint);
  }
  const requested = q.pageSize === undefined ? 0 : Number(q.pageSize);
  if (!Number.isInteger(requested) || requested < 0) {
    return apiErrorResponse(invalid(`Invalid value for pageSize: ${q.pageSize}`), endpoint);
  }
  const pageSize = requested === 0 ? t.pageSize.default : Math.min(requested, t.pageSize.max);
  const fingerprint = createHash("sha256").update(`${t.type}\n${q.filter ?? ""}`).digest("hex")
    .slice(0, 12);
  const offset = q.pageToken ? readPageToken(q.pageToken, fingerprint) : 0;
  if (offset === undefined) return apiErrorResponse(invalid("Invalid page token."), endpoint);
  const all = (user.data.points.get(t.type) ?? [])
    .filter((p) => matches(filter, p, t))
    .sort((a, b) => sortKey(b, t).localeCompare(sortKey(a, t)));
  const page = all.slice(offset, offset + pageSize).map((point): DataPoint => {
    if (!reconcile) return point;
    const { name, dataSource: _, ...rest } = point;
    return name === undefined ? rest : { dataPointName: name, ...rest };
  });
  const next = offset + pageSize < all.length
    ? pageToken(offset + pageSize, fingerprint)
    : undefined;
  return c.json({ dataPoints: page, ...(next && { nextPageToken: next }) });
}

async function rollUp(host: HealthHost, c: Context, t: DataTypeInfo, user: FakeUser) {
  if (t.rollupMaxDays === undefined) {
    return apiErrorResponse(
      invalid(`Request contains an invalid argument. DailyRollUp is not supported for ${t.type}.`),
      "dailyRollUp",
    );
  }
  try {
    const request = parseRollup(await c.req.text(), t, {
      rejectPageSize: host.state.config.rejectRollupPageSize,
    });
    return c.json({
      rollupDataPoints: dailyRollUp(t, user.data, request, host.state.config.rollupOrder),
    });
  } catch (error) {
    if (!(error instanceof RollupError)) throw error;
    return apiErrorResponse(invalid(error.message), "dailyRollUp");
  }
}

/** Answers one Health call (after logging, latency and faults). */
async function handle(host: HealthHost, c: Context): Promise<Response> {
  const { state } = host;
  const route = parseHealthPath(c.req.method, decodeURIComponent(c.req.path));
  if (!route) return apiErrorResponse(API_ERRORS.NOT_FOUND, "list");
  const { endpoint } = route;
  const auth = authenticate(state, c, endpoint);
  if (auth instanceof Response) return auth;
  const { access, user } = auth;
  if (!user.hasHealthProfile) return apiErrorResponse(API_ERRORS.ACCOUNT_NOT_LINKED, endpoint);
  if (user.legacyFitbitLogin) return apiErrorResponse(API_ERRORS.UBERMINT, endpoint);
  const t = route.dataType ? DATA_TYPES.get(route.dataType) : undefined;
  const needed = t
    ? fullScope(t.scope)
    : endpoint === "settings"
    ? fullScope("settings.readonly")
    : endpoint === "profile"
    ? fullScope("profile.readonly")
    : undefined;
  if (needed && !access.scopes.includes(needed)) return insufficientScope(endpoint, needed);
  if (endpoint === "identity" && !access.scopes.some((s) => READONLY_SCOPES.includes(s))) {
    return insufficientScope(endpoint, READONLY_SCOPES[0]);
  }
  const refused = host.quota.take(user.healthUserId, state.now(), {
    perUser: state.config.perUserPerMinute,
    perProject: state.config.perProjectPerMinute,
  });
  if (refused) {
    return rateLimited(endpoint, state.config.retryAfter ? refused.retryAfterSeconds : undefined);
  }
  if (route.user !== "me" && route.user !== user.healthUserId) {
    return apiErrorResponse(
      {
        http: 403,
        status: "PERMISSION_DENIED",
        message: `Permission denied on users/${route.user}`,
      },
      endpoint,
    );
  }
  switch (endpoint) {
    case "identity":
      return c.json({
        name: "users/me/identity",
        healthUserId: user.healthUserId,
        ...(user.legacyUserId !== null && { legacyUserId: user.legacyUserId }),
      });
    case "settings":
      return c.json({
        name: "users/me/settings",
        timeZone: user.timeZone,
        utcOffset: zoneOffset(user.timeZone, state.now()),
      });
    case "profile":
      return c.json({ name: "users/me/profile", ...user.profile });
  }
  if (!t) {
    return apiErrorResponse(
      invalid(
        `Invalid parent data type collection: users/${route.user}/dataTypes/${route.dataType}`,
        "INVALID_PARENT_DATA_TYPE_COLLECTION",
      ),
      endpoint,
    );
  }
  return endpoint === "dailyRollUp"
    ? await rollUp(host, c, t, user)
    : list(c, t, user, endpoint === "reconcile");
}

/** Registers the Health routes (everything under `/v4/users`). */
export function healthRoutes(app: Hono, host: HealthHost): void {
  app.all("/v4/users/*", (c) => handle(host, c));
}
