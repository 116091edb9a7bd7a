import { z } from "zod";
import { idText, isoText } from "../common/views.ts";
import { errors } from "../../core/errors.ts";
import { group } from "../../core/validation/reduce.ts";
import {
  anyNumber,
  type Check,
  datetime,
  fail,
  hexId,
  optional,
  pass,
  report,
  required,
  str,
} from "../../core/validation/rules.ts";
import { record, requiredRecord } from "../common/schema.ts";

const text = { type: "string", minLength: 1 };

/** Latitude/longitude: STR, after turning a number into its text (tracking.md §8.2). */
function coordinate(name: string) {
  return (value: unknown): Check<string> =>
    typeof value === "number" && Number.isFinite(value) ? pass(String(value)) : str(name)(value);
}

/**
 * `location` (B3–B4): absent is collected with the outer fields; present, it is a nested
 * validator whose missing fields are thrown together. A non-object is read as `{}`.
 */
const location = group(requiredRecord("location", {
  local: required("location.local", str("location.local"), text),
  room: required("location.room", str("location.room"), text),
  latitude: optional(coordinate("location.latitude"), { type: ["string", "number"] }),
  longitude: optional(coordinate("location.longitude"), { type: ["string", "number"] }),
}, "empty"));

/** A measurement type: STR, kept trimmed and in lower case. */
function measurementType(value: unknown): Check<string> {
  const check = str("measurements.type", { trim: true })(value);
  return check.ok ? pass(check.value.toLowerCase()) : check;
}

const measurementItem = record({
  type: required("measurements.type", measurementType, { ...text, example: "temperature" }),
  value: required("measurements.value", anyNumber("measurements.value"), { type: "number" }),
  unit: required("measurements.unit", str("measurements.unit"), { ...text, example: "°C" }),
  // A2 (a quirk kept): a time inside a measurement is read as a DATETIME, then dropped.
  timestamp: optional(datetime),
});

/**
 * `measurements` (B5–B7): a non-array counts as absent; `[]` is invalid; the items'
 * missing fields join the outer list (this is not a nested validator).
 */
const measurements = z.preprocess((value, ctx) => {
  if (!Array.isArray(value)) {
    report(ctx, { kind: "missing", name: "measurements" });
    return z.NEVER;
  }
  if (value.length === 0) {
    report(ctx, {
      kind: "invalid",
      error: errors.invalidFields("measurements collection must not be empty!"),
    });
    return z.NEVER;
  }
  return value;
}, z.array(measurementItem));

/**
 * One environment reading of a POST body, in the contract's validation order
 * (tracking.md §8.2). `institution_id` is the path's, put in place before validation.
 */
export const environmentItem = z.object({
  timestamp: required("timestamp", datetime, {
    type: "string",
    format: "date-time",
    example: "2019-11-19T14:40:00Z",
  }),
  institution_id: required("institution_id", hexId("institution_id"), { readOnly: true }),
  location,
  measurements,
  climatized: optional(
    (value) =>
      typeof value === "boolean"
        ? pass(value)
        : fail.invalid(errors.invalidFields("climatized must be a boolean!")),
    { type: "boolean", default: false },
  ),
});

/** A validated environment reading. */
export type EnvironmentInput = z.output<typeof environmentItem>;

/** An environment reading as every answer shows it (tracking.md §8.1). */
export const environmentSchema = z.strictObject({
  id: idText,
  institution_id: idText,
  location: z.strictObject({
    local: z.string(),
    room: z.string(),
    latitude: z.string().optional(),
    longitude: z.string().optional(),
  }),
  measurements: z.array(z.strictObject({ type: z.string(), value: z.number(), unit: z.string() })),
  climatized: z.boolean(),
  timestamp: isoText,
});
