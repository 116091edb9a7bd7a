import { z } from "zod";
import { errorBodySchema } from "../../core/errors.ts";

/** An instant shown to the second in UTC, without zone: `2019-04-23T08:50:05`. */
export const utcSecondsText = z.string().meta({
  description: "UTC, to the second, without a zone: YYYY-MM-DDTHH:mm:ss",
});

/** An instant shown in full ISO 8601 with milliseconds and `Z`. */
export const isoText = z.string().meta({ description: "ISO 8601 instant, UTC" });

/** A record id. */
export const idText = z.string().meta({ description: "24-hex id" });

/**
 * The 207 answer of a bulk POST (tracking.md §1.7): each stored item with its 201, and
 * each refused one with its error and the element as the service understood it.
 */
export function multiStatusSchema(item: z.ZodType) {
  return z.strictObject({
    success: z.array(z.strictObject({ code: z.literal(201), item })),
    error: z.array(
      z.strictObject({
        ...errorBodySchema.shape,
        item: z.unknown().meta({ description: "The element as understood (no id)" }),
      }),
    ),
  });
}
