import { datetime } from "../../core/validation/rules.ts";

/**
 * Output time formats (tracking.md §1.4): they differ by resource and clients assert
 * them exactly. Instants are stored as epoch milliseconds.
 */

/** `2019-12-14T12:52:59`: UTC, truncated to seconds, no zone (physical activity, sleep, weight). */
export function utcSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** `2019-06-18T03:00:45.123Z`: full ISO UTC with milliseconds (body fat, environment). */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * A time value of an error item (§1.7): shown in the resource's format when it is a valid
 * DATETIME, otherwise as sent.
 */
export function echoTime(value: unknown, format: (ms: number) => string): unknown {
  const parsed = datetime(value);
  return parsed.ok ? format(parsed.value) : value;
}
