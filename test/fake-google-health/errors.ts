/**
 * The error bodies the fake emits (google-health.md §1.6, §1.8, §4.3–§4.4, §6.5): the
 * google.rpc.Status envelope of the Health API, the OAuth `{error, error_description}` bodies of
 * the token, revoke and tokeninfo endpoints, and HTML pages as Google front ends send them.
 */

/** A google.rpc.Status error as the fake answers it. */
export interface ApiErrorSpec {
  http: number;
  status: string;
  /** `google.rpc.ErrorInfo.reason`; absent → no ErrorInfo detail (e.g. a revoked token). */
  reason?: string;
  message: string;
}

/** An OAuth-style error of the token, revoke or tokeninfo endpoints. */
export interface OAuthErrorSpec {
  http: number;
  error: string;
  description: string;
}

const CREDENTIALS_TEXT =
  "Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

/** The Health API errors of google-health.md §4.4, by name (usable in fault rules). */
export const API_ERRORS = {
  CREDENTIALS_MISSING: {
    http: 401,
    status: "UNAUTHENTICATED",
    reason: "CREDENTIALS_MISSING",
    message: `Request is missing required authentication credential. ${CREDENTIALS_TEXT}`,
  },
  ACCESS_TOKEN_EXPIRED: {
    http: 401,
    status: "UNAUTHENTICATED",
    reason: "ACCESS_TOKEN_EXPIRED",
    message: `Request had invalid authentication credentials. ${CREDENTIALS_TEXT}`,
  },
  /** A revoked or unknown token: no specific reason (unconfirmed at Google). */
  INVALID_CREDENTIALS: {
    http: 401,
    status: "UNAUTHENTICATED",
    message: `Request had invalid authentication credentials. ${CREDENTIALS_TEXT}`,
  },
  ACCESS_TOKEN_SCOPE_INSUFFICIENT: {
    http: 403,
    status: "PERMISSION_DENIED",
    reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
    message: "Request had insufficient authentication scopes.",
  },
  ACCOUNT_NOT_LINKED: {
    http: 400,
    status: "FAILED_PRECONDITION",
    reason: "ACCOUNT_NOT_LINKED",
    message: "The account is not linked to Google Health.",
  },
  /** A legacy Fitbit login consented instead of a Google Account. */
  UBERMINT: {
    http: 403,
    status: "PERMISSION_DENIED",
    message: "The caller does not have permission. Could not mint UberMint from GaiaMint",
  },
  SERVICE_DISABLED: {
    http: 403,
    status: "PERMISSION_DENIED",
    reason: "SERVICE_DISABLED",
    message:
      "Google Health API has not been used in project 000000000000 before or it is disabled.",
  },
  USER_PROJECT_DENIED: {
    http: 403,
    status: "PERMISSION_DENIED",
    reason: "USER_PROJECT_DENIED",
    message: "User is not authorized to access health data.",
  },
  RATE_LIMIT_EXCEEDED: {
    http: 429,
    status: "RESOURCE_EXHAUSTED",
    reason: "RATE_LIMIT_EXCEEDED",
    message:
      "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' of service 'health.googleapis.com'.",
  },
  INVALID_ARGUMENT: {
    http: 400,
    status: "INVALID_ARGUMENT",
    message: "Request contains an invalid argument.",
  },
  NOT_FOUND: { http: 404, status: "NOT_FOUND", message: "Requested entity was not found." },
  INTERNAL: { http: 500, status: "INTERNAL", message: "Internal error encountered." },
  UNAVAILABLE: {
    http: 503,
    status: "UNAVAILABLE",
    message: "The service is currently unavailable.",
  },
  DEADLINE_EXCEEDED: { http: 504, status: "DEADLINE_EXCEEDED", message: "Deadline exceeded." },
} as const satisfies Record<string, ApiErrorSpec>;

/** A name of {@link API_ERRORS}. */
export type ApiErrorName = keyof typeof API_ERRORS;

/** The OAuth errors of google-health.md §1.6–§1.8, by name (usable in fault rules). */
export const OAUTH_ERRORS = {
  invalid_grant: { http: 400, error: "invalid_grant", description: "Bad Request" },
  invalid_grant_revoked: {
    http: 400,
    error: "invalid_grant",
    description: "Token has been expired or revoked.",
  },
  invalid_grant_malformed: {
    http: 400,
    error: "invalid_grant",
    description: "Malformed auth code.",
  },
  invalid_client_not_found: {
    http: 401,
    error: "invalid_client",
    description: "The OAuth client was not found.",
  },
  invalid_client: { http: 401, error: "invalid_client", description: "Unauthorized" },
  unauthorized_client: { http: 401, error: "unauthorized_client", description: "Unauthorized" },
  invalid_request: { http: 400, error: "invalid_request", description: "Invalid request." },
  unsupported_grant_type: {
    http: 400,
    error: "unsupported_grant_type",
    description: "Invalid grant_type.",
  },
  /** Revoke of an unknown, expired or revoked token (text ours). */
  invalid_token: { http: 400, error: "invalid_token", description: "Token expired or revoked" },
  /** tokeninfo of an expired, revoked or garbage token. */
  tokeninfo_invalid: { http: 400, error: "invalid_token", description: "Invalid Value" },
} as const satisfies Record<string, OAuthErrorSpec>;

/** A name of {@link OAUTH_ERRORS}. */
export type OAuthErrorName = keyof typeof OAUTH_ERRORS;

/** The RPC method name Google puts in ErrorInfo metadata, per fake endpoint. */
const METHODS: Record<string, string> = {
  identity: "HealthProfileService.GetIdentity",
  settings: "HealthProfileService.GetSettings",
  profile: "HealthProfileService.GetProfile",
  list: "DataPointsService.ListDataPoints",
  reconcile: "DataPointsService.ReconcileDataPoints",
  dailyRollUp: "DataPointsService.DailyRollUpDataPoints",
  subscribers: "DataSubscriptionService.ManageSubscribers",
};

/** The JSON envelope of an API error (google-health.md §4.3). */
export function apiErrorBody(
  spec: ApiErrorSpec,
  endpoint = "list",
  extraDetails: Record<string, unknown>[] = [],
): Record<string, unknown> {
  const details: Record<string, unknown>[] = [];
  if (spec.reason) {
    details.push({
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: spec.reason,
      domain: "googleapis.com",
      metadata: {
        service: "health.googleapis.com",
        method: `google.devicesandservices.health.v4.${METHODS[endpoint] ?? METHODS.list}`,
      },
    });
  }
  details.push(...extraDetails);
  return {
    error: {
      code: spec.http,
      message: spec.message,
      status: spec.status,
      ...(details.length > 0 && { details }),
    },
  };
}

/** The QuotaFailure detail of a 429. */
export function quotaFailure(description: string): Record<string, unknown> {
  return {
    "@type": "type.googleapis.com/google.rpc.QuotaFailure",
    violations: [{ subject: "health.googleapis.com", description }],
  };
}

/** A JSON response for an API error. */
export function apiErrorResponse(
  spec: ApiErrorSpec,
  endpoint?: string,
  headers: Record<string, string> = {},
  extraDetails: Record<string, unknown>[] = [],
): Response {
  return Response.json(apiErrorBody(spec, endpoint, extraDetails), {
    status: spec.http,
    headers,
  });
}

/** A JSON response for an OAuth error. */
export function oauthErrorResponse(spec: OAuthErrorSpec): Response {
  return Response.json({ error: spec.error, error_description: spec.description }, {
    status: spec.http,
  });
}

/** An HTML error page as Google's front ends answer some failures. */
export function htmlErrorResponse(http: number, title = `Error ${http}`): Response {
  const page =
    `<!DOCTYPE html><html lang=en><meta charset=utf-8><title>${title}</title><p><b>${http}.</b> <ins>That’s an error.</ins></p><p>${title}</p></html>`;
  return new Response(page, {
    status: http,
    headers: { "Content-Type": "text/html; charset=UTF-8" },
  });
}
