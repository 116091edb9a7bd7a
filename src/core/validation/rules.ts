import { z } from "zod";
import { type ApiError, errors } from "../errors.ts";
import { HEX_ID, normalizeId } from "../ids.ts";

/**
 * How one failed check is reported, following the contract's validation model
 * (tracking.md §1.6, account.md §6.1):
 * - `invalid`: a "T" step: the first one, in field order, becomes the answer;
 * - `missing`: an "F" step: an absent required field, collected by name and
 *   reported together only when no `invalid` step failed;
 * - `noted`: collected like `missing` but reported after it (heart-rate zone min/max).
 * `read` marks checks made while the body is read (DATETIME): they win over everything.
 */
export type ContractIssue =
  | { kind: "invalid"; error: ApiError; read?: boolean }
  | { kind: "missing"; name: string }
  | { kind: "noted"; name: string };

/** The result of one field check. */
export type Check<T> = { ok: true; value: T } | { ok: false; issue: ContractIssue };

/** A passing check with its normalised value. */
export const pass = <T>(value: T): Check<T> => ({ ok: true, value });

/** Failing checks, by kind. */
export const fail = {
  invalid: (error: ApiError, read = false): Check<never> => ({
    ok: false,
    issue: { kind: "invalid", error, read },
  }),
  missing: (name: string): Check<never> => ({ ok: false, issue: { kind: "missing", name } }),
  noted: (name: string): Check<never> => ({ ok: false, issue: { kind: "noted", name } }),
};

/** JSON Schema keywords shown in the API reference for a field. */
export type FieldDoc = Record<string, unknown>;

/** Reads the contract issue a rule attached to a zod issue, if any. */
export function contractIssueOf(issue: z.core.$ZodIssue): ContractIssue | undefined {
  const params = (issue as { params?: { contract?: ContractIssue } }).params;
  return params?.contract;
}

/** Adds a contract issue to a zod refinement context. */
export function report(
  ctx: { addIssue(issue: z.core.$ZodRawIssue | string): void },
  issue: ContractIssue,
  path?: PropertyKey[],
): void {
  const message = issue.kind === "invalid" ? issue.error.message : `${issue.name} (${issue.kind})`;
  ctx.addIssue({ code: "custom", message, params: { contract: issue }, path, input: undefined });
}

/**
 * A field validated by one plain function: the function sees the raw value
 * (`undefined` when the key is absent) and returns a check. The zod schema it
 * builds carries `doc` for the API reference.
 */
export function field<T>(check: (value: unknown) => Check<T>, doc: FieldDoc = {}): z.ZodType<T> {
  return z.unknown().transform((value, ctx) => {
    const result = check(value);
    if (result.ok) return result.value;
    report(ctx, result.issue);
    return z.NEVER;
  }).meta(doc) as unknown as z.ZodType<T>;
}

/**
 * A required field: absent gives the `missing` step under `name`, otherwise `check` decides.
 * `null` counts as present (it then fails the type rule).
 */
export function required<T>(
  name: string,
  check: (value: unknown) => Check<T>,
  doc: FieldDoc = {},
): z.ZodType<T> {
  return field((value) => value === undefined ? fail.missing(name) : check(value), doc);
}

/** An optional field: absent is accepted as `undefined`, a present value must pass `check`. */
export function optional<T>(
  check: (value: unknown) => Check<T>,
  doc: FieldDoc = {},
): z.ZodOptional<z.ZodType<T>> {
  return field(check, doc).optional();
}

// ---------------------------------------------------------------------------
// Scalar rules shared by several resources. Each takes the field's display name.

const INVALID = "One or more request fields are invalid...";
export { INVALID as INVALID_FIELDS_MESSAGE };

/** STR: a string of length ≥ 1 (optionally after trimming). */
export function str(name: string, options: { trim?: boolean } = {}) {
  return (value: unknown): Check<string> => {
    if (typeof value !== "string") {
      return fail.invalid(errors.invalidFields(`${name} must be a string!`));
    }
    const text = options.trim ? value.trim() : value;
    if (text.length === 0) {
      return fail.invalid(errors.invalidFields(`${name} must have at least one character!`));
    }
    return pass(text);
  };
}

/** A 24-hex id given in a body field, reported as `Parameter {name} is not in valid format!`. */
export function hexId(name: string) {
  return (value: unknown): Check<string> =>
    typeof value === "string" && HEX_ID.test(value)
      ? pass(normalizeId(value))
      : fail.invalid(errors.invalidParam(name));
}

/** A value tested on its JavaScript string form, as the original's regex checks were. */
function numericText(value: unknown): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === "string") return value;
  return undefined;
}

const DIGITS = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const SIGNED_DECIMAL = /^-?\d+(\.\d+)?$/;

/** INT≥0: digits only. Numeric strings pass and become numbers. */
export function intAtLeastZero(name: string) {
  return (value: unknown): Check<number> => {
    const text = numericText(value);
    return text !== undefined && DIGITS.test(text) ? pass(Number(text)) : fail.invalid(
      errors.invalidFields(`${name} must be an integer equal to or greater than zero.`),
    );
  };
}

/** NUM≥0: digits with an optional fraction. */
export function numberAtLeastZero(name: string) {
  return (value: unknown): Check<number> => {
    const text = numericText(value);
    return text !== undefined && DECIMAL.test(text) ? pass(Number(text)) : fail.invalid(
      errors.invalidFields(`${name} must be a number equal to or greater than zero.`),
    );
  };
}

/** NUM: an optional minus sign, digits and an optional fraction. */
export function anyNumber(name: string) {
  return (value: unknown): Check<number> => {
    const text = numericText(value);
    return text !== undefined && SIGNED_DECIMAL.test(text)
      ? pass(Number(text))
      : fail.invalid(errors.invalidFields(`${name} must be a valid number.`));
  };
}

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True for an integer ≥ 1 given as a number or digit string (leading zeros allowed). */
export function isPositiveInt(value: unknown): boolean {
  const text = numericText(value);
  return text !== undefined && DIGITS.test(text) && Number(text) >= 1;
}

// ---------------------------------------------------------------------------
// Time rules.

/** How deep `shownAs` follows nested arrays; deeper levels show as nothing. */
const SHOWN_DEPTH = 16;

/**
 * A client's value as the original's messages showed it (`${value}`: arrays joined with
 * commas, objects as `[object Object]`), without calling anything the value holds: a
 * parsed body may carry its own `toString` or `valueOf` key, or arrays nested thousands
 * deep, and `String(value)` would throw on either (a 500 instead of the 400).
 */
export function shownAs(value: unknown, depth = 0): string {
  if (Array.isArray(value)) {
    if (depth >= SHOWN_DEPTH) return "";
    return value.map((item) => item === null || item === undefined ? "" : shownAs(item, depth + 1))
      .join(",");
  }
  if (value !== null && typeof value === "object") return "[object Object]";
  return String(value);
}

const DATETIME_SHAPE =
  /^(\d{4})-(0[1-9]|1[0-2])-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i;
const DATE_SHAPE = /^(\d{4})-(0[1-9]|1[0-2])-(\d{2})$/;

/** True when the day exists in that month (leap years counted). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (day < 1) return false;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= last;
}

const yearAllowed = (year: number) => year >= 1678 && year <= 2261;

/**
 * DATETIME (tracking.md §1.3): `YYYY-MM-DDTHH:mm:ss[.fff][Z|±hh:mm]`, a real calendar day,
 * year 1678–2261. A value without a zone is read as UTC. Returns epoch milliseconds.
 * Failures are read-phase issues: they win over every other check.
 */
export function datetime(value: unknown): Check<number> {
  const text = shownAs(value);
  const shape = typeof value === "string" ? DATETIME_SHAPE.exec(value) : null;
  if (!shape) {
    return fail.invalid(
      errors.withMessage(
        `Datetime: ${text}, is not in valid ISO 8601 format.`,
        "Datetime must be in the format: yyyy-MM-ddTHH:mm:ssZ",
      ),
      true,
    );
  }
  const [, y, m, d, hh, mm, ss, fraction = "", zone = "Z"] = shape;
  const year = Number(y), month = Number(m), day = Number(d);
  if (!yearAllowed(year) || !isCalendarDate(year, month, day)) {
    return fail.invalid(
      errors.withMessage(`Datetime: ${text}, is not in valid ISO 8601 format.`),
      true,
    );
  }
  const millis = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
  let instant = Date.UTC(year, month - 1, day, Number(hh), Number(mm), Number(ss), millis);
  if (zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const offset = (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
    instant -= sign * offset;
  }
  return pass(instant);
}

/**
 * DATE (tracking.md §1.3, account.md §6.1 steps 1–3): `YYYY-MM-DD`, year 1678–2261,
 * a real calendar day. Returns the text as given.
 */
export function date(value: unknown): Check<string> {
  const text = shownAs(value);
  const shape = typeof value === "string" ? DATE_SHAPE.exec(value) : null;
  if (!shape) {
    return fail.invalid(
      errors.withMessage(
        `Date: ${text}, is not in valid ISO 8601 format.`,
        "Date must be in the format: yyyy-MM-dd",
      ),
    );
  }
  const year = Number(shape[1]);
  if (!yearAllowed(year)) {
    return fail.invalid(
      errors.withMessage(
        `Date ${text} has year not allowed. The year must be greater than 1678 and less than 2261.`,
      ),
    );
  }
  if (!isCalendarDate(year, Number(shape[2]), Number(shape[3]))) {
    return fail.invalid(errors.withMessage(`Date: ${text}, is not in valid ISO 8601 format.`));
  }
  return pass(text);
}
