/**
 * The Google Health data types the fake serves (google-health.md §3.2–§3.4, §6.3): path name,
 * payload key, record kind (which decides the filter members and the sort key), scope, list
 * page sizes and daily-rollup support; plus the civil-time helpers the filters and rollups share.
 */

/** One GHA data point as the API sends it: `{name?, dataSource?, <payloadKey>: {...}}`. */
export type DataPoint = Record<string, unknown>;

/** How a record is timed (google-health.md §3.2). */
export type RecordKind = "interval" | "sample" | "daily" | "session" | "sleep";

/** What the fake knows about one data type. */
export interface DataTypeInfo {
  /** Kebab-case name used in paths, e.g. `body-fat`. */
  type: string;
  /** camelCase payload key in a data point, e.g. `bodyFat`. */
  key: string;
  kind: RecordKind;
  /** Readonly scope suffix after `…/auth/googlehealth.`. */
  scope: string;
  /** Whether `dataPoints` list answers (`total-calories` does not). */
  list: boolean;
  /** Maximum days of one `dailyRollUp` call; absent when the type has no daily rollup. */
  rollupMaxDays?: number;
  /** List page size default and cap. */
  pageSize: { default: number; max: number };
  /** Whether its points carry a `name` (identifiable types). */
  identifiable: boolean;
}

/** The scope prefix of every GHA scope. */
export const SCOPE_PREFIX = "https://www.googleapis.com/auth/googlehealth.";
/** The scope of subscriber management (service accounts). */
export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

const ACTIVITY = "activity_and_fitness.readonly";
const METRICS = "health_metrics_and_measurements.readonly";
const SLEEP = "sleep.readonly";

const LONG = { default: 1440, max: 10_000 };
const SESSIONS = { default: 25, max: 25 };

function info(
  type: string,
  kind: RecordKind,
  scope: string,
  extra: Partial<DataTypeInfo> = {},
): DataTypeInfo {
  const key = type.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  return { type, key, kind, scope, list: true, pageSize: LONG, identifiable: false, ...extra };
}

/** Every data type the fake serves, by path name. */
export const DATA_TYPES: ReadonlyMap<string, DataTypeInfo> = new Map(
  [
    info("steps", "interval", ACTIVITY, { rollupMaxDays: 90 }),
    info("distance", "interval", ACTIVITY, { rollupMaxDays: 90 }),
    info("active-minutes", "interval", ACTIVITY, { rollupMaxDays: 14 }),
    info("sedentary-period", "interval", ACTIVITY, { rollupMaxDays: 90 }),
    info("activity-level", "interval", ACTIVITY),
    info("total-calories", "interval", ACTIVITY, { list: false, rollupMaxDays: 14 }),
    info("exercise", "session", ACTIVITY, { pageSize: SESSIONS, identifiable: true }),
    info("sleep", "sleep", SLEEP, { pageSize: SESSIONS, identifiable: true }),
    info("weight", "sample", METRICS, { rollupMaxDays: 90, identifiable: true }),
    info("body-fat", "sample", METRICS, { rollupMaxDays: 90, identifiable: true }),
    info("heart-rate", "sample", METRICS),
    info("daily-heart-rate-zones", "daily", METRICS),
  ].map((t) => [t.type, t]),
);

/** The data type whose payload key a point carries, if any. */
export function typeOfPoint(point: DataPoint): DataTypeInfo | undefined {
  for (const t of DATA_TYPES.values()) if (point[t.key] !== undefined) return t;
  return undefined;
}

/** Full scope URL for a short suffix such as `sleep.readonly` (full URLs pass through). */
export function fullScope(scope: string): string {
  return scope.includes("://") ? scope : `${SCOPE_PREFIX}${scope}`;
}

/** Every readonly GHA scope (any of them lets a token read the identity). */
export const READONLY_SCOPES = [
  ACTIVITY,
  METRICS,
  SLEEP,
  "profile.readonly",
  "settings.readonly",
  "ecg.readonly",
  "irn.readonly",
  "location.readonly",
  "nutrition.readonly",
  "logged_symptoms.readonly",
  "mindfulness.readonly",
  "reproductive_health.readonly",
].map(fullScope);

/** Scopes a seeded grant gets by default: the three the platform needs plus settings. */
export const DEFAULT_SCOPES = [ACTIVITY, SLEEP, METRICS, "settings.readonly"].map(fullScope);

// ---- civil time ---------------------------------------------------------------------------

/** `"-10800s"` → -10800 (seconds); absent → 0. */
export function durationSeconds(text: unknown): number {
  if (typeof text !== "string") return 0;
  const value = Number(text.replace(/s$/, ""));
  return Number.isFinite(value) ? value : 0;
}

type Civil = {
  date?: { year?: number; month?: number; day?: number };
  time?: { hours?: number; minutes?: number; seconds?: number; nanos?: number };
};

const pad = (n: number | undefined, width = 2) => String(n ?? 0).padStart(width, "0");

/** A `CivilDateTime` object as a sortable `YYYY-MM-DDTHH:MM:SS.mmm` string. */
export function civilText(civil: Civil): string {
  const d = civil.date ?? {};
  const t = civil.time ?? {};
  const ms = Math.floor((t.nanos ?? 0) / 1e6);
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}T${pad(t.hours)}:${pad(t.minutes)}:${
    pad(t.seconds)
  }.${pad(ms, 3)}`;
}

/** The local wall time of a UTC instant at a UTC offset, as a sortable civil string. */
export function civilOfInstant(instant: string, offset: unknown): string {
  const ms = Date.parse(instant) + durationSeconds(offset) * 1000;
  return new Date(ms).toISOString().slice(0, 23);
}

/** A filter literal (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[.fff]`) as a sortable civil string. */
export function civilOfLiteral(literal: string): string {
  const [date, time = "00:00:00"] = literal.split("T");
  const [hms, fraction = ""] = time.split(".");
  return `${date}T${hms}.${fraction.padEnd(3, "0").slice(0, 3)}`;
}

/** `{year, month, day}` for a `YYYY-MM-DD` string. */
export function dateObject(day: string): { year: number; month: number; day: number } {
  const [year, month, date] = day.split("-").map(Number);
  return { year, month, day: date };
}

/** `YYYY-MM-DD` plus `n` days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The UTC offset of an IANA zone at an instant, as a GHA duration (`"-10800s"`). */
export function zoneOffset(timeZone: string, at: number): string {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(new Date(at)).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return "0s";
  const seconds = (Number(match[2]) * 3600 + Number(match[3]) * 60) * (match[1] === "-" ? -1 : 1);
  return `${seconds}s`;
}

// ---- reading points -----------------------------------------------------------------------

type Interval = {
  startTime?: string;
  startUtcOffset?: string;
  endTime?: string;
  endUtcOffset?: string;
  civilStartTime?: Civil;
  civilEndTime?: Civil;
};
type SampleTime = { physicalTime?: string; utcOffset?: string; civilTime?: Civil };

/** The payload object of a point for its type. */
export function payloadOf(point: DataPoint, t: DataTypeInfo): Record<string, unknown> {
  return (point[t.key] ?? {}) as Record<string, unknown>;
}

/** The instant (epoch ms) or date text a list sorts by, newest first. */
export function sortKey(point: DataPoint, t: DataTypeInfo): string {
  const p = payloadOf(point, t);
  if (t.kind === "daily") return civilText({ date: p.date as Civil["date"] });
  if (t.kind === "sample") {
    return new Date(Date.parse((p.sampleTime as SampleTime)?.physicalTime ?? "")).toISOString();
  }
  return new Date(Date.parse((p.interval as Interval)?.startTime ?? "")).toISOString();
}

/** A filter member's value on a point: epoch ms (physical) or a civil string. */
export function memberValue(
  point: DataPoint,
  t: DataTypeInfo,
  member:
    | "start_time"
    | "end_time"
    | "civil_start_time"
    | "civil_end_time"
    | "physical_time"
    | "civil_time"
    | "date",
): number | string | undefined {
  const p = payloadOf(point, t);
  const interval = (p.interval ?? {}) as Interval;
  const sample = (p.sampleTime ?? {}) as SampleTime;
  switch (member) {
    case "start_time":
      return interval.startTime ? Date.parse(interval.startTime) : undefined;
    case "end_time":
      return interval.endTime ? Date.parse(interval.endTime) : undefined;
    case "physical_time":
      return sample.physicalTime ? Date.parse(sample.physicalTime) : undefined;
    case "civil_start_time":
      return interval.civilStartTime
        ? civilText(interval.civilStartTime)
        : interval.startTime && civilOfInstant(interval.startTime, interval.startUtcOffset);
    case "civil_end_time":
      return interval.civilEndTime
        ? civilText(interval.civilEndTime)
        : interval.endTime && civilOfInstant(interval.endTime, interval.endUtcOffset);
    case "civil_time":
      return sample.civilTime
        ? civilText(sample.civilTime)
        : sample.physicalTime && civilOfInstant(sample.physicalTime, sample.utcOffset);
    case "date":
      return p.date ? civilText({ date: p.date as Civil["date"] }) : undefined;
  }
}

/** The civil day (`YYYY-MM-DD`) a point counts toward in a daily rollup. */
export function civilDay(point: DataPoint, t: DataTypeInfo): string | undefined {
  const member = t.kind === "sample"
    ? "civil_time"
    : t.kind === "daily"
    ? "date"
    : "civil_start_time";
  const value = memberValue(point, t, member);
  return typeof value === "string" ? value.slice(0, 10) : undefined;
}

/** Seconds between an interval's start and end. */
export function intervalSeconds(point: DataPoint, t: DataTypeInfo): number {
  const interval = (payloadOf(point, t).interval ?? {}) as Interval;
  return (Date.parse(interval.endTime ?? "") - Date.parse(interval.startTime ?? "")) / 1000 || 0;
}
