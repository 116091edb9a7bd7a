/**
 * `dataPoints:dailyRollUp` (google-health.md §3.4, §6.3): request-body checks with Google's
 * messages, and one rollup item per civil window computed from the user's seeded points. A window
 * without data has no value member; a "worn" day without data answers zeros.
 */
import {
  civilDay,
  type DataPoint,
  type DataTypeInfo,
  intervalSeconds,
  payloadOf,
} from "./datatypes.ts";
import type { UserData } from "./state.ts";

/** A request the API refuses, with the message it gives. */
export class RollupError extends Error {}

/** A checked dailyRollUp request. */
export interface RollupRequest {
  /** First civil day, `YYYY-MM-DD`. */
  start: string;
  /** Exclusive end day. */
  end: string;
  windowDays: number;
}

const DAY_MS = 86_400_000;
const BODY_FIELDS = new Set([
  "range",
  "windowSizeDays",
  "dataSourceFamily",
  "pageSize",
  "pageToken",
]);
const RANGE_FIELDS = new Set(["start", "end"]);
const CIVIL_FIELDS = new Set(["date", "time"]);
const DATE_FIELDS = new Set(["year", "month", "day"]);

const unknownName = (name: string, at: string) =>
  new RollupError(
    `Invalid JSON payload received. Unknown name "${name}"${
      at ? ` at '${at}'` : ""
    }: Cannot find field.`,
  );

function checkFields(value: unknown, allowed: Set<string>, at: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RollupError(
      `Invalid JSON payload received. Expected an object${at ? ` at '${at}'` : ""}.`,
    );
  }
  for (const name of Object.keys(value)) if (!allowed.has(name)) throw unknownName(name, at);
  return value as Record<string, unknown>;
}

function civilDate(value: unknown, at: string): string {
  const civil = checkFields(value, CIVIL_FIELDS, at);
  const date = checkFields(civil.date, DATE_FIELDS, `${at}.date`);
  const { year, month, day } = date as Record<string, unknown>;
  const valid = [year, month, day].every((n) => Number.isInteger(n)) &&
    (month as number) >= 1 && (month as number) <= 12 && (day as number) >= 1 &&
    (day as number) <= 31;
  if (!valid) throw new RollupError(`Invalid value at '${at}.date': not a valid calendar date.`);
  const time = civil.time as Record<string, number> | undefined;
  if (time && Object.values(time).some((n) => n !== 0)) {
    throw new RollupError(`'${at}' must align with a daily window (00:00:00).`);
  }
  const text = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new RollupError(`Invalid value at '${at}.date': not a valid calendar date.`);
  }
  return text;
}

/** Checks a dailyRollUp body for a type; throws {@link RollupError} with Google's message. */
export function parseRollup(
  raw: string,
  t: DataTypeInfo,
  options: { rejectPageSize: boolean },
): RollupRequest {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (error) {
    throw new RollupError(`Invalid JSON payload received. ${(error as Error).message}`);
  }
  const fields = checkFields(body, BODY_FIELDS, "");
  if (options.rejectPageSize && (fields.pageSize !== undefined || fields.pageToken !== undefined)) {
    throw new RollupError("Invalid argument in request");
  }
  if (fields.range === undefined) throw new RollupError("range is required.");
  const range = checkFields(fields.range, RANGE_FIELDS, "range");
  if (range.start === undefined || range.end === undefined) {
    throw new RollupError("range.start and range.end are required.");
  }
  const start = civilDate(range.start, "range.start");
  const end = civilDate(range.end, "range.end");
  const windowDays = fields.windowSizeDays === undefined ? 1 : fields.windowSizeDays;
  if (!Number.isInteger(windowDays) || (windowDays as number) < 1) {
    throw new RollupError("windowSizeDays must be a positive integer.");
  }
  if (end <= start) throw new RollupError("range.end must be after range.start.");
  const days = Math.round((Date.parse(end) - Date.parse(start)) / DAY_MS);
  const max = t.rollupMaxDays ?? 0;
  if (days > max) {
    throw new RollupError(
      `The range of a daily rollup of ${t.type} must not exceed ${max} days (got ${days}).`,
    );
  }
  if (days % (windowDays as number) !== 0) {
    throw new RollupError("range must be a whole number of windows.");
  }
  return { start, end, windowDays: windowDays as number };
}

/** A synthetic value per day and type (benchmarks): stable, different per day. */
function generatedNumber(day: string, salt: number): number {
  return (Number(day.replaceAll("-", "")) * salt) % 9000;
}

/** The rollup value member for one type over some days, or undefined when nothing was there. */
function rollupValue(
  t: DataTypeInfo,
  data: UserData,
  days: string[],
  byDay: Map<string, DataPoint[]>,
): Record<string, unknown> | undefined {
  const points = days.flatMap((d) => byDay.get(d) ?? []);
  const worn = days.some((d) => data.wornDays.has(d));
  const seededCalories = days.filter((d) => data.totalCaloriesByDay.has(d));
  const generated = data.generated && points.length === 0 && seededCalories.length === 0;
  if (!generated && points.length === 0 && seededCalories.length === 0 && !worn) return undefined;
  const sum = (read: (p: Record<string, unknown>) => unknown) =>
    points.reduce((total, p) => total + Number(read(payloadOf(p, t)) ?? 0), 0);
  const gen = (salt: number) => days.reduce((n, d) => n + generatedNumber(d, salt), 0);
  switch (t.type) {
    case "steps":
      return { countSum: String(generated ? gen(7) : sum((p) => p.count)) };
    case "distance":
      return { millimetersSum: String(generated ? gen(11) * 100 : sum((p) => p.millimeters)) };
    case "total-calories": {
      const kcal = generated
        ? 1200 + gen(3) % 900
        : seededCalories.reduce((n, d) => n + data.totalCaloriesByDay.get(d)!, 0);
      return { kcalSum: kcal };
    }
    case "sedentary-period": {
      const seconds = generated
        ? 36_000 + (gen(5) % 600) * 60
        : points.reduce((n, p) => n + intervalSeconds(p, t), 0);
      return { durationSum: `${seconds}s` };
    }
    case "active-minutes": {
      const byLevel = new Map<string, number>();
      if (generated) {
        byLevel.set("LIGHT", gen(13) % 240).set("MODERATE", gen(17) % 40).set(
          "VIGOROUS",
          gen(19) % 20,
        );
      }
      for (const p of points) {
        const levels = (payloadOf(p, t).activeMinutesByActivityLevel ?? []) as {
          activityLevel: string;
          activeMinutes: string;
        }[];
        for (const l of levels) {
          byLevel.set(
            l.activityLevel,
            (byLevel.get(l.activityLevel) ?? 0) + Number(l.activeMinutes),
          );
        }
      }
      return {
        activeMinutesRollupByActivityLevel: [...byLevel].map(([activityLevel, minutes]) => ({
          activityLevel,
          activeMinutesSum: String(minutes),
        })),
      };
    }
    case "weight":
    case "body-fat": {
      const read = (p: Record<string, unknown>) =>
        Number(t.type === "weight" ? p.weightGrams : p.percentage);
      const values = points.map((p) => read(payloadOf(p, t)));
      if (values.length === 0) return {};
      const prefix = t.type === "weight" ? "weightGrams" : "bodyFatPercentage";
      return {
        [`${prefix}Avg`]: values.reduce((a, b) => a + b, 0) / values.length,
        [`${prefix}Min`]: Math.min(...values),
        [`${prefix}Max`]: Math.max(...values),
      };
    }
  }
  return undefined;
}

/** The `rollupDataPoints` of a checked request. */
export function dailyRollUp(
  t: DataTypeInfo,
  data: UserData,
  request: RollupRequest,
  order: "asc" | "desc",
): Record<string, unknown>[] {
  const byDay = new Map<string, DataPoint[]>();
  for (const point of data.points.get(t.type) ?? []) {
    const day = civilDay(point, t);
    if (day !== undefined) byDay.set(day, [...(byDay.get(day) ?? []), point]);
  }
  // Every day of the range plus the end, computed once (profiling showed date maths dominating).
  const first = Date.parse(`${request.start}T00:00:00Z`);
  const count = Math.round((Date.parse(`${request.end}T00:00:00Z`) - first) / DAY_MS);
  const dates = Array.from({ length: count + 1 }, (_, i) => new Date(first + i * DAY_MS));
  const texts = dates.map((d) => d.toISOString().slice(0, 10));
  const civil = (i: number) => ({
    date: {
      year: dates[i].getUTCFullYear(),
      month: dates[i].getUTCMonth() + 1,
      day: dates[i].getUTCDate(),
    },
  });
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i += request.windowDays) {
    const value = rollupValue(t, data, texts.slice(i, i + request.windowDays), byDay);
    items.push({
      civilStartTime: civil(i),
      civilEndTime: civil(i + request.windowDays),
      ...(value && { [t.key]: value }),
    });
  }
  return order === "desc" ? items.reverse() : items;
}
