/**
 * Google Health data points in the API's own shapes (google-health.md §6.4; values invented):
 * the contract's sample payloads, and small builders for seeding a user day by day.
 */
import type { DataPoint } from "./datatypes.ts";

/** Local wall time on a day at an offset → the UTC instant (RFC 3339). */
function utcOf(day: string, minuteOfDay: number, offsetSeconds: number): string {
  const ms = Date.parse(`${day}T00:00:00Z`) + minuteOfDay * 60_000 - offsetSeconds * 1000;
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** Options shared by the interval builders. */
export interface At {
  /** UTC offset of the user, in seconds (default -10800, as the contract's samples). */
  offset?: number;
  /** Local start, minutes after midnight (default 12:00). */
  minute?: number;
  /** Length in minutes (default 60). */
  minutes?: number;
}

/** A session/interval `interval` object at local time on a day. */
export function interval(day: string, at: At = {}) {
  const offset = at.offset ?? -10800;
  const start = at.minute ?? 720;
  return {
    startTime: utcOf(day, start, offset),
    startUtcOffset: `${offset}s`,
    endTime: utcOf(day, start + (at.minutes ?? 60), offset),
    endUtcOffset: `${offset}s`,
  };
}

/** A `steps` point. */
export function steps(day: string, count: number, at: At = {}): DataPoint {
  return { steps: { interval: interval(day, at), count: String(count) } };
}

/** A `distance` point (millimetres). */
export function distance(day: string, millimeters: number, at: At = {}): DataPoint {
  return { distance: { interval: interval(day, at), millimeters: String(millimeters) } };
}

/** An `active-minutes` point with minutes per level (LIGHT, MODERATE, VIGOROUS). */
export function activeMinutes(
  day: string,
  levels: Partial<Record<"LIGHT" | "MODERATE" | "VIGOROUS", number>>,
  at: At = {},
): DataPoint {
  return {
    activeMinutes: {
      interval: interval(day, at),
      activeMinutesByActivityLevel: Object.entries(levels).map(([activityLevel, n]) => ({
        activityLevel,
        activeMinutes: String(n),
      })),
    },
  };
}

/** A `sedentary-period` point (the interval is the value). */
export function sedentaryPeriod(day: string, at: At = {}): DataPoint {
  return { sedentaryPeriod: { interval: interval(day, at) } };
}

/** An `activity-level` point. */
export function activityLevel(
  day: string,
  level: "SEDENTARY" | "LIGHTLY_ACTIVE" | "MODERATELY_ACTIVE" | "VERY_ACTIVE",
  at: At = {},
): DataPoint {
  return { activityLevel: { interval: interval(day, at), activityLevelType: level } };
}

/** The contract's exercise sample (§6.4), with overrides of the `exercise` payload. */
export function exercise(overrides: Record<string, unknown> = {}, name?: string): DataPoint {
  return {
    ...(name && { name }),
    dataSource: {
      recordingMethod: "ACTIVELY_MEASURED",
      device: { formFactor: "FITNESS_BAND", manufacturer: "Fitbit", displayName: "Charge 6" },
      platform: "FITBIT",
    },
    exercise: {
      interval: {
        startTime: "2026-09-01T13:00:00Z",
        startUtcOffset: "-10800s",
        endTime: "2026-09-01T13:30:00Z",
        endUtcOffset: "-10800s",
        civilStartTime: { date: { year: 2026, month: 9, day: 1 }, time: { hours: 10 } },
        civilEndTime: { date: { year: 2026, month: 9, day: 1 }, time: { hours: 10, minutes: 30 } },
      },
      exerciseType: "WALKING",
      displayName: "Walking",
      activeDuration: "1740s",
      metricsSummary: {
        caloriesKcal: 160.4,
        distanceMillimeters: 2100000,
        steps: "2900",
        averageHeartRateBeatsPerMinute: "112",
        activeZoneMinutes: "14",
        heartRateZoneDurations: {
          lightTime: "600s",
          moderateTime: "900s",
          vigorousTime: "300s",
          peakTime: "0s",
        },
      },
      exerciseMetadata: { hasGps: false },
      createTime: "2026-09-01T13:31:02Z",
      updateTime: "2026-09-01T13:31:02Z",
      ...overrides,
    },
  };
}

/** An exercise on a day at local time (derived from the sample). */
export function exerciseOn(day: string, at: At = {}, overrides: Record<string, unknown> = {}) {
  return exercise({ interval: interval(day, { minute: 600, minutes: 30, ...at }), ...overrides });
}

/** The contract's stages sleep sample (§6.4), with overrides of the `sleep` payload. */
export function sleep(overrides: Record<string, unknown> = {}, name?: string): DataPoint {
  const stage = (start: string, end: string, type: string) => ({
    startTime: start,
    startUtcOffset: "-10800s",
    endTime: end,
    endUtcOffset: "-10800s",
    type,
  });
  return {
    ...(name && { name }),
    sleep: {
      interval: {
        startTime: "2026-09-01T02:00:00Z",
        startUtcOffset: "-10800s",
        endTime: "2026-09-01T09:30:00Z",
        endUtcOffset: "-10800s",
      },
      type: "STAGES",
      stages: [
        stage("2026-09-01T02:00:00Z", "2026-09-01T02:10:00Z", "AWAKE"),
        stage("2026-09-01T02:10:00Z", "2026-09-01T09:30:00Z", "LIGHT"),
      ],
      metadata: { stagesStatus: "SUCCEEDED", processed: true, nap: false, mainSleep: true },
      summary: {
        minutesInSleepPeriod: "450",
        minutesAsleep: "440",
        minutesAwake: "10",
        stagesSummary: [
          { type: "AWAKE", minutes: "10", count: "1" },
          { type: "LIGHT", minutes: "440", count: "1" },
        ],
      },
      ...overrides,
    },
  };
}

/** A one-stage (LIGHT) sleep ending on a day's morning, local 23:00 the day before → 07:00. */
export function sleepEnding(day: string, offset = -10800): DataPoint {
  const before = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const start = utcOf(before, 23 * 60, offset);
  const end = utcOf(day, 7 * 60, offset);
  const o = `${offset}s`;
  return sleep({
    interval: { startTime: start, startUtcOffset: o, endTime: end, endUtcOffset: o },
    stages: [{ startTime: start, startUtcOffset: o, endTime: end, endUtcOffset: o, type: "LIGHT" }],
  });
}

/** The contract's weight sample (38.2 kg on 2026-08-20). */
export function weight(grams = 38200, physicalTime = "2026-08-20T10:12:44Z", offset = -10800) {
  return { weight: { sampleTime: { physicalTime, utcOffset: `${offset}s` }, weightGrams: grams } };
}

/** The contract's body-fat sample (18.5 % at the weight's instant). */
export function bodyFat(percentage = 18.5, physicalTime = "2026-08-20T10:12:44Z", offset = -10800) {
  return { bodyFat: { sampleTime: { physicalTime, utcOffset: `${offset}s` }, percentage } };
}

/** The contract's daily heart-rate zones sample. */
export function dailyHeartRateZones(day = "2026-09-01"): DataPoint {
  const [year, month, date] = day.split("-").map(Number);
  const zone = (heartRateZoneType: string, min: number, max: number) => ({
    heartRateZoneType,
    minBeatsPerMinute: String(min),
    maxBeatsPerMinute: String(max),
  });
  return {
    dailyHeartRateZones: {
      date: { year, month, day: date },
      heartRateZones: [
        zone("LIGHT", 94, 113),
        zone("MODERATE", 113, 133),
        zone("VIGOROUS", 133, 160),
        zone("PEAK", 160, 220),
      ],
    },
  };
}
