import { ApiError } from "../core/errors.ts";
import { Status } from "../core/status.ts";
import type { ProviderError } from "./provider.ts";
import type { ChildFitbitStatus } from "./store/children.ts";

/**
 * A token as error messages show it (contract README, "Secrets"): its first and last four
 * characters around an ellipsis, enough to tell tokens apart, never the whole token; a
 * token shorter than 16 characters shows none of itself.
 */
export function maskToken(token: string): string {
  const chars = [...token];
  return chars.length < 16 ? "****" : `${chars.slice(0, 4).join("")}…${chars.slice(-4).join("")}`;
}

/**
 * The contract's documented Fitbit error patterns (fitbit.md §1.9, §3.4; README: the body
 * `code` equals the HTTP status, 400 patterns and 503 "Could not connect"). The texts keep
 * the word "Fitbit" whatever the provider (google-health.md §4.5); the tokens the
 * placeholders name are masked.
 */
export const fitbitErrors = {
  accessTokenExpired: (at: string) =>
    new ApiError(
      Status.BAD_REQUEST,
      "Access token expired.",
      `The access token ${maskToken(at)} has been expired and needs to be refreshed.`,
    ),
  accessTokenInvalid: (at: string) =>
    new ApiError(
      Status.BAD_REQUEST,
      "Access token invalid.",
      `The access token ${
        maskToken(at)
      } is invalid. Please make a new Fitbit Auth Data request and try again.`,
    ),
  refreshTokenInvalid: (rt: string) =>
    new ApiError(
      Status.BAD_REQUEST,
      "Refresh token invalid.",
      `The refresh token ${
        maskToken(rt)
      } is invalid. Please make a new Fitbit Auth Data request and try again.`,
    ),
  rateLimit: (at: string) =>
    new ApiError(
      Status.BAD_REQUEST,
      `Data request limit for access token ${maskToken(at)} has expired.`,
      "Please wait a minimum of one hour and try make the operation again.",
    ),
  invalidClient: () =>
    new ApiError(
      Status.BAD_REQUEST,
      "Invalid Fitbit Client data.",
      "The Fitbit Client credentials are invalid. The operation cannot be performed.",
    ),
  internal: () =>
    new ApiError(Status.BAD_REQUEST, "A internal error occurs. Please, try again later."),
  unmapped: (message: string) => new ApiError(Status.BAD_REQUEST, maskTokensIn(message)),
  unavailable: () =>
    new ApiError(
      Status.SERVICE_UNAVAILABLE,
      "Could not connect with the Fitbit Server",
      "Please try again later.",
    ),
  /** fitbit.md §1.3 step 4. */
  scope: () =>
    new ApiError(
      Status.BAD_REQUEST,
      "The token must have permission for at least one of the features that are synced by the API.",
      "The features that are mapped are: rwei (weight), ract (activity), rsle (sleep).",
    ),
  /** fitbit.md §1.6. */
  noAuthData: () =>
    new ApiError(
      Status.BAD_REQUEST,
      "User does not have authentication data. Please, submit authentication data and try again.",
    ),
  /** fitbit.md §1.4. */
  authNotFound: () =>
    new ApiError(
      Status.NOT_FOUND,
      "Unable to find Fitbit authentication data!",
      "You must enter new data before you can refer to it.",
    ),
  /** fitbit.md §1.7. */
  clientNotConfigured: () =>
    new ApiError(Status.NOT_FOUND, "Fitbit client id and secret key not found!"),
  /** fitbit.md §1.3 step 3. */
  authRequired: (names: string[]) =>
    new ApiError(
      Status.BAD_REQUEST,
      "Required fields were not provided...",
      `Fitbit Auth Data Validation: ${names.join(", ")} required!`,
    ),
};

/** The tokens a failing call used, for the patterns' placeholders. */
export interface FailedWith {
  accessToken: string;
  refreshToken: string;
}

/** The documented answer for a provider failure. */
export function toContractError(error: ProviderError, tokens: FailedWith): ApiError {
  switch (error.kind) {
    case "token_expired":
      return fitbitErrors.accessTokenExpired(tokens.accessToken);
    case "token_invalid":
      return fitbitErrors.accessTokenInvalid(tokens.accessToken);
    case "grant_invalid":
      return fitbitErrors.refreshTokenInvalid(tokens.refreshToken);
    case "client_invalid":
      return fitbitErrors.invalidClient();
    case "rate_limited":
      return fitbitErrors.rateLimit(tokens.accessToken);
    case "provider_internal":
      return fitbitErrors.internal();
    case "unavailable":
      return fitbitErrors.unavailable();
    case "scope_missing":
    case "unmapped":
      return fitbitErrors.unmapped(error.detail ?? "Fitbit refused the request.");
  }
}

/**
 * The child's `fitbit_status` after a failed sync (fitbit.md §2.4, §3.4), or undefined to
 * leave it as it is (transport and provider-internal failures publish nothing).
 */
export function childStatusFor(error: ProviderError): ChildFitbitStatus | undefined {
  switch (error.kind) {
    case "token_expired":
      return "expired_token";
    case "token_invalid":
      return "invalid_token";
    case "grant_invalid":
      return "invalid_grant";
    case "client_invalid":
      return "invalid_client";
    case "rate_limited":
      return "rate_limit";
    case "scope_missing":
    case "unmapped":
      return "none";
    case "provider_internal":
    case "unavailable":
      return undefined;
  }
}

const TOKEN_LIKE = [
  /[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/g,
  /\b[0-9a-f]{32,}\b/gi,
  /\b[\w-]{40,}\b/g,
];

/** Replaces token-like strings (JWTs, long hex, long base64url) in text meant for logs. */
export function redact(text: string): string {
  return TOKEN_LIKE.reduce((out, pattern) => out.replace(pattern, "[redacted]"), text);
}

/** Masks token-like strings in a provider's message shown to a caller. */
export function maskTokensIn(text: string): string {
  return TOKEN_LIKE.reduce(
    (out, pattern) =>
      out.replace(pattern, (token) => token.includes("…") ? token : maskToken(token)),
    text,
  );
}
