/**
 * The dashboard session: one cookie holding the access token `POST /v1/auth` issued
 * (HttpOnly, SameSite=Strict, Secure on HTTPS, scoped to `/app`, expiring with the
 * token). The token is not trusted here: its claims only choose which API paths a page
 * calls (the user's own id and type), and every call has the API verify it again
 * (signature, expiry, revocation, scopes, ownership).
 *
 * Forms that change something carry a CSRF token derived from the session's token
 * (SHA-256 of it, domain-separated): per session, checked on the server by recomputing
 * it, and unknowable without the cookie. The sign-in form, before any session, uses a
 * random value in a second cookie (double submit). Every POST also needs a same-host
 * `Origin` (or `Referer`).
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { decodeJwt } from "jose";
import { USER_TYPES, type UserType } from "../auth/scopes.ts";
import type { Env } from "../env.ts";
import { randomToken, sha256Base64Url } from "../core/encoding.ts";

/** Where the dashboard lives (cookie path and links). */
export const BASE = "/app";

/** The session cookie. */
export const SESSION_COOKIE = "ocariot_session";
/** The username typed at sign-in, for the header only (display, never used for access). */
export const NAME_COOKIE = "ocariot_name";
/** The sign-in form's double-submit value. */
export const SIGN_IN_COOKIE = "ocariot_signin";

/** The name of the CSRF field in every form. */
export const CSRF_FIELD = "_csrf";

/** A signed-in user as the token says (verified by the API on every call). */
export interface Session {
  token: string;
  userId: string;
  type: UserType;
  /** The username typed at sign-in (display only). */
  name: string;
  /** The CSRF value this session's forms carry. */
  csrf: string;
}

/** Whether cookies must be `Secure`: the request came over HTTPS, or the service is HTTPS. */
export function isHttps(c: Context, config: Env): boolean {
  return new URL(c.req.url).protocol === "https:" ||
    c.req.header("x-forwarded-proto") === "https" ||
    config.REDIRECT_HTTPS || Boolean(config.SSL_CERT_PATH);
}

function cookieOptions(c: Context, config: Env, maxAge: number) {
  return {
    path: BASE,
    httpOnly: true,
    secure: isHttps(c, config),
    sameSite: "Strict" as const,
    maxAge: Math.max(0, Math.floor(maxAge)),
  };
}

/** The claims a page needs, or undefined when the value is not a token of ours at all. */
function claimsOf(token: string): { sub: string; type: UserType; exp: number } | undefined {
  try {
    const claims = decodeJwt(token);
    const type = USER_TYPES.find((t) => t === claims.sub_type);
    if (typeof claims.sub !== "string" || !type || typeof claims.exp !== "number") return undefined;
    return { sub: claims.sub, type, exp: claims.exp };
  } catch {
    return undefined;
  }
}

/** The CSRF value of a session: SHA-256 over a fixed label and the token, base64url. */
export function csrfFor(token: string): Promise<string> {
  return sha256Base64Url(`ocariot-dashboard-csrf\u0000${token}`);
}

/** The session a token opens, or undefined when the value is not one of our tokens. */
export async function sessionFromToken(token: string, name: string): Promise<Session | undefined> {
  const claims = claimsOf(token);
  if (!claims) return undefined;
  return { token, userId: claims.sub, type: claims.type, name, csrf: await csrfFor(token) };
}

/** The session of a request, or undefined when there is no usable cookie. */
export async function readSession(c: Context): Promise<Session | undefined> {
  const token = getCookie(c, SESSION_COOKIE);
  return token ? await sessionFromToken(token, getCookie(c, NAME_COOKIE) ?? "") : undefined;
}

/** Starts a session in the browser: its cookies live as long as its token. */
export function startSession(c: Context, config: Env, session: Session, now: number): void {
  const maxAge = (claimsOf(session.token)?.exp ?? 0) - now / 1000;
  setCookie(c, SESSION_COOKIE, session.token, cookieOptions(c, config, maxAge));
  setCookie(c, NAME_COOKIE, session.name, cookieOptions(c, config, maxAge));
  deleteCookie(c, SIGN_IN_COOKIE, { path: BASE });
}

/** Forgets the session in the browser. */
export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: BASE });
  deleteCookie(c, NAME_COOKIE, { path: BASE });
}

/** A fresh double-submit value for the sign-in form, set as its cookie. */
export function signInNonce(c: Context, config: Env): string {
  const value = randomToken(24);
  setCookie(c, SIGN_IN_COOKIE, value, cookieOptions(c, config, 3600));
  return value;
}

/** The sign-in form's expected value (its cookie), if any. */
export function expectedSignInNonce(c: Context): string | undefined {
  return getCookie(c, SIGN_IN_COOKIE);
}

/**
 * Whether a POST comes from one of our own pages: `Origin` (or, when a browser sent
 * none, `Referer`) must name this host. The scheme is not compared, so the check holds
 * behind a proxy that terminates TLS.
 */
export function sameOrigin(c: Context): boolean {
  const source = c.req.header("Origin") ?? c.req.header("Referer");
  if (!source || source === "null") return false;
  try {
    const host = c.req.header("Host") ?? new URL(c.req.url).host;
    return new URL(source).host === host;
  } catch {
    return false;
  }
}

/** Constant-time comparison of two strings. */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== "string" || typeof b !== "string" || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
