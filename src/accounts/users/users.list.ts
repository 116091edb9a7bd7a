import { z } from "zod";
import { ApiError, errors } from "../../core/errors.ts";
import { HEX_ID } from "../../core/ids.ts";
import {
  applyListQuery,
  type FieldReader,
  type Filter,
  type FilterTerm,
  type InMemoryListOptions,
  type ListQuery,
  listQuerySchema,
  parseFilterTerm,
  plainTextCompare,
  termMatches,
} from "../../core/list-query.ts";
import { report } from "../../core/validation/rules.ts";
import { accountErrors } from "./users.errors.ts";
import type { UserRow } from "./users.store.ts";

/**
 * User lists (account.md §1.8): filters on the stored field names, with `username`
 * special: exact ignoring case (or a `*` pattern), and when it is a sort key it is the only
 * one. Paging applies normally after filtering (the original returned a whole short result
 * for any page after a username filter; a client asking for page 2 expects page 2).
 */

/** Stored user fields a list may filter or sort on. `password` and `type` never are. */
export const userListFields: Record<string, FieldReader<UserRow>> = {
  username: (row) => row.username.toLowerCase(),
  gender: (row) => row.gender,
  age: (row) => row.age,
  age_calc_date: (row) => row.ageCalcDate,
  institution: (row) => row.institutionId,
  fitbit_status: (row) => row.fitbitStatus,
  nfc_tag: (row) => row.nfcTag,
  last_login: (row) => row.lastLogin,
  last_sync: (row) => row.lastSync,
  application_name: (row) => row.applicationName,
};

const ID_FIELDS = ["institution"];
const INSTANT_FIELDS = ["last_login", "last_sync"];

const COMPARISON = /^(gte|gt|lte|lt):/;
const HAS_ZONE = /(z|[+-]\d{2}:?\d{2})$/i;

/** A term's value cast to the stored type, or the error the cast gives. */
function castTerm(field: string, term: FilterTerm): FilterTerm | ApiError {
  const text = term.raw.replace(COMPARISON, "");
  if (ID_FIELDS.includes(field)) {
    if (term.op === "pattern" || !HEX_ID.test(text)) return errors.invalidId();
    return { op: term.op, value: text.toLowerCase(), raw: term.raw };
  }
  if (INSTANT_FIELDS.includes(field)) {
    if (term.op === "pattern") return accountErrors.queryValueInvalid(text, field);
    const value = typeof term.value === "number"
      ? term.value
      : Date.parse(HAS_ZONE.test(term.value) ? term.value : `${term.value}Z`);
    if (!Number.isFinite(value)) return accountErrors.queryValueInvalid(text, field);
    return { op: term.op, value, raw: term.raw };
  }
  return term;
}

/**
 * The list query of the user lists. Filter values are cast the way the stored types
 * demand: an id filter must hold 24-hex ids (400 `Some ID provided…`), an instant filter
 * dates or epoch milliseconds (400 `The value '…' of … field is invalid.`; the original
 * answered a garbled message there).
 */
export const userListQuerySchema = listQuerySchema.transform((query, ctx): ListQuery => {
  const filters: Filter[] = [];
  for (const filter of query.filters) {
    const anyOf: FilterTerm[] = [];
    for (const term of filter.anyOf) {
      const cast = castTerm(filter.field, term);
      if (cast instanceof ApiError) {
        report(ctx, { kind: "invalid", error: cast });
        return z.NEVER;
      }
      anyOf.push(cast);
    }
    filters.push({ field: filter.field, anyOf });
  }
  return { ...query, filters };
});

/**
 * A `username` filter value: without `*` an exact match ignoring case, with `*` a pattern.
 * A `,` is part of the name (no OR list), as in the original.
 */
function usernameMatches(filter: Filter, username: string): boolean {
  const raw = filter.anyOf.map((term) => term.raw).join(",");
  return raw.includes("*")
    ? termMatches(parseFilterTerm(raw), username)
    : username.toLowerCase() === raw.toLowerCase();
}

/**
 * Applies a user-list query to rows given newest first (or, with `given: "stored"`, in a
 * list's stored order). A `username` sort compares the lower-cased names as plain text.
 */
export function applyUserListQuery<Row extends { username: string }>(
  rows: Row[],
  query: ListQuery,
  fields: Record<string, FieldReader<Row>>,
  options: Pick<InMemoryListOptions, "given"> = {},
): Row[] {
  const byUsername = query.filters.filter((f) => f.field === "username");
  const usernameSort = query.sort.find((key) => key.field === "username");
  const matching = rows.filter((row) => byUsername.every((f) => usernameMatches(f, row.username)));
  return applyListQuery(
    matching,
    {
      ...query,
      filters: query.filters.filter((f) => f.field !== "username"),
      sort: usernameSort ? [usernameSort] : query.sort,
    },
    { ...fields, username: (row) => row.username.toLowerCase() },
    {
      ...options,
      comparators: { username: plainTextCompare },
    },
  );
}
