import { z } from "zod";
import { idText, isoText } from "../common/views.ts";
import { datetime, hexId, numberAtLeastZero, required } from "../../core/validation/rules.ts";

/**
 * One body fat of a POST body, in the contract's validation order (tracking.md §6.2).
 * Any `unit` sent is ignored: a body fat is always in `%`.
 */
export const bodyFatItem = z.object({
  timestamp: required("timestamp", datetime, {
    type: "string",
    format: "date-time",
    example: "2019-06-18T03:00:45.123Z",
  }),
  value: required("value", numberAtLeastZero("value"), {
    type: "number",
    minimum: 0,
    description: "percentage",
  }),
  child_id: required("child_id", hexId("child_id"), { readOnly: true }),
});

/** A validated body fat. */
export type BodyFatInput = z.output<typeof bodyFatItem>;

/** A body fat as every answer shows it (tracking.md §6.1). */
export const bodyFatSchema = z.strictObject({
  id: idText,
  timestamp: isoText,
  value: z.number(),
  unit: z.string().meta({ description: "Always %" }),
  child_id: idText,
});
