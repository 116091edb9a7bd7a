/**
 * The dashboard's only way to data: the service's own API, called in process. Each call
 * is a real `Request` handed to the same Hono app (`app.fetch`) with the session's bearer
 * token, so the access guard, scopes, ownership rules, validation, rate limits and the
 * audit trail all apply exactly as to any other client. The incoming request's origin,
 * connection info (Hono's `env`, where Deno puts the client address) and client headers
 * are passed on, so that per-address throttling and redirect URIs see the real client.
 */
import type { Context } from "hono";
import type { ErrorBody } from "../core/errors.ts";

/** Anything that answers requests like the app (the app itself, in production). */
export interface Fetcher {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

/** One API answer: status, parsed JSON body (or null), headers. */
export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** The token was refused (expired, revoked, invalid): the session is over. */
export class SessionEnded extends Error {
  constructor() {
    super("the API refused the session's token");
  }
}

/** An API answer a page cannot go on with (403, 404, 5xx…): shown as an error page. */
export class ApiRefusal extends Error {
  constructor(readonly status: number, readonly body: ErrorBody) {
    super(`${body.code} ${body.message}`);
  }
}

/** Client headers the API may use (client address behind a proxy, language, agent). */
const PASSED_HEADERS = [
  "user-agent",
  "accept-language",
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-real-ip",
];

/** A query: values of `undefined` are left out. */
export type Query = Record<string, string | number | undefined>;

/** True for the contract's error envelope. */
export function isErrorBody(body: unknown): body is ErrorBody {
  return typeof body === "object" && body !== null && typeof (body as ErrorBody).code ===
      "number" &&
    typeof (body as ErrorBody).message === "string";
}

/** The envelope of an answer, or a generic one when the body is not the envelope. */
export function errorOf(answer: ApiAnswer): ErrorBody {
  return isErrorBody(answer.body)
    ? answer.body
    : { code: answer.status, message: `The service answered ${answer.status}.` };
}

/** Calls the API for one dashboard request, as the signed-in user (or anonymously). */
export class Api {
  constructor(
    private readonly app: Fetcher,
    private readonly c: Context,
    private readonly token?: string,
  ) {}

  /**
   * One call. A 401 on a call with a token ends the session (`SessionEnded`); any other
   * answer is returned as is.
   */
  async call<T = unknown>(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown } = {},
  ): Promise<ApiAnswer<T>> {
    const url = new URL(path, this.c.req.url);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers = new Headers({ Accept: "application/json" });
    for (const name of PASSED_HEADERS) {
      const value = this.c.req.header(name);
      if (value !== undefined) headers.set(name, value);
    }
    if (this.token) headers.set("Authorization", `Bearer ${this.token}`);
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers.set("Content-Type", "application/json");
    }
    const res = await this.app.fetch(new Request(url, { method, headers, body }), this.c.env);
    const text = await res.text();
    if (res.status === 401 && this.token) throw new SessionEnded();
    let parsed: unknown = null;
    if (text && (res.headers.get("Content-Type") ?? "").includes("json")) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** A GET whose answer must be 2xx; anything else becomes an `ApiRefusal`. */
  async get<T>(path: string, query?: Query): Promise<ApiAnswer<T>> {
    return ok(await this.call<T>("GET", path, { query }));
  }
}

/** The answer when 2xx; otherwise throws `ApiRefusal` with the API's envelope. */
export function ok<T>(answer: ApiAnswer<T>): ApiAnswer<T> {
  if (answer.status >= 200 && answer.status < 300) return answer;
  throw new ApiRefusal(answer.status, errorOf(answer));
}
