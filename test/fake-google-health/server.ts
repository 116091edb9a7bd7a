/**
 * A fake Google Health API for tests (google-health.md §6): a real HTTP server on loopback (a
 * Hono app on `Deno.serve`, port 0) serving Google's OAuth endpoints, tokeninfo and the Health
 * API v4 under one base URL, with quotas, the documented error shapes, injectable failures, a
 * call log, per-call latency, a webhook emitter and the `/__fake` control surface. Tests drive it
 * through this object or over HTTP; the adapter only ever sees the Google-shaped routes.
 */
import { type Context, Hono } from "hono";
import {
  type CallFilter,
  type LoggedCall,
  redactForm,
  redactHeaders,
  redactUrl,
  selectCalls,
} from "./calllog.ts";
import { serveLoopback } from "../loopback.ts";
import { controlRoutes } from "./control.ts";
import { API_ERRORS, apiErrorResponse } from "./errors.ts";
import {
  applyAfter,
  applyBefore,
  type CallFacts,
  type Endpoint,
  type FaultAction,
  type FaultMatch,
  type FaultRule,
  isAfterAction,
  rateLimited,
  sleep,
  takeFault,
} from "./faults.ts";
import { healthRoutes, parseHealthPath } from "./health.ts";
import { type ConsentOutcome, oauthRoutes } from "./oauth.ts";
import { Quota } from "./quota.ts";
import {
  type DataSeed,
  type FakeClient,
  type FakeConfig,
  FakeState,
  type FakeUser,
  type Grant,
  tokenHash,
} from "./state.ts";
import { subscriberRoutes } from "./subscribers.ts";
import { WebhookEmitter } from "./webhooks.ts";

/** Options of {@link FakeGoogleHealth.start}. */
export interface FakeGoogleHealthOptions {
  /** The fake's clock (epoch ms); default the real one. Share the app's test clock. */
  now?: () => number;
  /** Initial configuration (latency, quotas, toggles). */
  config?: Partial<FakeConfig>;
}

/** The base URLs the adapter's configuration takes, all served by this one server. */
export interface GoogleHealthUrls {
  /** `GOOGLE_HEALTH_API_BASE_URL` (the API is under `/v4`). */
  api: string;
  /** `GOOGLE_OAUTH_AUTH_URL`. */
  auth: string;
  /** `GOOGLE_OAUTH_TOKEN_URL`. */
  token: string;
  /** `GOOGLE_OAUTH_REVOKE_URL`. */
  revoke: string;
  /** `GOOGLE_TOKENINFO_URL`. */
  tokeninfo: string;
  /** The public keyset of the webhook signing key (for the receiver's keyset URL). */
  keyset: string;
}

/** Tokens of a seeded grant, as a token endpoint answers them. */
export interface SeededTokens {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
  grantId: string;
}

/** The fake Google Health API. */
export class FakeGoogleHealth {
  readonly app = new Hono();
  readonly state: FakeState;
  readonly quota = new Quota();
  readonly webhooks: WebhookEmitter;
  /** Outcome of the consent step; undefined shows a consent page (links per user). */
  consent?: ConsentOutcome;
  faults: FaultRule[] = [];
  /** Every call outside `/__fake`, oldest first (see `callLog` in the configuration). */
  log: LoggedCall[] = [];
  /** Calls outside `/__fake` since the start or the last reset, logged or not. */
  callCount = 0;
  /** Base URL once listening, e.g. `http://127.0.0.1:41234`. */
  url = "";
  private server?: Deno.HttpServer;
  private closing = new AbortController();

  private constructor(options: FakeGoogleHealthOptions) {
    this.state = new FakeState(options.now);
    Object.assign(this.state.config, options.config);
    this.webhooks = new WebhookEmitter(this.state);
    this.routes();
  }

  /** Starts a fake on a free loopback port. */
  static async start(options: FakeGoogleHealthOptions = {}): Promise<FakeGoogleHealth> {
    const fake = new FakeGoogleHealth(options);
    await fake.webhooks.init();
    fake.listen(0);
    return fake;
  }

  /** The fake clock. Assign a function to share a test clock. */
  get now(): () => number {
    return this.state.now;
  }
  set now(clock: () => number) {
    this.state.now = clock;
  }

  /** The live configuration (mutable). */
  get config(): FakeConfig {
    return this.state.config;
  }

  /** Changes some settings. */
  configure(change: Partial<FakeConfig>): FakeConfig {
    return Object.assign(this.state.config, change);
  }

  /** The URLs to configure the adapter with. */
  get urls(): GoogleHealthUrls {
    return {
      api: this.url,
      auth: `${this.url}/o/oauth2/v2/auth`,
      token: `${this.url}/token`,
      revoke: `${this.url}/revoke`,
      tokeninfo: `${this.url}/tokeninfo`,
      keyset: `${this.url}/__fake/keyset.json`,
    };
  }

  private listen(port: number): void {
    const served = serveLoopback(this.app.fetch, port);
    this.server = served.server;
    this.url = served.url;
  }

  /** Stops the server; hanging and delayed calls end at once. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.server?.shutdown();
    this.server = undefined;
  }

  /** Takes the server down (connections are refused) until `resume`; state is kept. */
  async pause(): Promise<void> {
    await this.close();
  }

  /** Brings a paused server back on the same port. */
  resume(): Promise<void> {
    this.closing = new AbortController();
    this.listen(Number(new URL(this.url).port));
    return Promise.resolve();
  }

  /** Clears clients, users, grants, data, faults, the log, quotas and subscribers. */
  reset(): void {
    this.state.reset();
    this.quota.reset();
    this.webhooks.reset();
    this.consent = undefined;
    this.faults = [];
    this.log = [];
    this.callCount = 0;
  }

  // ---- seeding --------------------------------------------------------------------------------

  /** Registers an OAuth client (the default one is pre-seeded). */
  addClient(input: Partial<FakeClient> & { clientId: string; clientSecret: string }): FakeClient {
    return this.state.addClient(input);
  }

  /** Adds a Google user (random ids unless given), optionally with data. */
  addUser(input: Parameters<FakeState["addUser"]>[0] = {}): FakeUser {
    return this.state.addUser(input);
  }

  /** Replaces a user's data. */
  setData(healthUserId: string, seed: DataSeed): void {
    this.state.seed(healthUserId, seed, "replace");
  }

  /** Adds to a user's data. */
  addData(healthUserId: string, seed: DataSeed): void {
    this.state.seed(healthUserId, seed, "append");
  }

  /** A grant as if the user had consented (no browser step): its tokens. */
  grant(input: Parameters<FakeState["seedGrant"]>[0]): SeededTokens {
    const { grant, access, refresh } = this.state.seedGrant(input);
    return {
      access_token: access.token,
      ...(refresh && { refresh_token: refresh.token }),
      expires_in: 3599,
      scope: access.scopes.join(" "),
      grantId: grant.id,
    };
  }

  /** The grant holding a token (access or refresh), if any. */
  grantOf(token: string): Grant | undefined {
    return this.state.accessTokens.get(token)?.grant ?? this.state.refreshTokens.get(token)?.grant;
  }

  /** Simulates the user removing access in their Google Account. */
  revokeGrant(grantId: string): void {
    const grant = this.state.grants.get(grantId);
    if (!grant) throw new Error(`unknown grant ${grantId}`);
    this.state.revoke(grant);
  }

  // ---- faults and log -------------------------------------------------------------------------

  /** Adds a fault rule (default: once). */
  fault(match: FaultMatch, action: FaultAction, times: FaultRule["times"] = 1): FaultRule {
    const rule = { match, action, times };
    this.faults.push(rule);
    return rule;
  }

  /** Logged calls matching a filter (all when none is given). */
  calls(filter: CallFilter = {}): LoggedCall[] {
    return selectCalls(this.log, filter);
  }

  // ---- routes ---------------------------------------------------------------------------------

  private routes() {
    controlRoutes(this.app, this);
    this.app.use(
      "*",
      (c, next) => c.req.path.startsWith("/__fake") ? next() : this.pipeline(c, next),
    );
    oauthRoutes(this.app, this);
    healthRoutes(this.app, this);
    subscriberRoutes(this.app, this.state, this.webhooks);
    this.app.all("*", (c) => {
      if (c.req.path.startsWith("/v4")) return apiErrorResponse(API_ERRORS.NOT_FOUND, "list");
      return c.text("Not Found", 404);
    });
  }

  /** Facts about a call: endpoint, data type, user, token (raw). */
  private async facts(c: Context) {
    const method = c.req.method;
    const path = decodeURIComponent(c.req.path);
    const type = c.req.header("Content-Type") ?? "";
    const text = method === "POST" ? await c.req.text() : "";
    const form = type.includes("application/x-www-form-urlencoded")
      ? { ...c.req.query(), ...Object.fromEntries(new URLSearchParams(text)) }
      : undefined;
    let body: unknown;
    if (text && !form) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const bearer = c.req.header("Authorization")?.match(/^Bearer (.+)$/)?.[1];
    const health = parseHealthPath(method, path);
    let endpoint: Endpoint = health?.endpoint ?? "other";
    let token: string | undefined = bearer;
    if (path.startsWith("/o/oauth2/v2/auth")) endpoint = "authorize";
    else if (path.startsWith("/v4/projects/")) endpoint = "subscribers";
    else if (path === "/token") {
      endpoint = "token";
      token = form?.grant_type === "refresh_token" ? form.refresh_token : form?.code;
    } else if (path === "/revoke") {
      endpoint = "revoke";
      token = form?.token ?? c.req.query("token");
    } else if (/^(\/oauth2\/v[13])?\/tokeninfo$/.test(path)) {
      endpoint = "tokeninfo";
      token = form?.access_token ?? c.req.query("access_token");
    }
    const healthUserId = token ? this.state.userOfToken(token) : undefined;
    return { method, path, form, body, endpoint, token, healthUserId, dataType: health?.dataType };
  }

  /** Log, latency, faults and (for OAuth, when configured) quotas around every call. */
  private async pipeline(c: Context, next: () => Promise<void>): Promise<Response | void> {
    const f = await this.facts(c);
    const { url, query } = redactUrl(c.req.url);
    const full = this.config.callLog === "full";
    const entry: LoggedCall = {
      seq: ++this.callCount,
      at: this.state.now(),
      method: f.method,
      path: f.path,
      url,
      endpoint: f.endpoint,
      ...(f.dataType && { dataType: f.dataType }),
      ...(f.healthUserId && { healthUserId: f.healthUserId }),
      ...(f.token && { token: tokenHash(f.token) }),
      ...(f.form?.grant_type && { grantType: f.form.grant_type }),
      query: full ? query : {},
      headers: full ? redactHeaders(c.req.raw.headers) : {},
      ...(full && f.form && { form: redactForm(f.form) }),
      ...(full && f.body !== undefined && { body: f.body }),
      status: 0,
    };
    if (this.config.callLog !== "off") this.log.push(entry);
    const signal = this.closing.signal;
    if (this.config.latencyMs > 0) await sleep(this.config.latencyMs, signal);
    const call: CallFacts = {
      endpoint: f.endpoint,
      method: f.method,
      path: f.path,
      dataType: f.dataType,
      healthUserId: f.healthUserId,
      grantType: f.form?.grant_type,
    };
    const rule = takeFault(this.faults, call);
    if (rule) entry.fault = Object.keys(rule.action)[0];
    const retryAfter = this.config.retryAfter ? 60 : undefined;
    if (rule && !isAfterAction(rule.action)) {
      const answer = await applyBefore(rule.action, f.endpoint, signal, retryAfter);
      if (answer) {
        entry.status = answer.status;
        return answer;
      }
    }
    const oauth = ["token", "revoke", "tokeninfo"].includes(f.endpoint);
    if (oauth && this.config.countOAuth) {
      const refused = this.quota.take(f.healthUserId, this.state.now(), {
        perUser: this.config.perUserPerMinute,
        perProject: this.config.perProjectPerMinute,
      });
      if (refused) {
        entry.status = 429;
        return rateLimited(
          f.endpoint,
          this.config.retryAfter ? refused.retryAfterSeconds : undefined,
        );
      }
    }
    await next();
    if (rule && isAfterAction(rule.action) && c.res.ok) {
      const body = await c.res.json();
      c.res = Response.json(applyAfter(rule.action, body), { status: c.res.status });
    }
    entry.status = c.res.status;
  }
}
