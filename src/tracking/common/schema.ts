import { z } from "zod";
import { errors } from "../../core/errors.ts";
import { type Check, fail, field, isRecord, pass, report } from "../../core/validation/rules.ts";

/**
 * Building blocks shared by the tracking item schemas (tracking.md §1.5–§1.7).
 */

/**
 * A nested object whose fields are validated one by one. Any non-object value is read as
 * `{}`, so its required fields are reported missing, as the original's model reading did.
 */
export function record<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.preprocess((value) => isRecord(value) ? value : {}, z.object(shape));
}

/**
 * A required nested object: absent gives the `missing` step under `name` (in the enclosing
 * object's list). `nonObject` says how another non-object value (`null`, a number) is read.
 */
export function requiredRecord<Shape extends z.core.$ZodLooseShape>(
  name: string,
  shape: Shape,
  nonObject: "empty" | "missing",
) {
  return z.preprocess((value, ctx) => {
    if (value === undefined || (!isRecord(value) && nonObject === "missing")) {
      report(ctx, { kind: "missing", name });
      return z.NEVER;
    }
    return isRecord(value) ? value : {};
  }, z.object(shape));
}

/**
 * Where an issue about a whole array goes so that it is ordered after every item's issues
 * (issues are ordered by path; an array index sorts by its number).
 */
export const AFTER_ITEMS = Number.MAX_SAFE_INTEGER;

/** A field accepting any present value (a cross-field check judges it later). */
export function anyValue(value: unknown): Check<unknown> {
  return pass(value);
}

/** One of a fixed list of names, else the given invalid-fields description. */
export function oneOf<T extends string>(names: readonly T[], description: string) {
  return (value: unknown): Check<T> =>
    (names as readonly unknown[]).includes(value)
      ? pass(value as T)
      : fail.invalid(errors.invalidFields(description));
}

/** The time fields checked together by physical activities and sleep (§3.2 B4–B5). */
interface TimeSpan {
  start_time?: unknown;
  end_time?: unknown;
  duration?: unknown;
}

/**
 * B4–B5: once start, end and duration are all valid, the end must not be before the
 * start and the duration must be exactly end − start. Reported right after `duration`.
 * Unlike the original (which skipped these checks for a zero duration and then failed in
 * storage), a zero duration is checked too: it is accepted only when start = end.
 */
export function checkTimeSpan(value: TimeSpan, ctx: z.core.$RefinementCtx<unknown>): void {
  const { start_time: start, end_time: end, duration } = value;
  if (typeof start !== "number" || typeof end !== "number" || typeof duration !== "number") {
    return;
  }
  if (end < start) {
    report(ctx, {
      kind: "invalid",
      error: errors.invalidFields(
        "The end_time parameter can not contain an older date than that the start_time parameter!",
      ),
    }, ["duration"]);
  } else if (duration !== end - start) {
    report(ctx, {
      kind: "invalid",
      error: errors.invalidFields(
        "duration value does not match values passed in start_time and end_time parameters!",
      ),
    }, ["duration"]);
  }
}

/** Runs a cross-field check even when some fields failed (it reads only valid ones). */
export const always = { when: () => true };

/** A POST body: one object (201) or an array of them (207), §1.7. */
export interface BulkBody {
  items: unknown[];
  many: boolean;
}

/**
 * The body of a bulk-capable POST. Each item is validated later, one by one, with the
 * item schema; a JSON primitive is a malformed body (§1.11).
 */
export function bulkBody(item: z.ZodType): z.ZodType<BulkBody> {
  return field<BulkBody>(
    (value) =>
      Array.isArray(value)
        ? pass({ items: value, many: true })
        : isRecord(value)
        ? pass({ items: [value], many: false })
        : fail.invalid(errors.malformedBody()),
    { description: "One item, or an array of items (answered with 207)", ...docOf(item) },
  );
}

/** The item's JSON schema for the API reference, as an object or an array of objects. */
function docOf(item: z.ZodType): Record<string, unknown> {
  try {
    const { $schema: _, ...schema } = z.toJSONSchema(item, {
      io: "input",
      unrepresentable: "any",
    });
    // Fields the path fills in (`child_id`, `institution_id`) are not asked of clients.
    const properties = (schema.properties ?? {}) as Record<string, { readOnly?: boolean }>;
    if (Array.isArray(schema.required)) {
      schema.required = schema.required.filter((name) => !properties[name]?.readOnly);
    }
    return { oneOf: [schema, { type: "array", items: schema }] };
  } catch {
    return {};
  }
}

/** An object without its undefined keys (absent fields are left out of views). */
export function compact<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/** The listed keys of a value when it is an object (an error item's known fields). */
export function pick(value: unknown, keys: readonly string[]): Record<string, unknown> {
  const source = isRecord(value) ? value : {};
  return compact(Object.fromEntries(keys.map((key) => [key, source[key]])));
}
