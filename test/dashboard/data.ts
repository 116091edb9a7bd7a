/**
 * A child's tracking data as a wearable and a school's sensors would send it, made
 * deterministically from a day number (same input, same bodies), and stored through the
 * API as an application would (bulk POSTs in chunks under the body limit). Used by the
 * dashboard's tests (a few chosen days) and its bench (a whole year).
 */
import type { TestApp } from "../harness.ts";

const DAY_MS = 86_400_000;
const MINUTE = 60_000;

/** `YYYY-MM-DD` of day `n` before the day of `now` (0 = today), UTC. */
export function dayBefore(now: number, n: number): string {
  return new Date(now - n * DAY_MS).toISOString().slice(0, 10);
}

/** Steps of a day: varies by weekday and a little by the day number. */
export function stepsOn(n: number): number {
  return 6000 + ((n * 1373) % 5000) + (n % 7 === 0 ? 3000 : 0);
}

/** Active minutes of a day. */
export function activeMinutesOn(n: number): number {
  return 25 + ((n * 17) % 50);
}

/** A night of stages sleep ending on day `n` (22:00 the day before to about 07:00). */
export function stagesNight(now: number, n: number) {
  const start = Date.parse(`${dayBefore(now, n + 1)}T22:00:00Z`);
  const cycle = [
    ["light", 30],
    ["deep", 45 + (n % 3) * 5],
    ["light", 40],
    ["rem", 25 + (n % 4) * 5],
    ["awake", 5],
  ] as const;
  const dataSet: { start_time: string; name: string; duration: number }[] = [];
  let at = start;
  for (let round = 0; round < 4; round++) {
    for (const [name, minutes] of cycle) {
      dataSet.push({ start_time: new Date(at).toISOString(), name, duration: minutes * MINUTE });
      at += minutes * MINUTE;
    }
  }
  return {
    start_time: new Date(start).toISOString(),
    end_time: new Date(at).toISOString(),
    duration: at - start,
    type: "stages",
    pattern: { data_set: dataSet },
  };
}

/** A walk on day `n` (`slot` 0 morning, 1 afternoon). */
export function walk(now: number, n: number, slot = 0) {
  const start = Date.parse(`${dayBefore(now, n)}T${slot ? "16" : "08"}:30:00Z`);
  const duration = (20 + (n % 4) * 10) * MINUTE;
  return {
    name: slot ? "Football" : "Walk",
    start_time: new Date(start).toISOString(),
    end_time: new Date(start + duration).toISOString(),
    duration,
    calories: 80 + (n % 5) * 20,
    steps: 1500 + (n % 6) * 300,
    distance: 1100 + (n % 6) * 250,
  };
}

/** A weighing on day `n`, with the body fat the scale measured. */
export function weighing(now: number, n: number) {
  return {
    timestamp: `${dayBefore(now, n)}T07:15:00Z`,
    value: Number((32 - n * 0.01 + (n % 3) * 0.1).toFixed(2)),
    unit: "kg",
    body_fat: Number((18 + (n % 5) * 0.3).toFixed(1)),
  };
}

/** A classroom reading `hours` hours before `now`. */
export function classroomReading(now: number, hours: number) {
  const h = Math.floor(now / 3_600_000) - hours;
  // A school day: warmer, damper and dustier in the afternoon.
  const daily = Math.sin((2 * Math.PI * ((h % 24) - 9)) / 24);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    timestamp: new Date(h * 3_600_000).toISOString(),
    location: { local: "indoor", room: "Room 4A" },
    measurements: [
      { type: "temperature", value: round(20.5 + 2 * daily), unit: "°C" },
      { type: "humidity", value: round(48 + 6 * daily), unit: "%" },
      { type: "pm2.5", value: round(9 + 4 * daily + (h % 5) / 2), unit: "µg/m³" },
      { type: "pm10", value: round(16 + 6 * daily + (h % 7) / 2), unit: "µg/m³" },
    ],
  };
}

/** What to store for a child, each list as the day numbers (0 = today) it covers. */
export interface ChildDataPlan {
  stepDays: readonly number[];
  activeDays: readonly number[];
  sleepDays: readonly number[];
  walkDays: readonly number[];
  weighDays: readonly number[];
  /** Hours of classroom readings, back from now. */
  environmentHours: number;
}

async function post(t: TestApp, token: string, path: string, items: unknown[], chunk: number) {
  for (let i = 0; i < items.length; i += chunk) {
    const res = await t.request("POST", path, { token, body: items.slice(i, i + chunk) });
    const body = await res.json();
    if (res.status !== 207 || body.error.length > 0) {
      throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
    }
  }
}

/**
 * Stores a child's data (and its institution's readings) through the API, as the
 * application `token`. Chunks keep every body under the 100 KB limit.
 */
export async function storeChildData(
  t: TestApp,
  token: string,
  child: { id: string; institutionId: string },
  now: number,
  plan: ChildDataPlan,
): Promise<void> {
  const base = `/v1/children/${child.id}`;
  const log = (days: readonly number[], value: (n: number) => number) =>
    days.map((n) => ({ date: dayBefore(now, n), value: value(n) }));
  await post(t, token, `${base}/logs/steps`, log(plan.stepDays, stepsOn), 1000);
  await post(t, token, `${base}/logs/active_minutes`, log(plan.activeDays, activeMinutesOn), 1000);
  await post(t, token, `${base}/sleep`, plan.sleepDays.map((n) => stagesNight(now, n)), 25);
  const walks = plan.walkDays.flatMap((n) => [walk(now, n, 0), walk(now, n, 1)]);
  await post(t, token, `${base}/physicalactivities`, walks, 200);
  await post(t, token, `${base}/weights`, plan.weighDays.map((n) => weighing(now, n)), 500);
  const readings = Array.from(
    { length: plan.environmentHours },
    (_, h) => classroomReading(now, h),
  );
  await post(t, token, `/v1/institutions/${child.institutionId}/environments`, readings, 200);
}

/** Day numbers `0 … count-1`, or every `step`-th of them. */
export function dayRange(count: number, step = 1): number[] {
  return Array.from({ length: Math.ceil(count / step) }, (_, i) => i * step);
}
