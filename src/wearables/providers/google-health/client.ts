import { ofetch } from "ofetch";
import { type CallContext, ProviderError, type ProviderErrorKind } from "../../provider.ts";
import { readJson, STATUS_TEXT, untypedError } from "../answers.ts";

/**
 * HTTP for the Google Health adapter: every request goes through the call hooks (budget
 * and telemetry, once per attempt), 429/503/504 and unanswered requests are retried with
 * exponential back-off and full jitter (google-health.md §4.2), a 500 once, and every
 * failure becomes a provider-neutral kind (§4.5).
 */

/** Retry settings. */
export interface RetryPolicy {
  /** Retries after the first attempt (0: none). */
  retries: number;
  /** First back-off, ms; doubles per retry. */
  baseMs: number;
  /** Longest wait before a retry, ms; a longer `Retry-After` ends the retries. */
  maxMs: number;
}

/** One request. */
export interface GoogleRequest {
  method: "GET" | "POST";
  url: string;
  /** Which error dialect answers: the API's `{error:{…}}` or OAuth's `{error:"…"}`. */
  dialect: "api" | "oauth";
  bearer?: string;
  query?: Record<string, string | number>;
  form?: Record<string, string>;
  json?: unknown;
}

/** Sends requests with the hooks, retries and classification. */
export class GoogleHttp {
  constructor(
    private readonly timeoutMs: number,
    private readonly retry: RetryPolicy,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** The parsed JSON answer of a 2xx (undefined for an empty body); throws ProviderError. */
  async send(ctx: CallContext, request: GoogleRequest): Promise<unknown> {
    for (let attempt = 0;; attempt++) {
      await ctx.before();
      const headers: Record<string, string> = { Accept: "application/json" };
      if (request.bearer) headers.Authorization = `Bearer ${request.bearer}`;
      let response;
      try {
        response = await ofetch.raw<string, "text">(request.url, {
          method: request.method,
          headers,
          query: request.query,
          body: request.form ? new URLSearchParams(request.form) : request.json as undefined,
          responseType: "text",
          retry: false,
          timeout: this.timeoutMs,
          ignoreResponseError: true,
        });
      } catch {
        // Refused, DNS, reset, timeout: ofetch's message names the URL only, never a token.
        await ctx.after({ status: "unreachable", limited: false });
        if (attempt < this.retry.retries) {
          await this.sleep(this.backoff(attempt));
          continue;
        }
        throw new ProviderError("unavailable");
      }
      const status = response.status;
      const { parsed, body } = readJson(response._data ?? "");
      if (status >= 200 && status < 300) {
        await ctx.after({ status, limited: false });
        if (!parsed) throw new ProviderError("provider_internal");
        return body;
      }
      const retryAfterMs = retryAfterOf(response.headers.get("Retry-After"));
      const retries = status === 500 ? Math.min(1, this.retry.retries) : this.retry.retries;
      const delay = retryAfterMs ?? this.backoff(attempt);
      if (RETRIED.has(status) && attempt < retries && delay <= this.retry.maxMs) {
        await ctx.after({ status, limited: false });
        await this.sleep(delay);
        continue;
      }
      // Out of retries on a 429: the child's budget waits for the reset.
      await ctx.after({ status, limited: status === 429, resetMs: retryAfterMs });
      const error = request.dialect === "api"
        ? classifyApiError(status, parsed ? body : undefined)
        : classifyOAuthError(status, parsed ? body : undefined);
      throw status === 429 ? new ProviderError(error.kind, error.detail, retryAfterMs) : error;
    }
  }

  /** Full jitter: a random wait up to base × 2^attempt (capped). */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** attempt);
    return Math.round(ceiling / 2 + Math.random() * ceiling / 2);
  }
}

const RETRIED = new Set([429, 500, 503, 504]);

function retryAfterOf(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Reasons of the API's ErrorInfo detail, and what they mean here (google-health.md §4.4, §4.5). */
const REASONS: Record<string, ProviderErrorKind> = {
  ACCESS_TOKEN_EXPIRED: "token_expired",
  ACCOUNT_NOT_LINKED: "token_invalid",
  ACCESS_TOKEN_SCOPE_INSUFFICIENT: "scope_missing",
  SERVICE_DISABLED: "client_invalid",
  USER_PROJECT_DENIED: "client_invalid",
  RATE_LIMIT_EXCEEDED: "rate_limited",
};

/**
 * A Google API error (`{"error":{"code","message","status","details":[ErrorInfo…]}}`) →
 * a provider-neutral kind (google-health.md §4.5). 401 is an expired token when the
 * reason (or the message) says so, otherwise an invalid one; a 403 that is not about
 * scope or the project is the legacy-login refusal ("UberMint"), i.e. an invalid token.
 */
export function classifyApiError(status: number, body: unknown): ProviderError {
  const error = (body as { error?: unknown })?.error;
  if (typeof error !== "object" || error === null) {
    return status === 401 ? new ProviderError("token_invalid") : untypedError(status);
  }
  const { message, details } = error as { message?: unknown; details?: unknown };
  const text = typeof message === "string" ? message : undefined;
  const reason = Array.isArray(details)
    ? details.map((d) => (d as { reason?: unknown })?.reason).find((r) => typeof r === "string")
    : undefined;
  const known = typeof reason === "string" ? REASONS[reason] : undefined;
  if (status === 429) return new ProviderError("rate_limited", text);
  if (status >= 500) return untypedError(status);
  if (known) return new ProviderError(known, text);
  if (status === 401) {
    return new ProviderError(
      /token expired/i.test(text ?? "") ? "token_expired" : "token_invalid",
      text,
    );
  }
  if (status === 403) return new ProviderError("token_invalid", text);
  return new ProviderError("unmapped", text ?? STATUS_TEXT[status] ?? `HTTP ${status}`);
}

const OAUTH_ERRORS: Record<string, ProviderErrorKind> = {
  invalid_grant: "grant_invalid",
  invalid_client: "client_invalid",
  unauthorized_client: "client_invalid",
  invalid_token: "token_invalid",
};

/**
 * An OAuth endpoint error (`{"error":"invalid_grant","error_description":"…"}`) → a kind
 * (google-health.md §1.6): any `invalid_grant` means the grant is gone; HTML bodies go by
 * status.
 */
export function classifyOAuthError(status: number, body: unknown): ProviderError {
  const { error, error_description: description } = (body ?? {}) as Record<string, unknown>;
  if (status === 429 || status >= 500) return untypedError(status);
  if (typeof error !== "string") return untypedError(status);
  const text = typeof description === "string" ? description : error;
  return new ProviderError(OAUTH_ERRORS[error] ?? "unmapped", text);
}
