import { Hono } from "hono";
import type { Context } from "hono";
import { SignJWT } from "jose";
import { serveLoopback } from "../loopback.ts";

/**
 * A fake Fitbit Web API for tests (fitbit.md §5): a real HTTP server on loopback (a small
 * Hono app on Deno.serve, port 0) with OAuth (authorize with PKCE, token, refresh with
 * single-use refresh tokens, revoke, introspect), profile and data endpoints, per-user
 * rate limiting with Fitbit's headers, a settable clock, injectable faults and a request
 * log. Control it through the object (tests) or under `/__fake` (HTTP).
 */

type Raw = Record<string, unknown>;

/** A Fitbit user and their data, in Fitbit's own shapes. */
export interface FakeUser {
  id: string;
  profile?: { timezone?: string; offsetFromUTCMillis?: number };
  activities: Raw[];
  sleep: Raw[];
  weights: Raw[];
  /** Daily series by resource and date; missing days answer `"0"`. */
  series: Record<string, Record<string, string>>;
  /** Fill every series day with a value derived from the date (benchmarks). */
  generated?: boolean;
}

interface Grant {
  clientId: string;
  userId: string;
  /** Long scope names: activity, sleep, weight, profile, heartrate … */
  scopes: string[];
  refreshToken: string;
  revoked: boolean;
}

interface AccessToken {
  grant: Grant;
  /** Epoch seconds. */
  exp: number;
  dead: boolean;
}

/** What a fault does to a matching request. */
export type FaultAction =
  | { status: number; errorType: string; message?: string }
  | { rateLimit: true }
  | { httpError: number }
  | { malformed: true }
  | { empty: true }
  | { delayMs: number }
  | { waitFor: Promise<unknown> }
  | { drop: true };

/** A fault rule: the first rule matching a request (with times left) applies. */
export interface FaultRule {
  match: { method?: string; path?: RegExp; userId?: string };
  times: number | "always";
  action: FaultAction;
}

/** One logged request. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  form?: Record<string, string>;
  status: number;
  userId?: string;
}

const VISIT =
  "Visit https://dev.fitbit.com/docs/oauth2 for more information on the Fitbit Web API authorization process.";

const SHORT: Record<string, string> = {
  activity: "ract",
  sleep: "rsle",
  weight: "rwei",
  heartrate: "rhr",
  profile: "rpro",
  nutrition: "rnut",
  location: "rloc",
  settings: "rset",
  social: "rsoc",
};

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const errorBody = (errorType: string, message: string, fieldName?: string) => ({
  errors: [{ errorType, ...(fieldName && { fieldName }), message }],
  success: false,
});

const hex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0"))
    .join("");

async function sha256Url(text: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  let binary = "";
  for (const b of digest) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const daysBetween = (start: string, end: string) =>
  Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY_MS);

const isDate = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text);

/** Options of a fake server. */
export interface FakeOptions {
  /** The fake's clock (epoch ms); default the real one. Share the app's test clock. */
  now?: () => number;
  /** Added to every API call (not to `/__fake`). */
  latencyMs?: number;
}

/** The fake Fitbit Web API. */
export class FakeFitbit {
  readonly app = new Hono();
  url = "";
  now: () => number;
  latencyMs: number;
  /** Per-user requests per clock hour before 429. */
  rateLimitPerHour = 150;
  /** Whether introspect counts toward the per-user limit (unconfirmed at Fitbit). */
  countIntrospect = true;
  /** Whether the old access token stays valid after a refresh (unconfirmed at Fitbit). */
  oldAccessSurvivesRefresh = true;
  /** Whether weight ranges over 31 days are refused. */
  weightRangeLimit = true;
  /**
   * The legacy shutdown (google-health.md §4.5, §7.1): every call outside `/__fake` (data,
   * introspect, token, revoke, authorize) answers 410 Gone. Logged as usual.
   */
  gone = false;
  readonly apps = new Map<string, string>([["23ABCD", "fake-secret"]]);
  readonly users = new Map<string, FakeUser>();
  readonly grants: Grant[] = [];
  private readonly access = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly codes = new Map<
    string,
    {
      grant: Omit<Grant, "refreshToken" | "revoked">;
      redirectUri: string;
      challenge: string;
      exp: number;
    }
  >();
  /** The next consent page outcome: a user approving (scopes default: as requested) or refusal. */
  consent: { userId: string; scopes?: string[] } | { refuse: true } | undefined;
  faults: FaultRule[] = [];
  requests: LoggedRequest[] = [];
  /** Requests per `${userId}@${hourStart}` that reached a counted endpoint. */
  readonly usage = new Map<string, number>();
  /** Every request attributed to a user (any endpoint), per user and clock hour. */
  readonly sent = new Map<string, number>();
  private readonly key = crypto.getRandomValues(new Uint8Array(32));
  private server?: Deno.HttpServer;

  constructor(options: FakeOptions = {}) {
    this.now = options.now ?? Date.now;
    this.latencyMs = options.latencyMs ?? 0;
    this.routes();
  }

  /** Starts a fake on a free loopback port. */
  static start(options: FakeOptions = {}): Promise<FakeFitbit> {
    const fake = new FakeFitbit(options);
    fake.listen();
    return Promise.resolve(fake);
  }

  private listen(port = 0): void {
    const served = serveLoopback(this.app.fetch, port);
    this.server = served.server;
    this.url = served.url;
  }

  /** Stops the server. */
  async close(): Promise<void> {
    await this.server?.shutdown();
    this.server = undefined;
  }

  /** Takes the server down (connections are refused) until `resume`; state is kept. */
  async pause(): Promise<void> {
    await this.close();
  }

  /** Brings a paused server back on the same port. */
  resume(): Promise<void> {
    this.listen(Number(new URL(this.url).port));
    return Promise.resolve();
  }

  /** Clears users, grants, faults, logs and counters (apps stay). */
  reset(): void {
    this.users.clear();
    this.grants.length = 0;
    this.access.clear();
    this.refreshTokens.clear();
    this.codes.clear();
    this.faults = [];
    this.requests = [];
    this.usage.clear();
    this.sent.clear();
    this.consent = undefined;
  }

  /** Adds a user (6 upper-case characters) with the given data. */
  addUser(data: Partial<FakeUser> = {}): FakeUser {
    const id = data.id ?? hex(3).toUpperCase();
    const user: FakeUser = { activities: [], sleep: [], weights: [], series: {}, ...data, id };
    this.users.set(id, user);
    return user;
  }

  /** Seeds a grant and returns its tokens (as an app that ran the OAuth flow would have). */
  async grant(input: {
    userId: string;
    scopes?: string[];
    lifetimeSeconds?: number;
    clientId?: string;
  }): Promise<{ access_token: string; refresh_token: string }> {
    const grant: Grant = {
      clientId: input.clientId ?? "23ABCD",
      userId: input.userId,
      scopes: input.scopes ?? ["activity", "sleep", "weight", "profile"],
      refreshToken: hex(32),
      revoked: false,
    };
    this.grants.push(grant);
    this.refreshTokens.set(grant.refreshToken, grant);
    const accessToken = await this.issueAccess(grant, input.lifetimeSeconds ?? 28_800);
    return { access_token: accessToken, refresh_token: grant.refreshToken };
  }

  /** Adds a fault rule. */
  fault(rule: Omit<FaultRule, "times"> & { times?: FaultRule["times"] }): void {
    this.faults.push({ times: 1, ...rule });
  }

  /** Logged requests whose path matches. */
  calls(path: RegExp | string): LoggedRequest[] {
    return this.requests.filter((r) =>
      typeof path === "string" ? r.path === path : path.test(r.path)
    );
  }

  /** The grant holding a refresh or access token, if any. */
  grantOf(token: string): Grant | undefined {
    return this.refreshTokens.get(token) ?? this.access.get(token)?.grant ??
      this.grants.find((g) => g.refreshToken === token);
  }

  /** The highest number of requests any user got in one clock hour. */
  maxRequestsPerUserHour(): number {
    return Math.max(0, ...this.sent.values());
  }

  private async issueAccess(grant: Grant, lifetime: number): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    const token = await new SignJWT({
      aud: grant.clientId,
      sub: grant.userId,
      iss: "Fitbit",
      typ: "access_token",
      scopes: grant.scopes.map((s) => SHORT[s] ?? s).join(" "),
      exp: iat + lifetime,
      iat,
      jti: hex(8),
    }).setProtectedHeader({ alg: "HS256" }).sign(this.key);
    this.access.set(token, { grant, exp: iat + lifetime, dead: false });
    return token;
  }

  private hourOf(): number {
    const now = this.now();
    return now - (now % HOUR_MS);
  }

  private countSent(userId: string | undefined) {
    if (!userId) return;
    const key = `${userId}@${this.hourOf()}`;
    this.sent.set(key, (this.sent.get(key) ?? 0) + 1);
  }

  /** Counts a request toward the user's hourly limit; a 429 response when over it. */
  private limit(c: Context, userId: string): Response | undefined {
    const key = `${userId}@${this.hourOf()}`;
    const used = (this.usage.get(key) ?? 0) + 1;
    this.usage.set(key, used);
    const reset = Math.ceil((this.hourOf() + HOUR_MS - this.now()) / 1000);
    c.header("Fitbit-Rate-Limit-Limit", String(this.rateLimitPerHour));
    c.header("Fitbit-Rate-Limit-Remaining", String(Math.max(0, this.rateLimitPerHour - used)));
    c.header("Fitbit-Rate-Limit-Reset", String(reset));
    if (used > this.rateLimitPerHour) {
      c.header("Retry-After", String(reset));
      return c.json(errorBody("system", "Too Many Requests", "n/a"), 429);
    }
    return undefined;
  }

  private basicClient(c: Context): string | undefined {
    const header = c.req.header("Authorization") ?? "";
    if (!header.startsWith("Basic ")) return undefined;
    try {
      const [id, secret] = atob(header.slice(6)).split(":");
      return this.apps.get(id) === secret ? id : undefined;
    } catch {
      return undefined;
    }
  }

  /** The live access token of the Bearer header, or the 401 to answer. */
  private bearer(c: Context): AccessToken | Response {
    const header = c.req.header("Authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    const found = this.access.get(token);
    if (!found || found.dead || found.grant.revoked) {
      return c.json(errorBody("invalid_token", `Access token invalid: ${token}. ${VISIT}`), 401);
    }
    if (found.exp * 1000 <= this.now()) {
      return c.json(errorBody("expired_token", `Access token expired: ${token}. ${VISIT}`), 401);
    }
    return found;
  }

  private userOfRequest(c: Context, form?: Record<string, string>): string | undefined {
    const header = c.req.header("Authorization") ?? "";
    if (header.startsWith("Bearer ")) return this.access.get(header.slice(7))?.grant.userId;
    const token = form?.token ?? form?.refresh_token;
    if (token) return this.grantOf(token)?.userId;
    const code = form?.code ? this.codes.get(form.code) : undefined;
    return code?.grant.userId;
  }

  private routes() {
    const app = this.app;

    // Test control surface (fitbit.md §5.6): never logged, delayed or faulted.
    app.post("/__fake/reset", (c) => {
      this.reset();
      return c.json({});
    });
    app.put("/__fake/clock", async (c) => {
      const body = await c.req.json() as { now?: number; advanceMs?: number };
      const base = body.now ?? this.now() + (body.advanceMs ?? 0);
      this.now = () => base;
      return c.json({ now: base });
    });
    app.get("/__fake/requests", (c) => c.json(this.requests));
    app.put("/__fake/gone", async (c) => {
      this.gone = (await c.req.json() as { gone?: boolean }).gone === true;
      return c.json({ gone: this.gone });
    });
    app.post("/__fake/faults", async (c) => {
      const rule = await c.req.json() as FaultRule & { match: { path?: string } };
      this.fault({
        ...rule,
        match: { ...rule.match, path: rule.match.path ? new RegExp(rule.match.path) : undefined },
      });
      return c.json({});
    });

    // Log, latency and faults for everything else.
    app.use("*", async (c, next) => {
      if (c.req.path.startsWith("/__fake")) return await next();
      const form = c.req.method === "POST"
        ? Object.fromEntries(new URLSearchParams(await c.req.raw.clone().text()))
        : undefined;
      const entry: LoggedRequest = {
        method: c.req.method,
        path: c.req.path,
        query: c.req.query(),
        headers: Object.fromEntries(c.req.raw.headers),
        form,
        status: 0,
        userId: this.userOfRequest(c, form),
      };
      this.requests.push(entry);
      this.countSent(entry.userId);
      if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
      if (this.gone) {
        entry.status = 410;
        return c.json(errorBody("gone", "The legacy Fitbit Web API has been turned off."), 410);
      }
      const rule = this.faults.find((f) =>
        (f.times === "always" || f.times > 0) &&
        (!f.match.method || f.match.method === c.req.method) &&
        (!f.match.path || f.match.path.test(c.req.path)) &&
        (!f.match.userId || f.match.userId === entry.userId)
      );
      if (rule) {
        if (rule.times !== "always") rule.times--;
        const answer = await this.applyFault(c, rule.action);
        if (answer) {
          entry.status = answer.status;
          return answer;
        }
      }
      await next();
      entry.status = c.res.status;
    });

    app.post("/oauth2/token", async (c) => {
      const clientId = this.basicClient(c);
      if (!clientId) {
        return c.json(errorBody("invalid_client", `Invalid authorization header. ${VISIT}`), 401);
      }
      const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
      if (form.grant_type === "refresh_token") return await this.refresh(c, clientId, form);
      if (form.grant_type === "authorization_code") return await this.exchange(c, clientId, form);
      return c.json(errorBody("unsupported_grant_type", "Unsupported grant type."), 400);
    });

    app.post("/oauth2/revoke", async (c) => {
      if (!this.basicClient(c)) {
        return c.json(errorBody("invalid_client", `Invalid authorization header. ${VISIT}`), 401);
      }
      const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
      const grant = form.token ? this.grantOf(form.token) : undefined;
      if (grant) this.revokeGrant(grant);
      return c.json({});
    });

    app.post("/1.1/oauth2/introspect", async (c) => {
      const caller = this.bearer(c);
      if (caller instanceof Response) return caller;
      if (this.countIntrospect) {
        const limited = this.limit(c, caller.grant.userId);
        if (limited) return limited;
      }
      const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
      const token = this.access.get(form.token ?? "");
      if (!token || token.dead || token.grant.revoked || token.exp * 1000 <= this.now()) {
        return c.json({ active: false });
      }
      return c.json({
        active: true,
        scope: `{${token.grant.scopes.map((s) => `${s.toUpperCase()}=READ`).join(", ")}}`,
        client_id: token.grant.clientId,
        user_id: token.grant.userId,
        token_type: "access_token",
        exp: token.exp * 1000,
        iat: (token.exp - 28_800) * 1000,
      });
    });
    app.post("/oauth2/introspect", (c) => c.json(errorBody("not_found", "Not found"), 404));

    app.get("/oauth2/authorize", (c) => {
      const q = c.req.query();
      if (!this.apps.has(q.client_id ?? "") || q.response_type !== "code" || !q.redirect_uri) {
        return c.html("<html><body>Invalid request</body></html>", 400);
      }
      const target = new URL(q.redirect_uri);
      if (q.state) target.searchParams.set("state", q.state);
      const consent = this.consent;
      if (!consent || "refuse" in consent) {
        target.searchParams.set("error", "access_denied");
        return c.redirect(target.toString(), 302);
      }
      const code = hex(20);
      this.codes.set(code, {
        grant: {
          clientId: q.client_id,
          userId: consent.userId,
          scopes: consent.scopes ?? (q.scope ?? "").split(/\s+/).filter(Boolean),
        },
        redirectUri: q.redirect_uri,
        challenge: q.code_challenge_method === "S256" ? q.code_challenge ?? "" : "",
        exp: this.now() + 600_000,
      });
      target.searchParams.set("code", code);
      return c.redirect(target.toString(), 302);
    });

    app.get("*", (c) => this.data(c));
    app.all(
      "*",
      (c) => c.json(errorBody("not_found", "The API you are requesting could not be found."), 404),
    );
  }

  private revokeGrant(grant: Grant) {
    grant.revoked = true;
    this.refreshTokens.delete(grant.refreshToken);
  }

  private async refresh(c: Context, clientId: string, form: Record<string, string>) {
    if (!form.refresh_token) {
      return c.json(
        errorBody("invalid_request", `Missing parameters: refresh_token. ${VISIT}`),
        400,
      );
    }
    const grant = this.refreshTokens.get(form.refresh_token);
    if (!grant || grant.revoked || grant.clientId !== clientId) {
      return c.json(
        errorBody("invalid_grant", `Refresh token invalid: ${form.refresh_token}. ${VISIT}`),
        400,
      );
    }
    this.refreshTokens.delete(grant.refreshToken);
    if (!this.oldAccessSurvivesRefresh) {
      for (const token of this.access.values()) if (token.grant === grant) token.dead = true;
    }
    grant.refreshToken = hex(32);
    this.refreshTokens.set(grant.refreshToken, grant);
    return c.json(await this.tokenAnswer(grant));
  }

  private async exchange(c: Context, clientId: string, form: Record<string, string>) {
    const code = this.codes.get(form.code ?? "");
    this.codes.delete(form.code ?? "");
    const verifierOk = code && (code.challenge === "" ||
      await sha256Url(form.code_verifier ?? "") === code.challenge);
    if (
      !code || code.exp <= this.now() || code.grant.clientId !== clientId ||
      code.redirectUri !== form.redirect_uri || !verifierOk
    ) {
      return c.json(
        errorBody("invalid_grant", `Authorization code invalid: ${form.code}. ${VISIT}`),
        400,
      );
    }
    const grant: Grant = { ...code.grant, refreshToken: hex(32), revoked: false };
    this.grants.push(grant);
    this.refreshTokens.set(grant.refreshToken, grant);
    return c.json(await this.tokenAnswer(grant));
  }

  private async tokenAnswer(grant: Grant) {
    return {
      access_token: await this.issueAccess(grant, 28_800),
      expires_in: 28_800,
      refresh_token: grant.refreshToken,
      scope: grant.scopes.join(" "),
      token_type: "Bearer",
      user_id: grant.userId,
    };
  }

  private async applyFault(c: Context, action: FaultAction): Promise<Response | undefined> {
    if ("delayMs" in action) {
      await new Promise((r) => setTimeout(r, action.delayMs));
      return undefined;
    }
    if ("waitFor" in action) {
      await action.waitFor;
      return undefined;
    }
    if ("rateLimit" in action) {
      c.header("Retry-After", "1800");
      return c.json(errorBody("system", "Too Many Requests", "n/a"), 429);
    }
    if ("httpError" in action) {
      return c.html(
        `<html><body><h1>${action.httpError} Error</h1></body></html>`,
        action.httpError as 500,
      );
    }
    if ("malformed" in action) {
      return new Response("{not json", {
        status: 200,
        headers: { "Content-Type": "application/json" },
      });
    }
    if ("empty" in action) return c.json({});
    if ("drop" in action) {
      // Promises 1000 bytes, sends one and ends: the client sees the connection cut short.
      return new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("{"));
            controller.close();
          },
        }),
        { status: 200, headers: { "Content-Type": "application/json", "Content-Length": "1000" } },
      );
    }
    return c.json(
      errorBody(action.errorType, action.message ?? `Fake ${action.errorType}.`),
      action.status as 400,
    );
  }

  private data(c: Context): Response {
    const match = /^\/(1|1\.2)\/user\/([^/]+)\/(.+)$/.exec(c.req.path);
    if (!match) {
      return c.json(errorBody("not_found", "The API you are requesting could not be found."), 404);
    }
    const [, , userSegment, rest] = match;
    const token = this.bearer(c);
    if (token instanceof Response) return token;
    const { grant } = token;
    if (userSegment !== "-" && userSegment !== grant.userId) {
      return c.json(errorBody("insufficient_permissions", "Access denied for another user."), 403);
    }
    const user = this.users.get(grant.userId) ?? this.addUser({ id: grant.userId });
    const need = (scope: string) =>
      grant.scopes.includes(scope) ? undefined : c.json(
        errorBody(
          "insufficient_scope",
          `This application does not have permission to access ${scope} data. ${VISIT}`,
        ),
        403,
      );
    const limited = this.limit(c, grant.userId);
    if (limited) return limited;

    if (rest === "profile.json") {
      return need("profile") ?? c.json({ user: { encodedId: user.id, ...user.profile } });
    }
    if (rest === "activities/list.json" || rest === "sleep/list.json") {
      const isSleep = rest.startsWith("sleep");
      const refused = need(isSleep ? "sleep" : "activity");
      if (refused) return refused;
      const q = c.req.query();
      const limit = Number(q.limit);
      if (
        !q.beforeDate === !q.afterDate || q.offset !== "0" || !(limit >= 1 && limit <= 100) ||
        (q.beforeDate && q.sort !== "desc") || (q.afterDate && q.sort !== "asc")
      ) {
        return c.json(errorBody("validation", "Invalid list parameters.", "beforeDate"), 400);
      }
      const list = isSleep ? user.sleep : user.activities;
      const dateOf = (item: Raw) =>
        String(isSleep ? item.dateOfSleep : item.startTime).slice(0, 10);
      const items = list
        .filter((i) => q.beforeDate ? dateOf(i) < q.beforeDate : dateOf(i) > q.afterDate)
        .sort((a, b) => String(b.startTime).localeCompare(String(a.startTime)))
        .slice(0, limit);
      return c.json({
        [isSleep ? "sleep" : "activities"]: items,
        pagination: {
          beforeDate: q.beforeDate ?? "",
          limit,
          next: "",
          offset: 0,
          previous: "",
          sort: q.sort,
        },
      });
    }
    const weight = /^body\/log\/weight\/date\/([\d-]+)\/([\d-]+)\.json$/.exec(rest);
    if (weight) {
      const refused = need("weight");
      if (refused) return refused;
      const [, start, end] = weight;
      if (
        !isDate(start) || !isDate(end) || end < start ||
        (this.weightRangeLimit && daysBetween(start, end) > 30)
      ) {
        return c.json(errorBody("validation", "Invalid date range.", "date"), 400);
      }
      const items = user.weights.filter((w) => String(w.date) >= start && String(w.date) <= end)
        .sort((a, b) => `${a.date}T${a.time}`.localeCompare(`${b.date}T${b.time}`));
      return c.json({ weight: items });
    }
    const tracker = /^activities\/tracker\/(\w+)\/date\/([\w-]+)\/([\w-]+)\.json$/.exec(rest);
    if (tracker) {
      const refused = need("activity");
      if (refused) return refused;
      const [, resource, start, endText] = tracker;
      const end = endText === "today" ? new Date(this.now()).toISOString().slice(0, 10) : endText;
      if (!isDate(start) || !isDate(end) || end < start || daysBetween(start, end) > 1095) {
        return c.json(errorBody("validation", "Invalid date range.", "date"), 400);
      }
      const values = user.series[resource] ?? {};
      const days = [];
      for (
        let day = start;
        day <= end;
        day = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10)
      ) {
        const generated = user.generated
          ? String((Number(day.replaceAll("-", "")) * resource.length) % 9000)
          : "0";
        days.push({ dateTime: day, value: values[day] ?? generated });
      }
      return c.json({ [`activities-tracker-${resource}`]: days });
    }
    return c.json(errorBody("not_found", "The API you are requesting could not be found."), 404);
  }
}

/** A loopback URL nothing listens on (connection refused). */
export function closedPortUrl(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return `http://127.0.0.1:${port}`;
}
