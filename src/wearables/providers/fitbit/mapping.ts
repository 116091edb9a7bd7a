import type { LogItem } from "../../../tracking/ingest.ts";
import { PATTERN_NAMES } from "../../../tracking/sleep/sleep.schemas.ts";
import { isRecord } from "../../../core/validation/rules.ts";
import type {
  ActivityItem,
  HeartRateZone,
  SleepItem,
  SourceItem,
  WeightItem,
} from "../../provider.ts";
import { isoUtc, toInstant, writtenOffset, type Zone } from "../../timezone.ts";

/**
 * Fitbit Web API records → platform items (fitbit.md §4.3), with real instants: local
 * wall-clock times are read in the child's zone (the original relabelled them as UTC; we
 * don't). A record that cannot be mapped is skipped (undefined), never the whole branch.
 */

type Raw = Record<string, unknown>;

const nonNegative = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;

const positiveInt = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : undefined;

const MINUTE = 60_000;

function logIdOf(raw: Raw): string | undefined {
  const id = raw.logId;
  if (typeof id === "number" && Number.isFinite(id)) return String(id);
  if (typeof id === "string" && id !== "") return id;
  return undefined;
}

/** The items of a response field, or [] when the field is missing (fitbit.md §3.3). */
export function recordsOf(body: unknown, field: string): Raw[] {
  const list = isRecord(body) ? body[field] : undefined;
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

const LEVEL_NAMES = ["sedentary", "lightly", "fairly", "very"] as const;

const ZONES = [
  ["out_of_range_zone", "Out of Range"],
  ["fat_burn_zone", "Fat Burn"],
  ["cardio_zone", "Cardio"],
  ["peak_zone", "Peak"],
] as const;

/** Metres per distance unit; any other unit counts as miles, as the original did. */
function metres(distance: number, unit: unknown): number {
  const factor = unit === "Kilometer" ? 1000 : unit === "Meter" ? 1 : 1609.344;
  return Math.round(distance * factor * 1000) / 1000;
}

/** A Fitbit activity log → physical activity. */
export function mapActivity(
  raw: Raw,
  childId: string,
  zone: Zone,
): SourceItem<ActivityItem> | undefined {
  const externalId = logIdOf(raw);
  const startText = typeof raw.startTime === "string" ? raw.startTime : undefined;
  const start = startText === undefined ? undefined : toInstant(startText, zone);
  const duration = nonNegative(raw.duration);
  if (externalId === undefined || start === undefined || duration === undefined) return undefined;
  const ms = Math.round(duration);
  const item: ActivityItem = {
    child_id: childId,
    name: typeof raw.activityName === "string" && raw.activityName.trim() !== ""
      ? raw.activityName.trim()
      : "Activity",
    start_time: isoUtc(start),
    end_time: isoUtc(start + ms),
    duration: ms,
    calories: nonNegative(raw.calories) ?? 0,
  };
  const steps = nonNegative(raw.steps);
  if (steps !== undefined) item.steps = Math.round(steps);
  const distance = nonNegative(raw.distance);
  if (distance) item.distance = metres(distance, raw.distanceUnit);
  const levels = mapLevels(raw.activityLevel);
  if (levels) item.levels = levels;
  const heartRate = mapHeartRate(raw.averageHeartRate, raw.heartRateZones);
  if (heartRate) item.heart_rate = heartRate;
  return { externalId, item, utcOffsetMs: writtenOffset(startText!) };
}

/** The four activity levels, each exactly once; otherwise none (levels are optional). */
function mapLevels(value: unknown): ActivityItem["levels"] {
  if (!Array.isArray(value)) return undefined;
  const levels = LEVEL_NAMES.map((name) => {
    const found = value.filter((level) => isRecord(level) && level.name === name);
    const minutes = found.length === 1 ? nonNegative(found[0].minutes) : undefined;
    return minutes === undefined ? undefined : { name, duration: Math.round(minutes * MINUTE) };
  });
  return levels.every((level) => level !== undefined) ? levels : undefined;
}

/** Heart rate only with an average and all four named zones (fitbit.md §4.3). */
function mapHeartRate(average: unknown, zones: unknown): ActivityItem["heart_rate"] {
  const avg = positiveInt(average);
  if (avg === undefined || !Array.isArray(zones)) return undefined;
  const mapped: Partial<Record<(typeof ZONES)[number][0], HeartRateZone>> = {};
  for (const [key, name] of ZONES) {
    const zone = zones.find((z) => isRecord(z) && z.name === name);
    const min = positiveInt(zone?.min), max = positiveInt(zone?.max);
    const minutes = nonNegative(zone?.minutes);
    if (min === undefined || max === undefined || minutes === undefined) return undefined;
    mapped[key] = { min, max, duration: Math.round(minutes * MINUTE) };
  }
  return { average: avg, ...mapped } as ActivityItem["heart_rate"];
}

/** A Fitbit sleep log (v1.2) → sleep. `wake` becomes `awake`; `shortData` is ignored. */
export function mapSleep(raw: Raw, childId: string, zone: Zone): SourceItem<SleepItem> | undefined {
  const externalId = logIdOf(raw);
  const start = typeof raw.startTime === "string" ? toInstant(raw.startTime, zone) : undefined;
  const duration = nonNegative(raw.duration);
  if (externalId === undefined || start === undefined || duration === undefined) return undefined;
  const type = raw.type === "classic" ? "classic" : "stages";
  const data = isRecord(raw.levels) && Array.isArray(raw.levels.data) ? raw.levels.data : [];
  const dataSet: SleepItem["pattern"]["data_set"] = [];
  for (const entry of data) {
    if (!isRecord(entry) || typeof entry.dateTime !== "string") continue;
    const at = toInstant(entry.dateTime, zone);
    const seconds = nonNegative(entry.seconds);
    const name = entry.level === "wake" ? "awake" : entry.level;
    if (at === undefined || seconds === undefined || typeof name !== "string") continue;
    if (!PATTERN_NAMES[type].includes(name)) continue;
    dataSet.push({ start_time: isoUtc(at), name, duration: Math.round(seconds * 1000) });
  }
  if (dataSet.length === 0) return undefined;
  const ms = Math.round(duration);
  return {
    externalId,
    item: {
      child_id: childId,
      start_time: isoUtc(start),
      end_time: isoUtc(start + ms),
      duration: ms,
      type,
      pattern: { data_set: dataSet },
    },
  };
}

/** A Fitbit weight log → weight in kg, with the entry's body fat when it has one. */
export function mapWeight(
  raw: Raw,
  childId: string,
  zone: Zone,
): SourceItem<WeightItem> | undefined {
  const externalId = logIdOf(raw);
  const time = typeof raw.time === "string" ? raw.time : "00:00:00";
  const at = typeof raw.date === "string" ? toInstant(`${raw.date}T${time}`, zone) : undefined;
  const value = nonNegative(raw.weight);
  if (externalId === undefined || at === undefined || value === undefined) return undefined;
  const item: WeightItem = { child_id: childId, timestamp: isoUtc(at), value, unit: "kg" };
  const fat = nonNegative(raw.fat);
  if (fat !== undefined) item.body_fat = fat;
  return { externalId, item };
}

/** The tracker series a sync reads, in the order their logs are sent (fitbit.md §4.5). */
export const TRACKER_RESOURCES = [
  "steps",
  "calories",
  "minutesFairlyActive",
  "minutesVeryActive",
  "minutesLightlyActive",
  "minutesSedentary",
] as const;

/** A tracker resource name. */
export type TrackerResource = (typeof TRACKER_RESOURCES)[number];

/** Daily values of one series by date; non-numeric values are dropped. */
export function seriesOf(body: unknown, resource: TrackerResource): Map<string, number> {
  const values = new Map<string, number>();
  for (const entry of recordsOf(body, `activities-tracker-${resource}`)) {
    const value = Number(entry.value);
    if (typeof entry.dateTime === "string" && entry.value !== "" && Number.isFinite(value)) {
      values.set(entry.dateTime, value);
    }
  }
  return values;
}

/**
 * The daily logs from the six series: steps, calories, active minutes (fairly + very, on
 * days both have), lightly active and sedentary minutes.
 */
export function mapLogs(series: Record<TrackerResource, Map<string, number>>): LogItem[] {
  const logs: LogItem[] = [];
  const add = (type: LogItem["type"], values: Map<string, number>) => {
    for (const [date, value] of values) logs.push({ type, date, value });
  };
  add("steps", series.steps);
  add("calories", series.calories);
  const active = new Map<string, number>();
  for (const [date, fairly] of series.minutesFairlyActive) {
    const very = series.minutesVeryActive.get(date);
    if (very !== undefined) active.set(date, fairly + very);
  }
  add("active_minutes", active);
  add("lightly_active_minutes", series.minutesLightlyActive);
  add("sedentary_minutes", series.minutesSedentary);
  return logs;
}
