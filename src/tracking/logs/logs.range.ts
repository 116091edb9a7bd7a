import { trackingErrors } from "../common/errors.ts";

const DAY_MS = 86_400_000;

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The days from `start` to `end` (both `YYYY-MM-DD`, already valid dates), inclusive and
 * ascending, after the range rule (tracking.md §7.4): the end must not be before the
 * start, and the span may not exceed 365 days (366 when either year is a leap year,
 * unless both dates are in January, as the original computed it).
 */
export function daysOfRange(start: string, end: string): string[] {
  const from = Date.parse(`${start}T00:00:00Z`), to = Date.parse(`${end}T00:00:00Z`);
  const span = Math.round((to - from) / DAY_MS);
  if (span < 0) {
    throw trackingErrors.badInterval(
      start,
      end,
      "The date_end parameter can not contain an older date than that the date_start parameter!",
    );
  }
  const bothInJanuary = start.slice(5, 7) === "01" && end.slice(5, 7) === "01";
  const leap = isLeap(Number(start.slice(0, 4))) || isLeap(Number(end.slice(0, 4)));
  const limit = !bothInJanuary && leap ? 366 : 365;
  if (span > limit) {
    throw trackingErrors.badInterval(
      start,
      end,
      "The period between the received dates can not exceed one year!",
    );
  }
  return Array.from(
    { length: span + 1 },
    (_, i) => new Date(from + i * DAY_MS).toISOString().slice(0, 10),
  );
}
