import { z } from "zod";
import { idText, utcSecondsText } from "../common/views.ts";
import { errors } from "../../core/errors.ts";
import { group } from "../../core/validation/reduce.ts";
import {
  datetime,
  hexId,
  intAtLeastZero,
  isRecord,
  report,
  required,
} from "../../core/validation/rules.ts";
import { trackingErrors } from "../common/errors.ts";
import { always, anyValue, checkTimeSpan, oneOf, record } from "../common/schema.ts";

/** The sleep pattern types (tracking.md §4). */
export const SLEEP_TYPES = ["classic", "stages"] as const;

/** A sleep pattern type. */
export type SleepType = (typeof SLEEP_TYPES)[number];

/** The data_set names each type allows, in the order its error message lists them. */
export const PATTERN_NAMES: Record<SleepType, readonly string[]> = {
  classic: ["asleep", "restless", "awake"],
  stages: ["deep", "light", "rem", "awake"],
};

const time = { type: "string", format: "date-time", example: "2018-08-18T01:40:30Z" };
const ms = { type: "integer", minimum: 0, description: "milliseconds" };

const dataSetItem = record({
  start_time: required("pattern.data_set.start_time", datetime, time),
  // Checked against the sleep's type by `checkPatternNames`, once the type is known valid.
  name: required("pattern.data_set.name", anyValue, { type: "string" }),
  duration: required("pattern.data_set.duration", intAtLeastZero("pattern.data_set.duration"), ms),
});

/**
 * `pattern` (B9–B13): absent is collected with the outer fields; present, it must hold a
 * non-empty `data_set` array, whose items form a nested validator (their missing names,
 * one per item, are thrown together).
 */
const pattern = group(z.preprocess((value, ctx) => {
  if (value === undefined) {
    report(ctx, { kind: "missing", name: "pattern" });
    return z.NEVER;
  }
  if (!isRecord(value) || !Array.isArray(value.data_set)) {
    report(ctx, {
      kind: "invalid",
      error: trackingErrors.required("pattern.data_set is required!"),
    });
    return z.NEVER;
  }
  if (value.data_set.length === 0) {
    report(ctx, {
      kind: "invalid",
      error: errors.invalidFields("pattern.data_set must not be empty!"),
    });
    return z.NEVER;
  }
  return value;
}, z.object({ data_set: z.array(dataSetItem) })));

/** B12: with a valid `type`, each data_set name present must be one it allows. */
function checkPatternNames(
  value: { type?: unknown; pattern?: unknown },
  ctx: z.core.$RefinementCtx<unknown>,
) {
  const type = value.type;
  if (type !== "classic" && type !== "stages") return;
  const dataSet = isRecord(value.pattern) ? value.pattern.data_set : undefined;
  if (!Array.isArray(dataSet)) return;
  const allowed = PATTERN_NAMES[type];
  dataSet.forEach((item, index) => {
    if (!isRecord(item) || !("name" in item) || allowed.includes(item.name as string)) return;
    report(ctx, {
      kind: "invalid",
      error: errors.invalidFields(
        `The names of the allowed data_set patterns are: ${allowed.join(", ")}.`,
      ),
    }, ["pattern", "data_set", index, "name"]);
  });
}

/**
 * One sleep record of a POST body, in the contract's validation order (tracking.md §4.2):
 * A1–A3 are the DATETIME reads (the data_set times included), then B1–B14.
 */
export const sleepItem = z.object({
  start_time: required("start_time", datetime, time),
  end_time: required("end_time", datetime, time),
  duration: required("duration", intAtLeastZero("duration"), {
    ...ms,
    description: "end_time − start_time, in milliseconds",
  }),
  child_id: required("child_id", hexId("child_id"), { readOnly: true }),
  type: required(
    "type",
    oneOf(SLEEP_TYPES, "The names of the allowed Sleep Pattern types are: classic, stages."),
    { enum: [...SLEEP_TYPES] },
  ),
  pattern,
}).superRefine((value, ctx) => {
  checkTimeSpan(value, ctx);
  checkPatternNames(value, ctx);
}, always);

/** A validated sleep record. */
export type SleepInput = z.output<typeof sleepItem>;

/** A sleep record as every answer shows it (tracking.md §4.1); `summary` is computed. */
export const sleepSchema = z.strictObject({
  id: idText,
  start_time: utcSecondsText,
  end_time: utcSecondsText,
  duration: z.number().meta({ description: "Milliseconds" }),
  child_id: idText,
  type: z.enum(["classic", "stages"]),
  pattern: z.strictObject({
    data_set: z.array(
      z.strictObject({ start_time: utcSecondsText, name: z.string(), duration: z.number() }),
    ),
    summary: z.record(z.string(), z.strictObject({ count: z.number(), duration: z.number() }))
      .meta({ description: "Count and total duration per stage name of the type" }),
  }),
});
