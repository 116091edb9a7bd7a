import { z } from "zod";

/** One sort key: a field name and its direction. */
export interface SortKey {
  field: string;
  descending: boolean;
}

/** One filter value: an equality, a comparison or a `*` pattern. */
export type FilterTerm =
  | { op: "eq" | "gt" | "gte" | "lt" | "lte"; value: string | number; raw: string }
  | { op: "pattern"; regex: RegExp; raw: string };

/** A filter on one field: any of its terms must hold (a `,` list). Filters combine with AND. */
export interface Filter {
  field: string;
  anyOf: FilterTerm[];
}

/** A parsed list query string (account.md §1.8, tracking.md §1.8). */
export interface ListQuery {
  page: number;
  limit: number;
  offset: number;
  sort: SortKey[];
  filters: Filter[];
}

/**
 * The value a record holds under a name a client sent, or undefined. Only the record's
 * own keys count: `constructor`, `toString` or `__proto__` name no field of anything, so
 * they must never reach the members every object inherits.
 */
export function ownField<Value>(record: Readonly<Record<string, Value>>, name: string) {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** Query keys with a meaning of their own; every other key is a filter. */
export const RESERVED_QUERY_KEYS = [
  "page",
  "limit",
  "sort",
  "fields",
  "skip",
  "start_at",
  "end_at",
  "period",
];

const DEFAULT_LIMIT = 100;

/** `page`/`limit`: every non-digit is stripped; nothing, 0 or garbage gives the default. */
function positiveOrDefault(raw: string | undefined, fallback: number): number {
  const digits = (raw ?? "").replace(/\D/g, "");
  const value = digits === "" ? 0 : Number.parseInt(digits, 10);
  return value > 0 && Number.isSafeInteger(value) ? value : fallback;
}

const first = (value: string | string[] | undefined) => Array.isArray(value) ? value[0] : value;
const all = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Accents removed, so `maria` also finds `María` (the pattern handles case). */
function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

const VOWEL_CLASSES: Record<string, string> = {
  a: "[aáàäâã]",
  e: "[eéèëê]",
  i: "[iíìïî]",
  o: "[oóòöôõ]",
  u: "[uúùüû]",
};

/** A case-insensitive pattern where each vowel also matches its accented forms. */
function patternRegex(raw: string): RegExp {
  const starts = raw.startsWith("*"), ends = raw.endsWith("*");
  const core = fold(raw.replace(/^\*+|\*+$/g, ""));
  const body = [...core].map((ch) => {
    const lower = ch.toLowerCase();
    return VOWEL_CLASSES[lower] ?? ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }).join("");
  const prefix = starts ? "" : "^", suffix = ends ? "" : "$";
  return new RegExp(`${prefix}${body}${suffix}`, "i");
}

/** Reads one filter value per the query grammar. */
export function parseFilterTerm(raw: string): FilterTerm {
  if (raw.includes("*")) return { op: "pattern", regex: patternRegex(raw), raw };
  const comparison = /^(gte|gt|lte|lt):(.*)$/.exec(raw);
  const op = (comparison?.[1] ?? "eq") as "eq" | "gt" | "gte" | "lt" | "lte";
  const text = comparison ? comparison[2] : raw;
  let value: string | number = text;
  if (/^\d+$/.test(text)) value = Number(text);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(text)) value = `${text}T00:00:00`;
  return { op, value, raw };
}

/** A query string as the validator hands it over: each key with its text or texts. */
export type RawQuery = Record<string, string | string[] | undefined>;

/** Parses `page`, `limit`, `sort` and the filters of a list query. */
export function parseListQuery(query: RawQuery): ListQuery {
  const page = positiveOrDefault(first(ownField(query, "page")), 1);
  const limit = positiveOrDefault(first(ownField(query, "limit")), DEFAULT_LIMIT);
  const sort = (first(ownField(query, "sort")) ?? "").split(",").map((s) => s.trim())
    .filter(Boolean).map(
      (key): SortKey =>
        key.startsWith("-")
          ? { field: key.slice(1), descending: true }
          : { field: key.replace(/^\+/, ""), descending: false },
    ).filter((key) => key.field !== "");
  const filters: Filter[] = [];
  for (const [field, value] of Object.entries(query)) {
    if (RESERVED_QUERY_KEYS.includes(field)) continue;
    for (const occurrence of all(value)) {
      filters.push({ field, anyOf: occurrence.split(",").map(parseFilterTerm) });
    }
  }
  // Past any row either way; capped so the database still gets an integer (a page far
  // enough out made the offset overflow SQLite's 64-bit integers: a 500).
  const offset = Math.min((page - 1) * limit, Number.MAX_SAFE_INTEGER);
  return { page, limit, offset, sort, filters };
}

const isText = (value: unknown) => typeof value === "string";

/**
 * A query string, validated without copying it into an ordinary object: a key named
 * `__proto__` (zod's record would assign it, replacing the copy's prototype) stays an
 * own key and becomes a filter like any other.
 */
export const rawQuerySchema = z.custom<RawQuery>((value) =>
  typeof value === "object" && value !== null && !Array.isArray(value) &&
  Object.values(value).every((v) => isText(v) || (Array.isArray(v) && v.every(isText)))
).meta({
  type: "object",
  additionalProperties: {
    anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }],
  },
});

/** The zod schema of a list query: documents page/limit/sort and turns the rest into filters. */
export const listQuerySchema = rawQuerySchema
  .transform((query) => parseListQuery(query))
  .meta({
    description:
      "page (default 1), limit (default 100), sort (comma-separated, `-` for descending), " +
      "and filters on stored fields: exact, `a,b` (or), `gt:`/`gte:`/`lt:`/`lte:`, `*` patterns.",
  });

// ---------------------------------------------------------------------------
// In-memory application, for the small account collections.

/** How a list reads one filterable or sortable field of a row. */
export type FieldReader<Row> = (row: Row) => unknown;

const collator = new Intl.Collator("en", { numeric: true });

/**
 * Natural order: letters first and case only to break ties, runs of digits as numbers,
 * numbers before text, absent values first.
 */
export function naturalCompare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return collator.compare(String(a), String(b));
}

function asComparable(value: unknown): string | number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return value;
  return String(value);
}

/** True when a stored value satisfies one filter term. */
export function termMatches(term: FilterTerm, stored: unknown): boolean {
  const value = asComparable(stored);
  if (value === undefined) return false;
  if (term.op === "pattern") return term.regex.test(fold(String(value)));
  const wanted = term.value;
  if (term.op === "eq") return String(value) === String(wanted);
  const order = typeof value === "number" && typeof wanted === "number"
    ? value - wanted
    : String(value).localeCompare(String(wanted));
  switch (term.op) {
    case "gt":
      return order > 0;
    case "gte":
      return order >= 0;
    case "lt":
      return order < 0;
    default:
      return order <= 0;
  }
}

/** How two values of a field compare (negative, zero or positive). */
export type Comparator = (a: unknown, b: unknown) => number;

/**
 * Plain text order, code unit by code unit (`"br 205"` before `"br 9"`): how the original
 * sorted usernames in memory, unlike its store's digit-aware text sorts (account.md §1.8).
 */
export function plainTextCompare(a: unknown, b: unknown): number {
  const x = String(a ?? ""), y = String(b ?? "");
  return x < y ? -1 : x > y ? 1 : 0;
}

/** How an in-memory list reads its rows beyond the fields. */
export interface InMemoryListOptions {
  /**
   * The order the rows are given in: `newest-first` (the default order of every list,
   * by registration time) or `stored` (a list kept in the order it was built, such as a
   * family's children). Sort ties come oldest first: the reverse of `newest-first`,
   * or the stored order.
   */
  given?: "newest-first" | "stored";
  /** Fields compared otherwise than in natural order. */
  comparators?: Record<string, Comparator>;
}

/**
 * Filters, sorts and pages rows in memory. A filter on a field the resource does not
 * have matches nothing (the original's behaviour). With no sort the rows keep their
 * given order; with one, ties come in insertion order, oldest first (contract decision).
 */
export function applyListQuery<Row>(
  rows: Row[],
  query: ListQuery,
  fields: Record<string, FieldReader<Row>>,
  options: InMemoryListOptions = {},
): Row[] {
  let result = rows.filter((row) =>
    query.filters.every((filter) => {
      const read = ownField(fields, filter.field);
      return read !== undefined && filter.anyOf.some((term) => termMatches(term, read(row)));
    })
  );
  const comparators = options.comparators ?? {};
  const sort = query.sort.flatMap((key) => {
    const read = ownField(fields, key.field);
    const compare = ownField(comparators, key.field) ?? naturalCompare;
    return read ? [{ read, compare, descending: key.descending }] : [];
  });
  if (sort.length > 0) {
    // Array sort is stable: rows that tie keep the order they start in, oldest first.
    const oldestFirst = options.given === "stored" ? [...result] : [...result].reverse();
    result = oldestFirst.sort((a, b) => {
      for (const key of sort) {
        const order = key.compare(key.read(a), key.read(b));
        if (order !== 0) return key.descending ? -order : order;
      }
      return 0;
    });
  }
  return result.slice(query.offset, query.offset + query.limit);
}
