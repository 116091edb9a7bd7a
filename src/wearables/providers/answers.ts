import { ProviderError } from "../provider.ts";

/** Reading provider answers, shared by the adapters. */

/**
 * The kind of a provider answer whose body names no error (HTML pages from front ends,
 * empty bodies), by HTTP status alone: 429 the rate limit, 502/503/504 unreachable, other
 * 5xx an internal error, anything else unmapped with the status text.
 */
export function untypedError(status: number): ProviderError {
  if (status === 429) return new ProviderError("rate_limited");
  if (status === 502 || status === 503 || status === 504) return new ProviderError("unavailable");
  if (status >= 500) return new ProviderError("provider_internal");
  return new ProviderError("unmapped", STATUS_TEXT[status] ?? `HTTP ${status}`);
}

/** Reason phrases shown by the unmapped pattern. */
export const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
};

/** An answer's text as JSON: `undefined` for an empty body, `parsed` false when not JSON. */
export function readJson(text: string): { parsed: boolean; body?: unknown } {
  try {
    return { parsed: true, body: text === "" ? undefined : JSON.parse(text) };
  } catch {
    return { parsed: false };
  }
}
