import { z } from "zod";
import { idText, utcSecondsText } from "../common/views.ts";
import { errors } from "../../core/errors.ts";
import { group } from "../../core/validation/reduce.ts";
import {
  datetime,
  fail,
  hexId,
  intAtLeastZero,
  isPositiveInt,
  isRecord,
  numberAtLeastZero,
  optional,
  pass,
  report,
  required,
  str,
} from "../../core/validation/rules.ts";
import { AFTER_ITEMS, always, checkTimeSpan, oneOf, record } from "../common/schema.ts";

/** The activity level names, in the contract's order (tracking.md §3.1). */
export const LEVEL_NAMES = ["sedentary", "lightly", "fairly", "very"] as const;

/** The heart-rate zones, in validation and output order. */
export const ZONES = ["out_of_range_zone", "fat_burn_zone", "cardio_zone", "peak_zone"] as const;

const time = { type: "string", format: "date-time", example: "2019-12-14T12:52:59Z" };
const ms = { type: "integer", minimum: 0, description: "milliseconds" };

const levelItem = record({
  name: required(
    "levels.name",
    oneOf(LEVEL_NAMES, `The names of the allowed levels are: ${LEVEL_NAMES.join(", ")}.`),
    { enum: [...LEVEL_NAMES] },
  ),
  duration: required("levels.duration", intAtLeastZero("levels.duration"), ms),
});

/**
 * Levels rule 2: the items with an allowed name must be exactly the four names, each
 * once. (The original only counted them, so a name given twice in place of another
 * passed; the contract's field table says "each once", which is what is checked.)
 */
function eachLevelOnce(levels: unknown[], ctx: z.core.$RefinementCtx<unknown>) {
  const names = levels.map((level) => isRecord(level) ? level.name : undefined)
    .filter((name) => (LEVEL_NAMES as readonly unknown[]).includes(name));
  if (names.length === LEVEL_NAMES.length && new Set(names).size === LEVEL_NAMES.length) return;
  report(ctx, {
    kind: "invalid",
    error: errors.invalidFields(
      `The levels array must have values for the following levels: ${LEVEL_NAMES.join(", ")}.`,
    ),
  }, [AFTER_ITEMS]);
}

/** `levels`: a non-array value and `[]` mean no levels (§3.2); a nested validator (§1.6). */
const levels = group(z.preprocess(
  (value) => Array.isArray(value) && value.length > 0 ? value : undefined,
  z.array(levelItem).superRefine(eachLevelOnce, always).optional(),
));

/** min/max of a zone: "noted" as invalid, reported after the missing ones (§3.2 step 4). */
function zoneBound(name: string) {
  return required(
    name,
    (value) => isPositiveInt(value) ? pass(Number(value)) : fail.noted(name),
    { type: "integer", minimum: 1 },
  );
}

/** A heart-rate zone; a zone that is absent or not an object is reported missing. */
function zone(key: (typeof ZONES)[number]) {
  const name = `heart_rate.${key}`;
  return z.preprocess(
    (value, ctx) => {
      if (isRecord(value)) return value;
      report(ctx, { kind: "missing", name });
      return z.NEVER;
    },
    z.object({
      min: zoneBound(`${name}.min`),
      max: zoneBound(`${name}.max`),
      duration: required(`${name}.duration`, intAtLeastZero(`${name}.duration`), ms),
    }),
  );
}

/**
 * `heart_rate`: `null` is ignored; any other value is fully validated (a non-object as
 * `{}`), as a nested validator whose invalid min/max come last (§3.2).
 */
const heartRate = group(
  z.preprocess(
    (value) => value === null ? undefined : isRecord(value) ? value : {},
    z.object({
      average: required(
        "heart_rate.average",
        (value) =>
          isPositiveInt(value) ? pass(Number(value)) : fail.invalid(
            errors.invalidFields("heart_rate.average must be an integer greater than zero."),
          ),
        { type: "integer", minimum: 1 },
      ),
      out_of_range_zone: zone("out_of_range_zone"),
      fat_burn_zone: zone("fat_burn_zone"),
      cardio_zone: zone("cardio_zone"),
      peak_zone: zone("peak_zone"),
    }).optional(),
  ),
  {
    noted: (names) =>
      errors.invalidFields(`${names.join(", ")} must be an integer greater than zero.`),
  },
);

/**
 * One physical activity of a POST body (an object, or an array element), fields in the
 * contract's validation order (tracking.md §3.2): A1–A2 are the DATETIME reads, then
 * B1–B13. `child_id` is the path's, put in place before validation (B6).
 */
export const physicalActivityItem = z.object({
  start_time: required("start_time", datetime, time),
  end_time: required("end_time", datetime, time),
  duration: required("duration", intAtLeastZero("duration"), {
    ...ms,
    description: "end_time − start_time, in milliseconds",
  }),
  child_id: required("child_id", hexId("child_id"), { readOnly: true }),
  name: required("name", str("name", { trim: true }), { type: "string", example: "Walk" }),
  calories: required("calories", numberAtLeastZero("calories"), { type: "number", minimum: 0 }),
  steps: optional(intAtLeastZero("steps"), { type: "integer", minimum: 0 }),
  distance: optional(numberAtLeastZero("distance"), { type: "number", minimum: 0 }),
  levels,
  heart_rate: heartRate,
}).superRefine(checkTimeSpan, always);

/** A validated physical activity. */
export type PhysicalActivityInput = z.output<typeof physicalActivityItem>;

const zoneView = z.strictObject({ min: z.number(), max: z.number(), duration: z.number() });

/** A physical activity as every answer shows it (tracking.md §3.1); unset keys left out. */
export const physicalActivitySchema = z.strictObject({
  id: idText,
  start_time: utcSecondsText,
  end_time: utcSecondsText,
  duration: z.number().meta({ description: "Milliseconds" }),
  child_id: idText,
  name: z.string(),
  calories: z.number(),
  steps: z.number().optional(),
  distance: z.number().optional().meta({ description: "Metres" }),
  levels: z.array(z.strictObject({ name: z.string(), duration: z.number() })).optional(),
  heart_rate: z.strictObject({
    average: z.number(),
    out_of_range_zone: zoneView,
    fat_burn_zone: zoneView,
    cardio_zone: zoneView,
    peak_zone: zoneView,
  }).optional(),
});
