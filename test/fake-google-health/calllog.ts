/**
 * The call log (google-health.md §6.7 `GET /__fake/requests`): one entry per call outside
 * `/__fake`, naming the endpoint, the user and the token used. Tokens, codes and secrets appear
 * only as hashes (`tokenHash`), so a test compares `entry.token` with `tokenHash(raw)`.
 */
import type { Endpoint } from "./faults.ts";
import { tokenHash } from "./state.ts";

/** One logged call. */
export interface LoggedCall {
  /** 1, 2, 3 … in arrival order. */
  seq: number;
  /** The fake clock at arrival (epoch ms). */
  at: number;
  method: string;
  path: string;
  /** Path and query, percent-decoded (filters readable). */
  url: string;
  endpoint: Endpoint;
  /** Kebab data type of list, reconcile and dailyRollUp calls. */
  dataType?: string;
  /** The user the call acts for, when the token, code or refresh token is known. */
  healthUserId?: string;
  /** Hash of the token the call carried: bearer, refresh token, code, or the revoked token. */
  token?: string;
  /** Token endpoint: the `grant_type`. */
  grantType?: string;
  query: Record<string, string>;
  /** Request headers; credentials hashed. */
  headers: Record<string, string>;
  /** Form fields of OAuth calls; tokens, codes and the client secret hashed. */
  form?: Record<string, string>;
  /** JSON body of POST calls to the API (dailyRollUp). */
  body?: unknown;
  /** Status answered (0 if the call never got an answer, e.g. a hang cut by close). */
  status: number;
  /** The fault action applied, if any (its first key). */
  fault?: string;
}

const SECRET_FIELDS = new Set(["code", "refresh_token", "token", "access_token", "client_secret"]);

/** Headers with the credential of `Authorization` replaced by its hash. */
export function redactHeaders(headers: Headers): Record<string, string> {
  const out = Object.fromEntries(headers);
  const auth = out.authorization;
  if (auth) {
    const [scheme, ...rest] = auth.split(" ");
    out.authorization = rest.length > 0
      ? `${scheme} ${tokenHash(rest.join(" "))}`
      : tokenHash(auth);
  }
  return out;
}

/** Path and query of a URL, percent-decoded, with token-bearing parameters hashed. */
export function redactUrl(url: string): { url: string; query: Record<string, string> } {
  const parsed = new URL(url);
  const query = redactForm(Object.fromEntries(parsed.searchParams));
  const search = new URLSearchParams(query).toString();
  return {
    url: decodeURIComponent(`${parsed.pathname}${search ? `?${search}` : ""}`.replace(/\+/g, " ")),
    query,
  };
}

/** Form fields with tokens, codes and secrets replaced by their hash. */
export function redactForm(form: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(form).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? tokenHash(v) : v]),
  );
}

/** What to select from the log; every given field must match. */
export interface CallFilter {
  endpoint?: Endpoint | Endpoint[];
  dataType?: string;
  healthUserId?: string;
  /** A raw token (hashed for the comparison). */
  token?: string;
  grantType?: string;
  method?: string;
}

/** The entries matching a filter. */
export function selectCalls(log: LoggedCall[], filter: CallFilter = {}): LoggedCall[] {
  const endpoints = filter.endpoint === undefined ? undefined : [filter.endpoint].flat();
  const token = filter.token === undefined ? undefined : tokenHash(filter.token);
  return log.filter((c) =>
    (!endpoints || endpoints.includes(c.endpoint)) &&
    (!filter.dataType || c.dataType === filter.dataType) &&
    (!filter.healthUserId || c.healthUserId === filter.healthUserId) &&
    (!token || c.token === token) &&
    (!filter.grantType || c.grantType === filter.grantType) &&
    (!filter.method || c.method === filter.method.toUpperCase())
  );
}
