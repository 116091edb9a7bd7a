import { z } from "zod";
import { idText, utcSecondsText } from "../common/views.ts";
import { errors } from "../../core/errors.ts";
import type { ReportOptions } from "../../core/validation/reduce.ts";
import {
  datetime,
  fail,
  hexId,
  numberAtLeastZero,
  optional,
  required,
  str,
} from "../../core/validation/rules.ts";

const bodyFatRule = numberAtLeastZero("body_fat");

/**
 * One weight of a POST body, in the contract's validation order (tracking.md §5.2).
 * `body_fat` (B6) is judged only after the required-fields list (B5), so its failure is
 * "noted": reported after the missing fields, by `weightReport`.
 */
export const weightItem = z.object({
  timestamp: required("timestamp", datetime, {
    type: "string",
    format: "date-time",
    example: "2019-06-20T14:40:00Z",
  }),
  value: required("value", numberAtLeastZero("value"), { type: "number", minimum: 0 }),
  unit: required("unit", str("unit"), { type: "string", example: "kg" }),
  child_id: required("child_id", hexId("child_id"), { readOnly: true }),
  body_fat: optional((value) => {
    const check = bodyFatRule(value);
    return check.ok ? check : fail.noted("body_fat");
  }, {
    type: "number",
    minimum: 0,
    description: "creates or updates the body fat at the same instant",
  }),
});

/** How a weight's issues are reported: an invalid `body_fat` comes after missing fields. */
export const weightReport: ReportOptions = {
  noted: () => errors.invalidFields("body_fat must be a number equal to or greater than zero."),
};

/** A validated weight. */
export type WeightInput = z.output<typeof weightItem>;

/** A weight as every answer shows it (tracking.md §5.1), with its linked body fat if any. */
export const weightSchema = z.strictObject({
  id: idText,
  timestamp: utcSecondsText,
  value: z.number(),
  unit: z.string(),
  child_id: idText,
  body_fat: z.number().optional().meta({ description: "The body fat at the same instant (%)" }),
});
