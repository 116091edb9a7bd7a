import type { Context, MiddlewareHandler } from "hono";
import { z } from "zod";
import type { ParamRule } from "../access/params.ts";
import type { Rule } from "../access/rules.ts";
import type { AppEnv, Deps } from "../core/context.ts";
import { errorBodySchema } from "../core/errors.ts";
import type { ReportOptions } from "../core/validation/reduce.ts";

/** The HTTP methods endpoints use. */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Who may call an endpoint (gateway.md §1, §3), checked by the access guard in this order. */
export interface Access {
  /** `public`: no token. Otherwise the token must hold any one of these scopes. */
  scopes: readonly string[] | "public";
  /** Path parameter rules differing from `defaultParamRules`, checked after the scope. */
  params?: Record<string, ParamRule>;
  /** The ownership or existence rule, run once the path parameters are valid. */
  rule?: Rule;
}

/** A named schema: shown once under `components/schemas` and referenced by name. */
export interface Named<S extends z.ZodType = z.ZodType> {
  name: string;
  schema: S;
}

/** The JSON body an endpoint reads. */
export interface BodyInput<S extends z.ZodType = z.ZodType> extends Named<S> {
  /** How collected issues become one error, when not the default. */
  report?: ReportOptions;
  /**
   * The schema for one request, when it depends on the validated path parameters (the
   * PATCH routes' `password` refusal names the path id) or on the app (its clock).
   * `schema` is what the reference shows and what types the handler's body.
   */
  build?: (params: Record<string, string>, deps: Deps) => z.ZodType;
  /** Bad JSON counts as `{}` and form-encoded bodies are read too (login, gateway.md §4.6). */
  lenient?: boolean;
  /** One line for the reference, besides the schema. */
  description?: string;
}

/** One documented query parameter. */
export interface QueryParameter {
  name: string;
  description: string;
  /** JSON Schema of the value (default: a string). */
  schema?: Record<string, unknown>;
}

/** The query an endpoint reads: one schema validates it whole; each key is documented alone. */
export interface QueryInput<S extends z.ZodType = z.ZodType> {
  schema: S;
  parameters: QueryParameter[];
  /** Whether unknown keys are accepted as filters (shown to readers of the reference). */
  filters?: boolean;
}

/** A documented response header. */
export interface HeaderDoc {
  description: string;
  schema: Record<string, unknown>;
}

/** One status an endpoint may answer. */
export interface ResponseDoc {
  description: string;
  /** The JSON body, if any. */
  body?: Named;
  /** The body is an array of `body`. */
  many?: boolean;
  /**
   * A body that is not JSON, by media type: `text/html` for a page, or the range that
   * accepts any type (written star, slash, star) for files such as static assets.
   */
  media?: string;
  headers?: Record<string, HeaderDoc>;
}

/** What a handler receives: the Hono context, the app's services and the validated inputs. */
export interface EndpointRequest<Query, Body> {
  c: Context<AppEnv>;
  deps: Deps;
  /** Path parameters, validated and normalised by the access guard. */
  params: Record<string, string>;
  query: Query;
  body: Body;
  /** Every endpoint the app serves (the OpenAPI document is built from them). */
  endpoints: readonly Endpoint[];
}

/**
 * One endpoint, everything about it in one place: method and literal full path, the
 * contract id, the reference texts, who may call it, what it reads and every status it
 * answers. Registration (`mountEndpoints`), the access guard, the OpenAPI document and
 * docs/permissions.md all read this object.
 */
export interface Endpoint<
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** Hono syntax, the whole path: `/v1/institutions/:institution_id`. */
  path: string;
  /** The contract's route id (gateway.md §1), e.g. `AC40`. */
  id: string;
  /** The OpenAPI operation id, a readable verb phrase: `getInstitution`. */
  operationId: string;
  /** One line for the reference. */
  summary: string;
  /** More for the reference (who may call it is added from `access`). */
  description?: string;
  /** The reference's group. */
  tag: string;
  access: Access;
  query?: QueryInput<Q>;
  body?: BodyInput<B>;
  /** Every status the endpoint itself answers (the access and input errors are added). */
  responses: Record<number, ResponseDoc | string>;
  /** Middleware run after the guard and before the body is read (e.g. a rate limit). */
  before?: (deps: Deps) => MiddlewareHandler<AppEnv>[];
  /** Middleware run once the query and body are valid, just before the handler (a throttle
   * keyed by a body field). */
  // deno-lint-ignore no-explicit-any
  beforeHandler?: (deps: Deps) => MiddlewareHandler<AppEnv, string, any>[];
  handler: (
    request: EndpointRequest<z.output<Q>, z.output<B>>,
  ) => Response | Promise<Response>;
}

/**
 * Defines an endpoint; the types of `query` and `body` flow into the handler. Returns
 * the definition unchanged (typed as a plain `Endpoint`, for lists of them).
 */
export function defineEndpoint<
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
>(endpoint: Endpoint<Q, B>): Endpoint {
  return endpoint as unknown as Endpoint;
}

// ---------------------------------------------------------------------------
// Responses.

/** A JSON answer. */
export function json(description: string, body: Named): ResponseDoc {
  return { description, body };
}

/** The header every list answer carries. */
export const TOTAL_COUNT_HEADER: Record<string, HeaderDoc> = {
  "X-Total-Count": {
    description: "How many records of this kind exist in all (for a child's or an " +
      "institution's list: of that owner). Filters and paging do not change it.",
    schema: { type: "integer", minimum: 0 },
  },
};

/** A list answer: a bare array, the total in `X-Total-Count`. */
export function list(description: string, item: Named): ResponseDoc {
  return { description, body: item, many: true, headers: TOTAL_COUNT_HEADER };
}

/** An HTML page. */
export function html(description: string): ResponseDoc {
  return { description, media: "text/html" };
}

/** An answer without a body (204, 302). */
export function empty(description: string, headers?: Record<string, HeaderDoc>): ResponseDoc {
  return { description, headers };
}

/** The error envelope, for every status the contract answers with it. */
export const ErrorBody: Named = { name: "Error", schema: errorBodySchema };

/** A schema with its component name. */
export function named<S extends z.ZodType>(name: string, schema: S): Named<S> {
  return { name, schema };
}

/** The JSON body schema of an answer, if it has one. */
export function bodySchema(doc: ResponseDoc): z.ZodType | undefined {
  if (!doc.body) return undefined;
  return doc.many ? z.array(doc.body.schema) : doc.body.schema;
}

/** The names of a path's parameters (`:name`, or `:name{regex}` for a rest of path). */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/:(\w+)/g)].map(([, name]) => name);
}

/**
 * Every status an endpoint can answer, with its documentation: its own, plus the
 * access guard's (401 token, 403 scope or ownership), the input checks' 400 and the
 * body limit's 413, which every endpoint of that kind shares.
 */
export function responsesOf(endpoint: Endpoint): Record<number, ResponseDoc> {
  const all: Record<number, ResponseDoc> = {};
  for (const [status, doc] of Object.entries(endpoint.responses)) {
    all[Number(status)] = typeof doc === "string" ? { description: doc, body: ErrorBody } : doc;
  }
  const error = (status: number, description: string) => {
    all[status] ??= { description, body: ErrorBody };
  };
  const reads = endpoint.body !== undefined || endpoint.query !== undefined ||
    pathParameterNames(endpoint.path).length > 0;
  if (reads) error(400, "A path parameter, query value or body field is invalid or missing.");
  if (endpoint.access.scopes !== "public") {
    error(401, "No token, or an invalid, expired or revoked one.");
    error(403, "The token lacks the scope, or the caller may not act on this record.");
  }
  if (endpoint.body !== undefined) error(413, "The body is larger than 100 KB.");
  return all;
}

// What the endpoint layer contributes to each request: the definition that answers it,
// set by the access guard (the audit trail reads its contract id).
declare module "../core/context.ts" {
  interface RequestVariables {
    endpoint: Endpoint;
  }
}
