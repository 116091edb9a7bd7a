import { and, or, type SQL, sql, type SQLWrapper } from "drizzle-orm";
import { ApiError, errors } from "./errors.ts";
import {
  type FilterTerm,
  type ListQuery,
  ownField,
  parseListQuery,
  rawQuerySchema,
} from "./list-query.ts";
import { Status } from "./status.ts";
import { datetime } from "./validation/rules.ts";

/**
 * The list query grammar (tracking.md §1.8) translated to SQL, for collections too large
 * to page in memory. A resource declares which query names it knows, each with the SQL
 * expression holding it and its kind; the kind decides how filter values are read.
 */

/** How a field is stored: decides how a filter value is converted and compared. */
export type SqlFieldKind = "number" | "text" | "instant" | "boolean";

/** One filterable and sortable field. */
export interface SqlField {
  kind: SqlFieldKind;
  /**
   * The column or expression (e.g. a `json_extract`) holding the value. With `within`, an
   * expression on `item.value`, one element of that array.
   */
  expr: SQLWrapper;
  /**
   * A JSON array column whose elements hold the field (`measurements.type`): a filter
   * holds when any element matches. Such fields are not sortable.
   */
  within?: SQLWrapper;
}

/** The fields of a resource, by the name a query uses (dotted names allowed). */
export type SqlFields = Record<string, SqlField>;

/** `start_at`, `end_at` and `period` as sent: a window on the hidden registration time. */
export interface RegistrationWindow {
  start_at?: string;
  end_at?: string;
  period?: string;
}

/** A parsed list query plus its registration-time window. */
export interface SqlListQuery extends ListQuery {
  window: RegistrationWindow;
}

const firstOf = (value: string | string[] | undefined) => Array.isArray(value) ? value[0] : value;

/** The zod schema of a list query for SQL-backed lists (same grammar as `listQuerySchema`). */
export const sqlListQuerySchema = rawQuerySchema
  .transform((query): SqlListQuery => ({
    ...parseListQuery(query),
    window: {
      start_at: firstOf(ownField(query, "start_at")),
      end_at: firstOf(ownField(query, "end_at")),
      period: firstOf(ownField(query, "period")),
    },
  }))
  .meta({
    description: "page (default 1), limit (default 100), sort (comma-separated, `-` for " +
      "descending), filters on stored fields (exact, `a,b` for or, `gt:`/`gte:`/`lt:`/`lte:`, " +
      "`*` patterns), and start_at/end_at/period on the registration time.",
  });

/** What a resource tells the translation besides its fields. */
export interface ListSpec {
  fields: SqlFields;
  /** The hidden registration time (epoch ms). */
  createdAt: SQLWrapper;
  /** Insertion order, the last tie-break (the table's rowid). */
  insertionOrder: SQLWrapper;
  /** Query keys the path or the resource fixes (`child_id`, a weight's `type`): ignored. */
  fixed?: readonly string[];
  /** The clock (epoch ms), for `now`, `today` and a window without an end. */
  now: number;
}

/** The pieces of a paged SELECT: conditions (besides the owner), order, limit, offset. */
export interface ListSql {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  offset: number;
}

/**
 * Translates a parsed query. Filters on an unknown field match nothing (the original's
 * empty list); a value that cannot be read as the field's kind is a 400. Sorts on unknown
 * fields are ignored. Without a sort the order is newest first; with one, ties come
 * oldest first. The registration time and then insertion order always close the order,
 * so pages are stable.
 */
export function listQuerySql(query: SqlListQuery, spec: ListSpec): ListSql {
  return {
    where: and(filtersSql(query, spec), windowSql(query.window, spec)),
    orderBy: orderSql(query, spec),
    limit: query.limit,
    offset: query.offset,
  };
}

/**
 * True when the query's filters add no condition: none sent, or only keys the path fixes
 * (a GET by id with such a query reads by owner and id alone).
 */
export function hasNoFilters(query: ListQuery, spec: Pick<ListSpec, "fixed">): boolean {
  return query.filters.every((filter) => spec.fixed?.includes(filter.field));
}

/**
 * True when a list query is the plain page: no condition besides the owner (no filter,
 * no registration-time window) and the default order (newest registration first, then
 * latest inserted), because no sort key names a sortable field.
 */
export function isPlainPage(query: SqlListQuery, spec: Pick<ListSpec, "fixed" | "fields">) {
  const { start_at, end_at, period } = query.window;
  return hasNoFilters(query, spec) &&
    start_at === undefined && end_at === undefined && period === undefined &&
    query.sort.every((key) => {
      const field = ownField(spec.fields, key.field);
      return !field || field.within !== undefined;
    });
}

/** Only the filter conditions (a GET by id applies them too, tracking.md §3.4). */
export function filtersSql(query: ListQuery, spec: ListSpec): SQL | undefined {
  const conditions: SQL[] = [];
  for (const filter of query.filters) {
    if (spec.fixed?.includes(filter.field)) continue;
    const field = ownField(spec.fields, filter.field);
    if (!field) return sql`0`;
    const anyOf = or(...filter.anyOf.map((term) => termSql(filter.field, field, term, spec)))!;
    conditions.push(
      field.within
        ? sql`exists (select 1 from json_each(${field.within}) as item where ${anyOf})`
        : anyOf,
    );
  }
  return and(...conditions);
}

function orderSql(query: ListQuery, spec: ListSpec): SQL[] {
  const keys = query.sort.flatMap((key) => {
    const field = ownField(spec.fields, key.field);
    if (!field || field.within) return [];
    const direction = key.descending ? sql`desc` : sql`asc`;
    return field.kind === "text"
      ? [sql`${field.expr} collate nocase ${direction}`]
      : [sql`${field.expr} ${direction}`];
  });
  // No sort: newest first. With one, ties come in insertion order, oldest first (the
  // original's store returned them so; contract decision).
  return keys.length === 0
    ? [sql`${spec.createdAt} desc`, sql`${spec.insertionOrder} desc`]
    : [...keys, sql`${spec.createdAt} asc`, sql`${spec.insertionOrder} asc`];
}

function termSql(name: string, field: SqlField, term: FilterTerm, spec: ListSpec): SQL {
  if (term.op === "pattern") {
    return field.kind === "text" ? patternSql(field.expr, term.raw) : sql`0`;
  }
  const value = filterValue(name, field.kind, term, spec.now);
  switch (term.op) {
    case "eq":
      return sql`${field.expr} = ${value}`;
    case "gt":
      return sql`${field.expr} > ${value}`;
    case "gte":
      return sql`${field.expr} >= ${value}`;
    case "lt":
      return sql`${field.expr} < ${value}`;
    default:
      return sql`${field.expr} <= ${value}`;
  }
}

/** The text after an optional `gt:`/`gte:`/`lt:`/`lte:` prefix, as sent. */
const sentText = (raw: string) => raw.replace(/^(gte|gt|lte|lt):/, "");

function filterValue(
  name: string,
  kind: SqlFieldKind,
  term: Extract<FilterTerm, { value: unknown }>,
  now: number,
): string | number {
  const text = sentText(term.raw);
  switch (kind) {
    case "text":
      // Compared as sent: `name=2019` is the text "2019", not a number or a date.
      return text;
    case "number":
      if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
      throw errors.withMessage(`The value '${text}' of ${name} field is not a number.`);
    case "boolean":
      if (text === "true" || text === "false") return text === "true" ? 1 : 0;
      throw errors.withMessage(`The value '${text}' of ${name} field is not a boolean.`);
    case "instant": {
      const instant = instantOf(term.value, now);
      if (instant !== undefined) return instant;
      throw errors.invalidFields(`The value '${text}' of ${name} field is not a valid date.`);
    }
  }
}

/**
 * A filter value on a time field: digits are epoch milliseconds, `now` is today at
 * 23:59:59 (UTC), and text is a DATETIME (a plain date was already given `T00:00:00`).
 */
function instantOf(value: string | number, now: number): number | undefined {
  if (typeof value === "number") return value;
  if (value === "now") return Date.parse(`${utcDate(now)}T23:59:59Z`);
  const parsed = datetime(value);
  return parsed.ok ? parsed.value : undefined;
}

const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------
// `*` patterns: case-insensitive, accented letters match plain ones.

const ACCENTED: Record<string, string> = {
  a: "áàäâãÁÀÄÂÃ",
  e: "éèëêÉÈËÊ",
  i: "íìïîÍÌÏÎ",
  o: "óòöôõÓÒÖÔÕ",
  u: "úùüûÚÙÜÛ",
  c: "çÇ",
  n: "ñÑ",
};

/**
 * A GLOB pattern in which every letter is a class of its cases and accented forms, so
 * the stored text is matched as it is (no per-row folding, which SQLite cannot do).
 */
function patternSql(expr: SQLWrapper, raw: string): SQL {
  const starts = raw.startsWith("*"), ends = raw.endsWith("*");
  const core = raw.replace(/^\*+|\*+$/g, "").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  const body = [...core].map((ch) => {
    if ("*?[".includes(ch)) return `[${ch}]`;
    const lower = ch.toLowerCase();
    const variants = new Set([lower, ch.toUpperCase(), ...(ACCENTED[lower] ?? "")]);
    return variants.size === 1 ? ch : `[${[...variants].join("")}]`;
  }).join("");
  return sql`${expr} glob ${`${starts ? "*" : ""}${body}${ends ? "*" : ""}`}`;
}

// ---------------------------------------------------------------------------
// start_at / end_at / period (on the registration time).

const DAY_MS = 86_400_000;

function windowError(key: string): ApiError {
  return new ApiError(
    Status.BAD_REQUEST,
    "One or more request fields are invalid...",
    key === "period"
      ? "period must be a number followed by d, w, m or y (days, weeks, months, years)."
      : `${key} must be a date (yyyy-MM-dd), a datetime (yyyy-MM-ddTHH:mm:ss) or today.`,
  );
}

/** A window bound: `today` (midnight UTC), a date (midnight UTC) or a DATETIME. */
function boundOf(key: string, raw: string, now: number): number {
  const text = raw === "today" ? utcDate(now) : raw;
  const parsed = datetime(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00` : text);
  if (!parsed.ok) throw windowError(key);
  return parsed.value;
}

/** Moves an instant by a period (`7d`, `2w`, `1m`, `1y`), forwards or backwards. */
function shift(instant: number, period: string, sign: 1 | -1): number {
  const match = /^(\d+)([dwmy])$/.exec(period);
  if (!match) throw windowError("period");
  const n = Number(match[1]) * sign;
  const unit = match[2];
  if (unit === "d") return instant + n * DAY_MS;
  if (unit === "w") return instant + n * 7 * DAY_MS;
  const date = new Date(instant);
  if (unit === "m") date.setUTCMonth(date.getUTCMonth() + n);
  else date.setUTCFullYear(date.getUTCFullYear() + n);
  return date.getTime();
}

function windowSql(window: RegistrationWindow, spec: ListSpec): SQL | undefined {
  const { now, createdAt } = spec;
  const start = window.start_at === undefined
    ? undefined
    : boundOf("start_at", window.start_at, now);
  const end = window.end_at === undefined ? undefined : boundOf("end_at", window.end_at, now);
  let from: number | undefined, to: number | undefined;
  if (window.period !== undefined) {
    if (start !== undefined) [from, to] = [start, shift(start, window.period, 1)];
    else if (end !== undefined) [from, to] = [shift(end, window.period, -1), end];
    else [from, to] = [shift(now, window.period, -1), now];
  } else {
    from = start;
    to = end ?? (start !== undefined ? now : undefined);
  }
  return and(
    from === undefined ? undefined : sql`${createdAt} >= ${from}`,
    to === undefined ? undefined : sql`${createdAt} < ${to}`,
  );
}
