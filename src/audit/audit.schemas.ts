import { z } from "zod";
import { errors } from "../core/errors.ts";
import { HEX_ID } from "../core/ids.ts";
import {
  type Check,
  date,
  datetime,
  fail,
  hexId,
  isPositiveInt,
  optional,
  pass,
  report,
} from "../core/validation/rules.ts";
import type { QueryParameter } from "../api/endpoint.ts";
import type { AuditFilter, AuditPage } from "./audit.store.ts";

/** The query parameters `GET /v1/audit` knows; any other is refused. */
export const AUDIT_QUERY_KEYS = ["user", "child", "route", "from", "to", "page", "limit"] as const;

/** Default and largest page size. */
export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 1_000;

const DAY_MS = 86_400_000;
const invalid = (description: string) => fail.invalid(errors.invalidFields(description));

/** A query value given once (a repeated key arrives as an array). */
function once<T>(name: string, check: (value: unknown) => Check<T>) {
  return (value: unknown): Check<T> =>
    Array.isArray(value) ? invalid(`${name} may be given only once.`) : check(value);
}

/** The refusal of a `route` that names no route of this API. */
export const unknownRouteId = () =>
  errors.invalidFields("route must be the id of a route of this API, such as TR2 or AC6.");

/** The shape of a contract route id (`AC6`, `TR2`, `G2b`); the handler checks it exists. */
const ROUTE_ID = /^[A-Z]{1,3}[0-9]{0,3}[a-z]?$/;

function routeId(value: unknown): Check<string> {
  return typeof value === "string" && ROUTE_ID.test(value)
    ? pass(value)
    : fail.invalid(unknownRouteId());
}

/**
 * A bound of the time range: a DATETIME, or a DATE meaning the start of that day (UTC)
 * for `from` and its end for `to`. Both bounds are inclusive.
 */
function bound(edge: "from" | "to") {
  return (value: unknown): Check<number> => {
    if (typeof value === "string" && value.length === 10) {
      const day = date(value);
      if (!day.ok) return day;
      const start = Date.parse(`${day.value}T00:00:00Z`);
      return pass(edge === "from" ? start : start + DAY_MS - 1);
    }
    return datetime(value);
  };
}

/** The largest page number (keeps the offset an exact integer). */
export const AUDIT_MAX_PAGE = 1_000_000_000;

function positive(name: string, max: number) {
  return (value: unknown): Check<number> =>
    isPositiveInt(value) && Number(value) <= max
      ? pass(Number(value))
      : invalid(`${name} must be an integer from 1 to ${max}.`);
}

const hex = { type: "string", pattern: HEX_ID.source };
const instant = {
  type: "string",
  description: "YYYY-MM-DDTHH:mm:ss[.fff][Z|±hh:mm], or YYYY-MM-DD (the whole day)",
};

/** The validated audit query: filters and the page. */
export interface AuditQuery {
  filter: AuditFilter;
  page: AuditPage;
}

/**
 * `GET /v1/audit` query: `user`, `child` (24-hex ids), `route` (a route id), `from`/`to`
 * (inclusive), `page` (default 1) and `limit` (default 100, at most 1000). Unknown or
 * repeated keys and bad values are a 400 envelope.
 */
export const auditQuerySchema = z.preprocess(
  (query, ctx) => {
    const keys = Object.keys(query as object);
    if (keys.some((key) => !(AUDIT_QUERY_KEYS as readonly string[]).includes(key))) {
      report(ctx, {
        kind: "invalid",
        error: errors.invalidFields(
          `The audit list accepts only these query parameters: ${AUDIT_QUERY_KEYS.join(", ")}.`,
        ),
      });
      return z.NEVER;
    }
    return query;
  },
  // Documented key by key in AUDIT_QUERY_PARAMETERS (the reference reads those).
  z.object({
    user: optional(once("user", hexId("user"))),
    child: optional(once("child", hexId("child"))),
    route: optional(once("route", routeId)),
    from: optional(once("from", bound("from"))),
    to: optional(once("to", bound("to"))),
    page: optional(once("page", positive("page", AUDIT_MAX_PAGE))),
    limit: optional(once("limit", positive("limit", AUDIT_MAX_LIMIT))),
  }).superRefine((q, ctx) => {
    if (typeof q.from === "number" && typeof q.to === "number" && q.from > q.to) {
      report(ctx, { kind: "invalid", error: errors.invalidFields("from must not be after to.") });
    }
  }),
).transform((q): AuditQuery => {
  const limit = q.limit ?? AUDIT_DEFAULT_LIMIT;
  return {
    filter: { userId: q.user, childId: q.child, routeId: q.route, from: q.from, to: q.to },
    page: { limit, offset: ((q.page ?? 1) - 1) * limit },
  };
});

/** Each query parameter of `GET /v1/audit`, for the API reference. */
export const AUDIT_QUERY_PARAMETERS: QueryParameter[] = [
  { name: "user", description: "Only what this user (24-hex id) did.", schema: hex },
  { name: "child", description: "Only what concerned this child (24-hex id).", schema: hex },
  {
    name: "route",
    description: "Only calls of this route, by its contract id (`TR2`, `AC6`).",
    schema: { type: "string", example: "TR2" },
  },
  { name: "from", description: "Only rows answered at or after this instant.", schema: instant },
  { name: "to", description: "Only rows answered at or before this instant.", schema: instant },
  {
    name: "page",
    description: "Page number, from 1 (default 1).",
    schema: { type: "integer", minimum: 1, maximum: AUDIT_MAX_PAGE, default: 1 },
  },
  {
    name: "limit",
    description: `Rows per page (default ${AUDIT_DEFAULT_LIMIT}, at most ${AUDIT_MAX_LIMIT}).`,
    schema: { type: "integer", minimum: 1, maximum: AUDIT_MAX_LIMIT, default: AUDIT_DEFAULT_LIMIT },
  },
];
