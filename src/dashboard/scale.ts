/**
 * Axis arithmetic and labels for the charts: "nice" tick values, calendar days, and
 * short date texts. Pure functions; all dates are UTC (the API's times are UTC).
 */

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Ticks covering `[min, max]` with a round step (1, 2 or 5 × 10^k), about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    const pad = max === 0 ? 1 : Math.abs(max) * 0.1;
    min -= pad;
    max += pad;
  }
  const step = niceStep((max - min) / Math.max(1, count));
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let value = first; value < max + step * 0.5; value += step) {
    ticks.push(roundTo(value, step));
    if (ticks.length > 50) break;
  }
  if (ticks[ticks.length - 1] < max) ticks.push(roundTo(ticks[ticks.length - 1] + step, step));
  return ticks;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Removes float noise (0.30000000000000004) at the step's precision. */
function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(decimals));
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function isoDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** UTC midnight of a `YYYY-MM-DD` day. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** The `count` calendar days ending with the day of `at` (UTC), oldest first. */
export function lastDays(at: number, count: number): string[] {
  const end = dayStart(isoDay(at));
  return Array.from({ length: count }, (_, i) => isoDay(end - (count - 1 - i) * DAY_MS));
}

/** `3 Mar` for a `YYYY-MM-DD` day. */
export function shortDay(day: string): string {
  return `${Number(day.slice(8, 10))} ${MONTHS[Number(day.slice(5, 7)) - 1]}`;
}

/** `3 Mar 2026` for a `YYYY-MM-DD` day. */
export function longDay(day: string): string {
  return `${shortDay(day)} ${day.slice(0, 4)}`;
}

/** `3 Mar 2026, 14:05 UTC` for an instant. */
export function dateTime(at: number): string {
  const iso = new Date(at).toISOString();
  return `${longDay(iso.slice(0, 10))}, ${iso.slice(11, 16)} UTC`;
}

/** `3 Mar 14:05` for an instant (UTC; say so nearby). */
export function shortDateTime(at: number): string {
  const iso = new Date(at).toISOString();
  return `${shortDay(iso.slice(0, 10))} ${iso.slice(11, 16)}`;
}

/**
 * Tick instants for a time axis from `from` to `to`: UTC midnights, a whole number of
 * days apart, about `count` of them; within two days, every six hours instead.
 */
export function timeTicks(from: number, to: number, count = 6): number[] {
  const span = to - from;
  if (!(span > 0)) return [from];
  const unit = span <= 2 * DAY_MS ? DAY_MS / 4 : DAY_MS;
  const step = Math.max(1, Math.ceil(span / unit / count)) * unit;
  const ticks: number[] = [];
  for (let at = Math.ceil(from / unit) * unit; at <= to; at += step) ticks.push(at);
  return ticks;
}

/** The label of a time-axis tick: `3 Mar`, or `3 Mar 06:00` when ticks are hours apart. */
export function timeTickLabel(at: number, ticks: readonly number[]): string {
  const hourly = ticks.length > 1 && ticks[1] - ticks[0] < DAY_MS;
  return hourly ? shortDateTime(at) : shortDay(isoDay(at));
}

const grouped = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

/** A number for people: thousands separated, at most one decimal. */
export function formatNumber(value: number): string {
  return grouped.format(value);
}
