import { ApiError } from "../../core/errors.ts";
import { Status } from "../../core/status.ts";

/** Tracking-only error bodies (tracking.md §11). */
export const trackingErrors = {
  /** PATCH physical activity / sleep (§3.5): no description. */
  discontinued: () =>
    new ApiError(Status.METHOD_NOT_ALLOWED, "Support for this method has been discontinued."),
  /** A required-fields error with a description of its own (`pattern.data_set is required!`). */
  required: (description: string) =>
    new ApiError(Status.BAD_REQUEST, "Required fields were not provided...", description),
  /** The log date-range rule (§7.4). */
  badInterval: (start: string, end: string, description: string) =>
    new ApiError(
      Status.BAD_REQUEST,
      `The interval between dates ${start} and ${end} is invalid!`,
      description,
    ),
};
