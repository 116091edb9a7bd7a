import { ApiError } from "../core/errors.ts";
import { Status } from "../core/status.ts";
import type { ProviderError } from "./provider.ts";
import type { ChildFitbitStatus } from "./wearables.store.ts";

/**
 * The contract's documented Fitbit error patterns (fitbit.md §1.9, §3.4; README: the body
 * `code` equals the HTTP status, 400 patterns and 503 "Could not connect").
 */
export const fitbitErrors = {
  accessTokenExpired: (at: string) =>
    new ApiError(
      Status.BAD_REQUEST,
      "Access token expired.",
      `The access token ${at} has been expired and needs to be refreshed.`,
    ),
  accessTokenInvalid: (at: string) =>
    new ApiError(
      Status.BAD_REQUEST,
      "Access token invalid.",
      `The access token ${at} is invalid. Please make a new Fitbit Auth Data request and try again.`,
    ),
  refreshTokenInvalid: (rt: string) =>
    new ApiError(
      Status.BAD_REQUEST,
      "Refresh token invalid.",
      `The refresh token ${rt} is invalid. Please make a new Fitbit Auth Data request and try again.`,
    ),
  rateLimit: (at: string) =>
    new ApiError(
      Status.BAD_REQUEST,
      `Data request limit for access token ${at} has expired.`,
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
  unmapped: (message: string) => new ApiError(Status.BAD_REQUEST, message),
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

/** Replaces token-like strings (JWTs, long hex, long base64url) in text meant for logs. */
export function redact(text: string): string {
  return text
    .replace(/[\w-]+\.[\w-]+\.[\w-]+/g, "[redacted]")
    .replace(/\b[0-9a-f]{32,}\b/gi, "[redacted]")
    .replace(/\b[\w-]{40,}\b/g, "[redacted]");
}
