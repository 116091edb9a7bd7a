/**
 * Injectable failures (google-health.md §6.8): rules `{match, times, action}` checked on every
 * call outside `/__fake`. The first rule that matches and has uses left applies. "Before" actions
 * answer instead of the endpoint (errors, 429, HTML, malformed JSON, a cut connection, a hang) or
 * hold the answer back (delay); "after" actions rewrite the endpoint's JSON answer.
 */
import {
  API_ERRORS,
  type ApiErrorName,
  apiErrorResponse,
  type ApiErrorSpec,
  htmlErrorResponse,
  OAUTH_ERRORS,
  type OAuthErrorName,
  oauthErrorResponse,
  type OAuthErrorSpec,
  quotaFailure,
} from "./errors.ts";

/** The fake's endpoints, as the call log and fault rules name them. */
export type Endpoint =
  | "authorize"
  | "token"
  | "revoke"
  | "tokeninfo"
  | "identity"
  | "settings"
  | "profile"
  | "list"
  | "reconcile"
  | "dailyRollUp"
  | "subscribers"
  | "other";

/** Which calls a rule applies to; every given field must match. */
export interface FaultMatch {
  endpoint?: Endpoint | Endpoint[];
  /** Kebab data type of list / reconcile / dailyRollUp calls. */
  dataType?: string;
  healthUserId?: string;
  method?: string;
  /** Tested against the path (a string is compiled to a RegExp). */
  pathRegex?: string | RegExp;
  /** Token endpoint only: `authorization_code` or `refresh_token`. */
  grantType?: string;
}

/** What a matching rule does. */
export type FaultAction =
  | { oauthError: OAuthErrorName | OAuthErrorSpec }
  | { apiError: ApiErrorName | ApiErrorSpec }
  | { rateLimit: true }
  | { htmlError: number }
  | { malformed: true }
  | { delayMs: number }
  | { hang: true }
  | { drop: true }
  | { emptyPage: true }
  | { missingValue: true }
  | { unprocessedSleep: true }
  | { pageTokenReplay: true };

/** A fault rule. `times` counts down per applied call; "always" never runs out. */
export interface FaultRule {
  match: FaultMatch;
  times: number | "always";
  action: FaultAction;
}

/** What the call looks like to the matcher. */
export interface CallFacts {
  endpoint: Endpoint;
  method: string;
  path: string;
  dataType?: string;
  healthUserId?: string;
  grantType?: string;
}

/** A page token that always answers 400 (the `pageTokenReplay` fault). */
export const REPLAYED_PAGE_TOKEN = "cmVwbGF5ZWQtcGFnZS10b2tlbg";

/** The first rule for a call with uses left; its use is counted. */
export function takeFault(rules: FaultRule[], call: CallFacts): FaultRule | undefined {
  const rule = rules.find((r) => (r.times === "always" || r.times > 0) && matches(r.match, call));
  if (rule && rule.times !== "always") rule.times--;
  return rule;
}

function matches(m: FaultMatch, call: CallFacts): boolean {
  const endpoints = m.endpoint === undefined ? undefined : [m.endpoint].flat();
  const path = typeof m.pathRegex === "string" ? new RegExp(m.pathRegex) : m.pathRegex;
  return (!endpoints || endpoints.includes(call.endpoint)) &&
    (!m.dataType || m.dataType === call.dataType) &&
    (!m.healthUserId || m.healthUserId === call.healthUserId) &&
    (!m.method || m.method.toUpperCase() === call.method) &&
    (!path || path.test(call.path)) &&
    (!m.grantType || m.grantType === call.grantType);
}

/** Whether an action rewrites the endpoint's answer rather than replacing it. */
export function isAfterAction(action: FaultAction): boolean {
  return "emptyPage" in action || "missingValue" in action || "unprocessedSleep" in action ||
    "pageTokenReplay" in action;
}

/** Waits, unless the fake is closing. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

/** The 429 of the quota (or of a `rateLimit` fault). */
export function rateLimited(endpoint: string, retryAfterSeconds?: number): Response {
  const spec = API_ERRORS.RATE_LIMIT_EXCEEDED;
  return apiErrorResponse(
    spec,
    endpoint,
    retryAfterSeconds === undefined ? {} : { "Retry-After": String(retryAfterSeconds) },
    [quotaFailure("Requests per minute per user")],
  );
}

/** Runs a "before" action: a response replaces the endpoint's, undefined lets it run. */
export async function applyBefore(
  action: FaultAction,
  endpoint: Endpoint,
  signal: AbortSignal,
  retryAfterSeconds?: number,
): Promise<Response | undefined> {
  if ("delayMs" in action) {
    await sleep(action.delayMs, signal);
    return undefined;
  }
  if ("hang" in action) {
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
    return htmlErrorResponse(503, "The fake closed while this call hung");
  }
  if ("oauthError" in action) {
    const spec = typeof action.oauthError === "string"
      ? OAUTH_ERRORS[action.oauthError]
      : action.oauthError;
    return oauthErrorResponse(spec);
  }
  if ("apiError" in action) {
    const spec = typeof action.apiError === "string"
      ? API_ERRORS[action.apiError]
      : action.apiError;
    return spec.http === 429
      ? rateLimited(endpoint, retryAfterSeconds)
      : apiErrorResponse(spec, endpoint);
  }
  if ("rateLimit" in action) return rateLimited(endpoint, retryAfterSeconds);
  if ("htmlError" in action) return htmlErrorResponse(action.htmlError);
  if ("malformed" in action) {
    return new Response('{"dataPoints": [', {
      status: 200,
      headers: { "Content-Type": "application/json; charset=UTF-8" },
    });
  }
  if ("drop" in action) {
    // Promises 4096 bytes, sends one and ends: the client sees the connection cut mid-answer.
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("{"));
        controller.close();
      },
    });
    return new Response(body, {
      status: 200,
      headers: { "Content-Type": "application/json", "Content-Length": "4096" },
    });
  }
  return undefined;
}

/** Rewrites a JSON answer for an "after" action. */
export function applyAfter(action: FaultAction, body: Record<string, unknown>) {
  if ("emptyPage" in action) return { dataPoints: [] };
  if ("pageTokenReplay" in action) return { ...body, nextPageToken: REPLAYED_PAGE_TOKEN };
  if ("missingValue" in action && Array.isArray(body.rollupDataPoints)) {
    return {
      ...body,
      rollupDataPoints: body.rollupDataPoints.map((item: Record<string, unknown>) => ({
        civilStartTime: item.civilStartTime,
        civilEndTime: item.civilEndTime,
      })),
    };
  }
  if ("unprocessedSleep" in action && Array.isArray(body.dataPoints)) {
    return {
      ...body,
      dataPoints: body.dataPoints.map((point: Record<string, unknown>) => {
        const sleep = point.sleep as Record<string, unknown> | undefined;
        if (!sleep) return point;
        const metadata = { ...(sleep.metadata as object), processed: false };
        return { ...point, sleep: { ...sleep, metadata, stages: [] } };
      }),
    };
  }
  return body;
}
