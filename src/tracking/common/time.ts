import { datetime } from "../../core/validation/rules.ts";

/**
 * Output time formats (tracking.md §1.4): they differ by resource and clients assert
 * them exactly. Instants are stored as epoch milliseconds.
 */

/** `2019-12-14T12:52:59`: UTC, truncated to seconds, no zone (physical activity, sleep, weight). */
export function utcSeconds(ms: number): string {
  return inFastRange(ms) ? secondsText(ms) : new Date(ms).toISOString().slice(0, 19);
}

/** `2019-06-18T03:00:45.123Z`: full ISO UTC with milliseconds (body fat, environment). */
export function isoMillis(ms: number): string {
  if (!inFastRange(ms)) return new Date(ms).toISOString();
  const millis = ms % 1000;
  return `${secondsText(ms)}.${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
}

// The views write a time per record (a sleep record twenty), and `toISOString` costs
// about six times the arithmetic below; `time.test.ts` compares the two.

const DAY_MS = 86_400_000;

/** Whole milliseconds in 1970–9999 (four-digit years); anything else takes `toISOString`. */
const inFastRange = (ms: number) => Number.isInteger(ms) && ms >= 0 && ms <= 253402300799999;

const two = (n: number) => n < 10 ? `0${n}` : `${n}`;

/** `YYYY-MM-DDTHH:MM:SS` of whole epoch milliseconds in 1970–9999. */
function secondsText(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  // The civil date of a day number (days from 0000-03-01 in 400-year eras).
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra -
    (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  const seconds = Math.floor((rest - minutes * 60_000) / 1000);
  return `${year}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}`;
}

/**
 * A time value of an error item (§1.7): shown in the resource's format when it is a valid
 * DATETIME, otherwise as sent.
 */
export function echoTime(value: unknown, format: (ms: number) => string): unknown {
  const parsed = datetime(value);
  return parsed.ok ? format(parsed.value) : value;
}
