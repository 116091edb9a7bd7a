import type { LogItem } from "../../../tracking/ingest.ts";
import { PATTERN_NAMES } from "../../../tracking/sleep/sleep.schemas.ts";
import { isRecord } from "../../../core/validation/rules.ts";
import type { ActivityItem, SleepItem, SourceItem, WeightItem } from "../../provider.ts";
import { isoUtc } from "../../timezone.ts";

/**
 * Google Health API data points → platform items (google-health.md §3.5). Times are the
 * physical UTC instants Google sends (§3.6); int64 values arrive as strings, durations as
 * `"123s"`, weights in grams and distances in millimetres. A point that cannot be mapped
 * is skipped (undefined), never the whole branch.
 */

type Raw = Record<string, unknown>;

/** An int64 (JSON string) or a number → a finite number ≥ 0, else undefined. */
export function count(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== ""
    ? Number(value)
    : typeof value === "number"
    ? value
    : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** A Duration (`"1830s"`, `"3065.400s"`, `"-10800s"`) → ms, else undefined. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value !== "string" || !/^-?\d+(\.\d+)?s$/.test(value)) return undefined;
  return Math.round(Number(value.slice(0, -1)) * 1000);
}

function instant(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}

/** The id of a data point: the last segment of its `name` (or `dataPointName`). */
export function pointId(point: Raw): string | undefined {
  const name = typeof point.name === "string" && point.name !== ""
    ? point.name
    : typeof point.dataPointName === "string"
    ? point.dataPointName
    : undefined;
  const id = name?.split("/").pop();
  return id === undefined || id === "" ? undefined : id;
}

/** The data points of a list answer. */
export function pointsOf(body: unknown): Raw[] {
  const list = isRecord(body) ? body.dataPoints : undefined;
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

function interval(value: unknown): { start: number; end: number; offsetMs?: number } | undefined {
  if (!isRecord(value)) return undefined;
  const start = instant(value.startTime), end = instant(value.endTime);
  if (start === undefined || end === undefined || end < start) return undefined;
  return { start, end, offsetMs: durationMs(value.startUtcOffset) };
}

/** `WALKING` → `Walking`, `HIGH_INTENSITY_INTERVAL_TRAINING` → `High intensity interval training`. */
function titleCase(value: string): string {
  const words = value.toLowerCase().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * An `exercise` point → physical activity. Duration is end − start (tracking requires
 * it; `activeDuration` would not match); calories are rounded (required, 0 when absent);
 * distance in metres only when positive. Levels and heart-rate zones need further calls
 * per session and are not sent (both are optional on the platform).
 */
export function mapExercise(point: Raw, childId: string): SourceItem<ActivityItem> | undefined {
  const externalId = pointId(point);
  const exercise = point.exercise;
  if (externalId === undefined || !isRecord(exercise)) return undefined;
  const span = interval(exercise.interval);
  if (span === undefined) return undefined;
  const metrics = isRecord(exercise.metricsSummary) ? exercise.metricsSummary : {};
  const type = typeof exercise.exerciseType === "string" ? exercise.exerciseType : undefined;
  const name = typeof exercise.displayName === "string" && exercise.displayName.trim() !== ""
    ? exercise.displayName.trim()
    : type && type !== "EXERCISE_TYPE_UNSPECIFIED"
    ? titleCase(type)
    : "Activity";
  const item: ActivityItem = {
    child_id: childId,
    name,
    start_time: isoUtc(span.start),
    end_time: isoUtc(span.end),
    duration: span.end - span.start,
    calories: Math.round(count(metrics.caloriesKcal) ?? 0),
  };
  const steps = count(metrics.steps);
  if (steps !== undefined) item.steps = Math.round(steps);
  const distance = count(metrics.distanceMillimeters);
  if (distance) item.distance = Math.round(distance) / 1000;
  return { externalId, item, utcOffsetMs: span.offsetMs };
}

const STAGE_NAMES: Record<string, string> = {
  AWAKE: "awake",
  LIGHT: "light",
  DEEP: "deep",
  REM: "rem",
  ASLEEP: "asleep",
  RESTLESS: "restless",
};

/**
 * A `sleep` point → sleep. Sleeps still being processed (`metadata.processed` false) are
 * skipped: the platform takes one sleep per start instant, so only the finished one is
 * stored. Without a `type`, stages LIGHT/DEEP/REM make it `stages`, else `classic`;
 * stages whose name the type does not allow are left out.
 */
export function mapSleep(point: Raw, childId: string): SourceItem<SleepItem> | undefined {
  const externalId = pointId(point);
  const sleep = point.sleep;
  if (externalId === undefined || !isRecord(sleep)) return undefined;
  if (isRecord(sleep.metadata) && sleep.metadata.processed === false) return undefined;
  const span = interval(sleep.interval);
  if (span === undefined) return undefined;
  const stages = (Array.isArray(sleep.stages) ? sleep.stages.filter(isRecord) : [])
    .map((stage) => ({
      span: interval(stage),
      name: typeof stage.type === "string" ? STAGE_NAMES[stage.type] : undefined,
    }))
    .filter((s): s is { span: NonNullable<typeof s.span>; name: string } =>
      s.span !== undefined && s.name !== undefined
    )
    .sort((a, b) => a.span.start - b.span.start);
  const type = sleep.type === "CLASSIC"
    ? "classic"
    : sleep.type === "STAGES" || stages.some((s) => ["light", "deep", "rem"].includes(s.name))
    ? "stages"
    : "classic";
  const dataSet = stages.filter((s) => PATTERN_NAMES[type].includes(s.name)).map((s) => ({
    start_time: isoUtc(s.span.start),
    name: s.name,
    duration: s.span.end - s.span.start,
  }));
  if (dataSet.length === 0) return undefined;
  return {
    externalId,
    item: {
      child_id: childId,
      start_time: isoUtc(span.start),
      end_time: isoUtc(span.end),
      duration: span.end - span.start,
      type,
      pattern: { data_set: dataSet },
    },
    utcOffsetMs: span.offsetMs,
  };
}

function sampleInstant(sample: unknown): number | undefined {
  return isRecord(sample)
    ? instant((sample.sampleTime as Raw | undefined)?.physicalTime)
    : undefined;
}

/**
 * `weight` points (grams) → weights in kg (rounded to 0.01), each with the `body-fat`
 * percentage sampled at the same instant. Body fats without a weight at their instant are
 * not sent: the platform's ingest takes body fat with a weight (as Fitbit's did).
 */
export function mapWeights(
  weights: Raw[],
  bodyFats: Raw[],
  childId: string,
): SourceItem<WeightItem>[] {
  const fatAt = new Map<number, number>();
  for (const point of bodyFats) {
    const fat = point.bodyFat;
    const at = sampleInstant(fat);
    const percentage = isRecord(fat) ? count(fat.percentage) : undefined;
    if (at !== undefined && percentage !== undefined && percentage <= 100) {
      fatAt.set(at, percentage);
    }
  }
  const items: SourceItem<WeightItem>[] = [];
  for (const point of weights) {
    const externalId = pointId(point);
    const weight = point.weight;
    const at = sampleInstant(weight);
    const grams = isRecord(weight) ? count(weight.weightGrams) : undefined;
    if (externalId === undefined || at === undefined || !grams) continue;
    const item: WeightItem = {
      child_id: childId,
      timestamp: isoUtc(at),
      value: Math.round(grams / 10) / 100,
      unit: "kg",
    };
    const fat = fatAt.get(at);
    if (fat !== undefined) item.body_fat = fat;
    items.push({ externalId, item });
  }
  return items;
}

/** The rollup types read for the daily logs, with their largest range per call (§3.4). */
export const ROLLUPS = {
  steps: { maxDays: 90 },
  "total-calories": { maxDays: 14 },
  "active-minutes": { maxDays: 14 },
  "sedentary-period": { maxDays: 90 },
} as const;

/** A rollup data type read for the daily logs. */
export type RollupType = keyof typeof ROLLUPS;

/** The civil date (`YYYY-MM-DD`) a rollup item starts on. */
function civilDate(value: unknown): string | undefined {
  const date = isRecord(value) && isRecord(value.date) ? value.date : undefined;
  const { year, month, day } = (date ?? {}) as Record<string, unknown>;
  if (![year, month, day].every((n) => typeof n === "number" && Number.isInteger(n))) {
    return undefined;
  }
  const pad = (n: unknown, width: number) => String(n).padStart(width, "0");
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/**
 * The daily values of one rollup answer, by civil date: days without the value member
 * (no data that day) are skipped, so "no data" stays distinct from a worn day with zero.
 */
export function rollupValues(type: RollupType, body: unknown): Map<string, LogItem[]> {
  const days = new Map<string, LogItem[]>();
  const list = isRecord(body) && Array.isArray(body.rollupDataPoints) ? body.rollupDataPoints : [];
  for (const point of list.filter(isRecord)) {
    const date = civilDate(point.civilStartTime);
    if (date === undefined) continue;
    const logs = dailyLogs(type, point, date);
    if (logs.length > 0) days.set(date, logs);
  }
  return days;
}

function dailyLogs(type: RollupType, point: Raw, date: string): LogItem[] {
  const log = (logType: LogItem["type"], value: number | undefined): LogItem[] =>
    value === undefined ? [] : [{ type: logType, date, value: Math.round(value) }];
  switch (type) {
    case "steps":
      return isRecord(point.steps) ? log("steps", count(point.steps.countSum)) : [];
    case "total-calories":
      return isRecord(point.totalCalories)
        ? log("calories", count(point.totalCalories.kcalSum))
        : [];
    case "sedentary-period": {
      const sum = isRecord(point.sedentaryPeriod)
        ? durationMs(point.sedentaryPeriod.durationSum)
        : undefined;
      return log("sedentary_minutes", sum === undefined || sum < 0 ? undefined : sum / 60_000);
    }
    case "active-minutes": {
      const levels = isRecord(point.activeMinutes) &&
          Array.isArray(point.activeMinutes.activeMinutesRollupByActivityLevel)
        ? point.activeMinutes.activeMinutesRollupByActivityLevel.filter(isRecord)
        : undefined;
      if (levels === undefined) return [];
      const minutes = (...names: string[]) =>
        levels.filter((l) => names.includes(String(l.activityLevel)))
          .reduce((sum, l) => sum + (count(l.activeMinutesSum) ?? 0), 0);
      return [
        ...log("lightly_active_minutes", minutes("LIGHT")),
        ...log("active_minutes", minutes("MODERATE", "VIGOROUS")),
      ];
    }
  }
}

/** The order logs are handed over in (as the legacy adapter did, fitbit.md §4.5). */
const LOG_ORDER: LogItem["type"][] = [
  "steps",
  "calories",
  "active_minutes",
  "lightly_active_minutes",
  "sedentary_minutes",
];

/** All logs of the rollup answers, by type then date. */
export function mapLogs(days: Map<string, LogItem[]>[]): LogItem[] {
  const all = days.flatMap((byDate) => [...byDate.values()].flat());
  return LOG_ORDER.flatMap((type) =>
    all.filter((l) => l.type === type).sort((a, b) => a.date.localeCompare(b.date))
  );
}
