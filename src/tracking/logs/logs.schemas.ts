import { z } from "zod";
import { LOG_RESOURCES } from "../../access/params.ts";
import { errors } from "../../core/errors.ts";
import {
  date,
  fail,
  field,
  hexId,
  isRecord,
  numberAtLeastZero,
  pass,
  required,
} from "../../core/validation/rules.ts";
import { oneOf } from "../common/schema.ts";

/**
 * One daily log, in the contract's per-item order (tracking.md §7.1): the resource
 * (the path's, or the item's own `type` for the Fitbit ingest), `date`, `value`, then
 * the child id. The path values are put in place before validation, so a malformed
 * child id or resource is reported per item.
 */
export const logItem = z.object({
  type: required(
    "type",
    oneOf(LOG_RESOURCES, `The names of the allowed types are: ${LOG_RESOURCES.join(", ")}.`),
    { enum: [...LOG_RESOURCES] },
  ),
  date: required("date", date, { type: "string", format: "date", example: "2019-04-23" }),
  value: required("value", numberAtLeastZero("value"), { type: "number", minimum: 0 }),
  child_id: required("child_id", hexId("child_id"), { readOnly: true }),
});

/** A validated daily log. */
export type LogInput = z.output<typeof logItem>;

/**
 * The body of the log POST: an array of items. Any other JSON object is an empty list
 * (the answer is still a 207); a JSON primitive is a malformed body.
 */
export const logsBody = field<unknown[]>(
  (value) =>
    Array.isArray(value)
      ? pass(value)
      : isRecord(value)
      ? pass([])
      : fail.invalid(errors.malformedBody()),
  {
    type: "array",
    items: {
      type: "object",
      properties: { date: { type: "string", format: "date" }, value: { type: "number" } },
    },
  },
);

/** One day's value of a daily log. */
export const logEntrySchema = z.strictObject({
  date: z.string().meta({ description: "YYYY-MM-DD" }),
  value: z.number(),
});

/** Every kind of daily log over a date range, one entry per day (0 where none is stored). */
export const allLogsSchema = z.strictObject(
  Object.fromEntries(LOG_RESOURCES.map((resource) => [resource, z.array(logEntrySchema)])),
);
