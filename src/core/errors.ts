import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { Status } from "./status.ts";

/** The contract's error envelope, as every error answer carries it. */
export const errorBodySchema = z.strictObject({
  code: z.int().meta({ description: "The HTTP status, unless the contract says otherwise" }),
  message: z.string().meta({ description: "What went wrong" }),
  description: z.string().optional().meta({ description: "What to do about it" }),
  redirect_link: z.string().optional().meta({ description: "Where to log in (401 only)" }),
});

/** The contract's error body. `description` and `redirect_link` are left out when unset. */
export type ErrorBody = z.output<typeof errorBodySchema>;

/** An error that becomes exactly one contract error response. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly description?: string,
    readonly extra: { redirect_link?: string; code?: number } = {},
  ) {
    super(message);
  }

  /** The JSON body: `code` is the HTTP status unless the contract says otherwise. */
  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.extra.code ?? this.status, message: this.message };
    if (this.description !== undefined) body.description = this.description;
    if (this.extra.redirect_link !== undefined) body.redirect_link = this.extra.redirect_link;
    return body;
  }
}

const ID_DESCRIPTION = "A 24-byte hex ID similar to this: 507f191e810c19729de860ea is expected.";

/** Message templates shared by several resources (contract catalogues). */
export const errors = {
  /** A 400 with any message (the DATE/DATETIME and other one-off validation texts). */
  withMessage: (message: string, description?: string) =>
    new ApiError(Status.BAD_REQUEST, message, description),
  invalidFields: (description: string) =>
    new ApiError(Status.BAD_REQUEST, "One or more request fields are invalid...", description),
  requiredFields: (names: string[]) =>
    new ApiError(
      Status.BAD_REQUEST,
      "Required fields were not provided...",
      `${names.join(", ")} are required!`,
    ),
  invalidParam: (name: string) =>
    new ApiError(Status.BAD_REQUEST, `Parameter {${name}} is not in valid format!`, ID_DESCRIPTION),
  invalidId: () =>
    new ApiError(
      Status.BAD_REQUEST,
      "Some ID provided does not have a valid format!",
      ID_DESCRIPTION,
    ),
  malformedBody: () =>
    new ApiError(
      Status.BAD_REQUEST,
      "Unable to process request body!",
      "Please verify that the JSON provided in the request body has a valid format and try again.",
    ),
  bodyTooLarge: () =>
    new ApiError(
      Status.PAYLOAD_TOO_LARGE,
      "Request entity too large!",
      "The request body must not exceed 100 KB.",
    ),
  notFoundRoute: (path: string) =>
    new ApiError(
      Status.NOT_FOUND,
      `${path} not found.`,
      `Specified resource: ${path} was not found or does not exist.`,
    ),
  /** `Foo not found!` with the standard "already removed" description. */
  notFound: (what: string, status: ContentfulStatusCode = Status.NOT_FOUND) =>
    new ApiError(
      status,
      `${what} not found!`,
      `${what} not found or already removed. A new operation for the same resource is not required.`,
    ),
  alreadyRegistered: (what: string) =>
    new ApiError(Status.CONFLICT, `${what} is already registered...`),
  uniqueViolation: () =>
    new ApiError(Status.CONFLICT, "A registration with the same unique data already exists!"),
  forbidden: () =>
    new ApiError(
      Status.FORBIDDEN,
      "FORBIDDEN",
      "Authorization failed due to insufficient permissions.",
    ),
  unauthorized: (description: string) =>
    new ApiError(Status.UNAUTHORIZED, "UNAUTHORIZED", description, { redirect_link: "/auth" }),
  noSuchChild: (id: string) =>
    new ApiError(
      Status.BAD_REQUEST,
      `There is no registered Child with ID: ${id} on the platform!`,
      "Please register the Child and try again...",
    ),
  noSuchInstitution: (id: string) =>
    new ApiError(
      Status.BAD_REQUEST,
      `There is no registered Institution with ID: ${id} on the platform!`,
      "Please register the Institution and try again...",
    ),
  institutionNotRegistered: () =>
    new ApiError(
      Status.BAD_REQUEST,
      "The institution provided does not have a registration.",
      "It is necessary that the institution be registered before trying again.",
    ),
  internal: () =>
    new ApiError(Status.INTERNAL_SERVER_ERROR, "An internal server error has occurred."),
};

/** The four 401 descriptions of the token check (gateway.md §4.4). */
export const tokenErrors = {
  missing: () =>
    errors.unauthorized("Authentication failed for lack of authentication credentials."),
  expired: () => errors.unauthorized("Authentication failed because access token is expired."),
  revoked: () =>
    errors.unauthorized("The token user is not properly registered as a consumer at the gateway."),
  invalid: () => errors.unauthorized("Authentication failed due to access token issues."),
};

/** True when a storage error is a UNIQUE constraint violation (a race the pre-checks missed). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/UNIQUE constraint failed/i.test(e.message)) return true;
  }
  return false;
}
