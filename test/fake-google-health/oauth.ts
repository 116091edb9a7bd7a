/**
 * Google's OAuth endpoints as the fake serves them (google-health.md §1, §6.2): the consent step
 * `GET /o/oauth2/v2/auth` (plus `/approve` and `/deny` for tests and browsers), the token endpoint
 * (`authorization_code` with PKCE, `refresh_token` keeping the refresh token), `POST /revoke`
 * and `/tokeninfo`.
 */
import { createHash } from "node:crypto";
import type { Context, Hono } from "hono";
import { fullScope } from "./datatypes.ts";
import { htmlErrorResponse, OAUTH_ERRORS, oauthErrorResponse } from "./errors.ts";
import type { AccessRecord, CodeRecord, FakeClient, FakeState, RefreshRecord } from "./state.ts";

/** What the consent step answers. */
export type ConsentOutcome =
  /** The user approves; `scopes` grants a subset (short or full names), default all requested. */
  | { approve: true; healthUserId: string; scopes?: string[] }
  /** The user refuses: `error=access_denied`. */
  | { refuse: true };

/** What the OAuth routes need from the fake. */
export interface OAuthHost {
  state: FakeState;
  /** The outcome of the next consent steps; undefined shows the consent page. */
  consent?: ConsentOutcome;
}

const EXPIRES_IN = 3599;
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** `BASE64URL(SHA256(verifier))`, the S256 code challenge. */
export function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

const oauthError = (name: keyof typeof OAUTH_ERRORS, description?: string) =>
  oauthErrorResponse(description ? { ...OAUTH_ERRORS[name], description } : OAUTH_ERRORS[name]);

/** Reads a form body (or the query string); a non-form body counts as empty. */
async function formOf(c: Context): Promise<Record<string, string>> {
  const type = c.req.header("Content-Type") ?? "";
  const body = type.includes("application/x-www-form-urlencoded") ? await c.req.text() : "";
  return { ...c.req.query(), ...Object.fromEntries(new URLSearchParams(body)) };
}

/** The checked authorize request, or the error page. */
function checkAuthorize(host: OAuthHost, q: Record<string, string>):
  | { client: FakeClient; scopes: string[] }
  | Response {
  const client = host.state.clients.get(q.client_id ?? "");
  if (!client) {
    return htmlErrorResponse(401, "Error 401: invalid_client. The OAuth client was not found.");
  }
  if (!q.redirect_uri || (client.redirectUris && !client.redirectUris.includes(q.redirect_uri))) {
    return htmlErrorResponse(400, "Error 400: redirect_uri_mismatch");
  }
  const scopes = (q.scope ?? "").split(/\s+/).filter(Boolean);
  const problem = q.response_type !== "code"
    ? "Invalid response_type"
    : scopes.length === 0
    ? "Missing required parameter: scope"
    : q.code_challenge_method && !["S256", "plain"].includes(q.code_challenge_method)
    ? "Invalid code_challenge_method"
    : q.code_challenge_method && !q.code_challenge
    ? "Missing code_challenge"
    : undefined;
  if (problem) return htmlErrorResponse(400, `Error 400: invalid_request. ${problem}`);
  return { client, scopes };
}

function redirectWith(redirectUri: string, params: Record<string, string>): Response {
  const target = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  return new Response(null, { status: 302, headers: { Location: target.toString() } });
}

function decide(host: OAuthHost, q: Record<string, string>, outcome: ConsentOutcome): Response {
  const checked = checkAuthorize(host, q);
  if (checked instanceof Response) return checked;
  const state: Record<string, string> = q.state === undefined ? {} : { state: q.state };
  if ("refuse" in outcome) {
    return redirectWith(q.redirect_uri, { error: "access_denied", ...state });
  }
  const user = host.state.users.get(outcome.healthUserId);
  if (!user) return htmlErrorResponse(400, `Error 400: unknown user ${outcome.healthUserId}`);
  const { client } = checked;
  if (client.mode === "testing" && !client.testUsers.includes(user.email)) {
    return htmlErrorResponse(403, "Error 403: access_denied. The app is in testing.");
  }
  const chosen = new Set((outcome.scopes ?? checked.scopes).map(fullScope));
  let granted = checked.scopes.filter((s) => chosen.has(s));
  if (granted.length === 0) {
    return redirectWith(q.redirect_uri, { error: "access_denied", ...state });
  }
  if (q.include_granted_scopes === "true") {
    const previous = [...host.state.grants.values()].find((g) =>
      g.clientId === client.clientId && g.healthUserId === user.healthUserId && !g.revoked
    );
    granted = [...new Set([...(previous?.scopes ?? []), ...granted])];
  }
  const pair = `${client.clientId}|${user.healthUserId}`;
  const offline = q.access_type === "offline";
  const record: CodeRecord = {
    code: `4/fake-${crypto.randomUUID().replaceAll("-", "")}`,
    clientId: client.clientId,
    redirectUri: q.redirect_uri,
    healthUserId: user.healthUserId,
    scopes: granted,
    challenge: q.code_challenge,
    method: q.code_challenge ? (q.code_challenge_method === "S256" ? "S256" : "plain") : undefined,
    offline,
    withRefresh: offline && ((q.prompt ?? "").split(" ").includes("consent") ||
      !host.state.consented.has(pair)),
    used: false,
    exp: host.state.now() + host.state.config.codeLifetimeSeconds * 1000,
  };
  host.state.consented.add(pair);
  host.state.codes.set(record.code, record);
  return redirectWith(q.redirect_uri, {
    code: record.code,
    ...state,
    scope: granted.join(" "),
    authuser: "0",
    prompt: q.prompt === "consent" ? "consent" : "none",
  });
}

/** A minimal consent page: one link per known user, and a deny link. */
function consentPage(host: OAuthHost, q: Record<string, string>): Response {
  const query = new URLSearchParams(q);
  const escape = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const users = [...host.state.users.values()].map((u) => {
    const href = `/o/oauth2/v2/auth/approve?${query}&user=${encodeURIComponent(u.healthUserId)}`;
    return `<li><a id="approve-${escape(u.healthUserId)}" href="${escape(href)}">Allow as ${
      escape(u.email)
    }</a></li>`;
  }).join("");
  const deny = escape(`/o/oauth2/v2/auth/deny?${query}`);
  return new Response(
    `<!DOCTYPE html><html><title>Fake Google consent</title><h1>Choose an account</h1><ul>${users}</ul><a id="deny" href="${deny}">Cancel</a></html>`,
    { status: 200, headers: { "Content-Type": "text/html; charset=UTF-8" } },
  );
}

function clientOf(host: OAuthHost, c: Context, form: Record<string, string>) {
  let id = form.client_id;
  let secret = form.client_secret;
  const basic = c.req.header("Authorization");
  if (basic?.startsWith("Basic ")) {
    try {
      [id, secret] = atob(basic.slice(6)).split(":").map(decodeURIComponent);
    } catch {
      return oauthError("invalid_client");
    }
  }
  if (!id) return oauthError("invalid_request", "Could not determine client ID from request.");
  const client = host.state.clients.get(id);
  if (!client) return oauthError("invalid_client_not_found");
  if (client.clientSecret !== secret) return oauthError("invalid_client");
  return client;
}

/** The token endpoint's 200 (§1.3): a refresh token only when one was issued. */
function tokenAnswer(access: AccessRecord, refresh?: RefreshRecord): Response {
  return Response.json({
    access_token: access.token,
    expires_in: EXPIRES_IN,
    ...(refresh && { refresh_token: refresh.token }),
    scope: access.scopes.join(" "),
    token_type: "Bearer",
  });
}

function exchange(host: OAuthHost, client: FakeClient, form: Record<string, string>): Response {
  const { state } = host;
  if (!form.code) return oauthError("invalid_request", "Missing required parameter: code");
  if (!form.redirect_uri) return oauthError("invalid_request", "Missing parameter: redirect_uri");
  const code = state.codes.get(form.code);
  if (!code) return oauthError("invalid_grant_malformed");
  const fresh = !code.used && code.exp > state.now();
  code.used = true;
  if (!fresh || code.clientId !== client.clientId || code.redirectUri !== form.redirect_uri) {
    return oauthError("invalid_grant");
  }
  if (code.challenge) {
    const verifier = form.code_verifier;
    if (!verifier) return oauthError("invalid_grant", "Missing code verifier.");
    const computed = code.method === "S256" ? s256(verifier) : verifier;
    if (!VERIFIER.test(verifier) || computed !== code.challenge) {
      return oauthError("invalid_grant", "Invalid code verifier.");
    }
  }
  const grant = state.grantFor(client.clientId, code.healthUserId);
  state.widen(grant, code.scopes);
  const access = state.issueAccess(grant, code.scopes, code.offline);
  const refresh = code.withRefresh ? state.issueRefresh(grant, code.scopes) : undefined;
  return tokenAnswer(access, refresh);
}

function refresh(host: OAuthHost, client: FakeClient, form: Record<string, string>): Response {
  const { state } = host;
  if (!form.refresh_token) {
    return oauthError("invalid_request", "Missing required parameter: refresh_token");
  }
  const record = state.refreshTokens.get(form.refresh_token);
  if (!record) return oauthError("invalid_grant");
  if (record.grant.clientId !== client.clientId) return oauthError("unauthorized_client");
  const death = state.refreshDeath(record);
  if (death !== undefined) {
    const long = state.config.badRequestAfterDeath && state.now() - death > 12 * 3_600_000;
    return oauthError(long ? "invalid_grant" : "invalid_grant_revoked");
  }
  record.lastUsedAt = state.now();
  const access = state.issueAccess(record.grant, record.scopes, true);
  const rotated = state.config.rotateRefreshTokens
    ? state.issueRefresh(record.grant, record.scopes)
    : undefined;
  return tokenAnswer(access, rotated);
}

/** Registers the OAuth routes. */
export function oauthRoutes(app: Hono, host: OAuthHost): void {
  app.get("/o/oauth2/v2/auth", (c) => {
    const q = c.req.query();
    const checked = checkAuthorize(host, q);
    if (checked instanceof Response) return checked;
    return host.consent ? decide(host, q, host.consent) : consentPage(host, q);
  });
  app.get("/o/oauth2/v2/auth/approve", (c) => {
    const { user, scopes, ...q } = c.req.query();
    return decide(host, q, {
      approve: true,
      healthUserId: user ?? "",
      scopes: scopes?.split(/\s+/).filter(Boolean),
    });
  });
  app.get("/o/oauth2/v2/auth/deny", (c) => decide(host, c.req.query(), { refuse: true }));

  app.post("/token", async (c) => {
    const form = await formOf(c);
    const client = clientOf(host, c, form);
    if (client instanceof Response) return client;
    if (!form.grant_type) {
      return oauthError("invalid_request", "Missing required parameter: grant_type");
    }
    if (form.grant_type === "authorization_code") return exchange(host, client, form);
    if (form.grant_type === "refresh_token") return refresh(host, client, form);
    return oauthError("unsupported_grant_type", `Invalid grant_type: ${form.grant_type}`);
  });

  app.post("/revoke", async (c) => {
    const { token } = await formOf(c);
    if (!token) return oauthError("invalid_request", "Missing required parameter: token");
    const { state } = host;
    const refresh = state.refreshTokens.get(token);
    const access = state.accessState(token);
    const grant = refresh && state.refreshDeath(refresh) === undefined
      ? refresh.grant
      : access.state === "live"
      ? access.record!.grant
      : undefined;
    if (!grant) return oauthError("invalid_token");
    state.revoke(grant);
    return new Response(null, { status: 200 });
  });
  app.get("/revoke", () => htmlErrorResponse(404, "Error 404 (Not Found)"));

  const tokeninfo = async (c: Context) => {
    const { access_token: token } = await formOf(c);
    const { state } = host;
    const found = state.accessState(token ?? "");
    if (found.state !== "live") return oauthErrorResponse(OAUTH_ERRORS.tokeninfo_invalid);
    const record = found.record!;
    const user = state.users.get(record.grant.healthUserId);
    const exp = Math.floor(record.exp / 1000);
    const left = Math.max(0, Math.floor((record.exp - state.now()) / 1000));
    const asType = (n: number) => state.config.tokeninfoNumbers ? n : String(n);
    return c.json({
      azp: record.grant.clientId,
      aud: record.grant.clientId,
      sub: user?.sub ?? "",
      scope: record.scopes.join(" "),
      exp: asType(exp),
      expires_in: asType(left),
      access_type: record.offline ? "offline" : "online",
    });
  };
  for (const path of ["/tokeninfo", "/oauth2/v1/tokeninfo", "/oauth2/v3/tokeninfo"]) {
    app.get(path, tokeninfo);
    app.post(path, tokeninfo);
  }
}
