import type { z } from "zod";
import type { QueryInput, QueryParameter } from "./endpoint.ts";

const FILTER_GRAMMAR = "An exact value; `a,b` for either; `gt:`, `gte:`, `lt:` or `lte:` " +
  "before a value to compare; `*` at either end for a pattern (case and accents ignored).";

/** What a list's filter field holds (one line), by the name a query uses. */
export type FilterFields = Record<string, string>;

/** The paging and sorting parameters every list shares. */
function pagingParameters(fields: FilterFields): QueryParameter[] {
  const names = Object.keys(fields).map((name) => `\`${name}\``).join(", ");
  return [
    {
      name: "page",
      description: "Page number, from 1 (default 1). Anything but a positive number is 1.",
      schema: { type: "integer", minimum: 1, default: 1 },
    },
    {
      name: "limit",
      description: "Records per page (default 100). Anything but a positive number is 100.",
      schema: { type: "integer", minimum: 1, default: 100 },
    },
    {
      name: "sort",
      description: `Sort keys, comma-separated; \`-\` before a key sorts descending. Keys: ${
        names || "none"
      }. Without it, the newest first.`,
      schema: { type: "string" },
    },
  ];
}

/** One parameter per filter field. */
function filterParameters(fields: FilterFields): QueryParameter[] {
  return Object.entries(fields).map(([name, what]) => ({
    name,
    description: `Filter on ${what}. ${FILTER_GRAMMAR}`,
    schema: { type: "string" },
  }));
}

const WINDOW_PARAMETERS: QueryParameter[] = [
  {
    name: "start_at",
    description: "Only records registered at or after this instant: `today`, a date " +
      "(`YYYY-MM-DD`, midnight UTC) or a date-time.",
    schema: { type: "string" },
  },
  {
    name: "end_at",
    description: "Only records registered before this instant (same forms as `start_at`); " +
      "default now.",
    schema: { type: "string" },
  },
  {
    name: "period",
    description: "A window length, `<n>d`, `w`, `m` or `y`: from `start_at` when given, else " +
      "up to `end_at` when given, else up to now.",
    schema: { type: "string", pattern: "^\\d+[dwmy]$" },
  },
];

/**
 * The query of a list route, documented key by key: `page`, `limit`, `sort`, one filter
 * per field and (SQL-backed lists) the registration-time window. `schema` validates the
 * whole query (the list-query modules' schemas); a key that names no field matches nothing.
 */
export function listQuery<S extends z.ZodType>(
  schema: S,
  fields: FilterFields,
  options: { window?: boolean } = {},
): QueryInput<S> {
  return {
    schema,
    filters: true,
    parameters: [
      ...pagingParameters(fields),
      ...filterParameters(fields),
      ...(options.window ? WINDOW_PARAMETERS : []),
    ],
  };
}
