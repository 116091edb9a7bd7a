import { LOG_RESOURCES } from "../access/params.ts";
import { newId } from "../core/ids.ts";
import type { Database } from "../db/client.ts";
import { measurements, physicalActivities, sleep } from "../db/schema/index.ts";
import { upsertLogs } from "../tracking/logs/logs.store.ts";
import { activityBody } from "../tracking/testing.ts";

const DAY_MS = 86_400_000;
const INSERT_CHUNK = 200;

/** How much a seeded child holds. */
export interface LargeChildSize {
  /** Years of daily logs (every resource, every day), nightly sleep and weekly weights. */
  years: number;
  /** Physical activities (levels and heart rate on each). */
  activities: number;
}

/** What was stored, per table. */
export interface SeededCounts {
  activities: number;
  sleep: number;
  weights: number;
  bodyFats: number;
  logs: number;
}

async function insertChunked<T>(rows: T[], insert: (rows: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await insert(rows.slice(i, i + INSERT_CHUNK));
}

/**
 * Stores years of a child's data straight into the tables (as the API would have stored
 * it), for the export's volume test and bench: daily logs of every resource for every
 * day, a sleep record each night, a weight with its body fat each week, and activities.
 */
export async function seedLargeChild(
  db: Database,
  childId: string,
  size: LargeChildSize,
  now = Date.now(),
): Promise<SeededCounts> {
  const days = Math.round(size.years * 365.25);
  const first = Math.floor(now / DAY_MS) * DAY_MS - days * DAY_MS;
  const dayAt = (i: number) => first + i * DAY_MS;

  const logs = LOG_RESOURCES.flatMap((type, r) =>
    Array.from({ length: days }, (_, i) => ({
      type,
      child_id: childId,
      date: new Date(dayAt(i)).toISOString().slice(0, 10),
      value: (i * 7 + r * 13) % 5000,
    }))
  );
  for (let i = 0; i < logs.length; i += 5_000) await upsertLogs(db, logs.slice(i, i + 5_000), now);

  // Levels and heart-rate zones as the tracking tests send them.
  const { levels, heart_rate: heartRate } = activityBody();
  const activities = Array.from({ length: size.activities }, (_, i) => {
    const start = first + Math.floor((i * days * DAY_MS) / Math.max(size.activities, 1));
    return {
      id: newId(now),
      childId,
      startTime: start,
      endTime: start + 1_800_000,
      duration: 1_800_000,
      name: i % 2 === 0 ? "Walk" : "Run",
      calories: 100 + (i % 50),
      steps: 2000 + i,
      distance: 1500.5,
      levels,
      heartRate: { ...heartRate, average: 100 + (i % 40) },
      createdAt: now - size.activities + i,
    };
  });
  await insertChunked(activities, (rows) => db.insert(physicalActivities).values(rows));

  const nights = Array.from({ length: days }, (_, i) => {
    const start = dayAt(i) + 22 * 3_600_000;
    const stages = Array.from({ length: 8 }, (_, s) => ({
      start_time: start + s * 3_600_000,
      name: ["deep", "light", "rem", "awake"][s % 4],
      duration: 3_600_000,
    }));
    return {
      id: newId(now),
      childId,
      startTime: start,
      endTime: start + 8 * 3_600_000,
      duration: 8 * 3_600_000,
      type: "stages" as const,
      dataSet: stages,
      createdAt: start + 9 * 3_600_000,
    };
  });
  await insertChunked(nights, (rows) => db.insert(sleep).values(rows));

  const weeks = Math.floor(days / 7);
  const measured = Array.from({ length: weeks }, (_, w) => {
    const at = dayAt(w * 7) + 8 * 3_600_000;
    const bodyFatId = newId(now);
    return [
      {
        id: bodyFatId,
        childId,
        kind: "body_fat" as const,
        timestamp: at,
        value: 20 + (w % 10) / 10,
        unit: "%",
        bodyFatId: null,
        createdAt: at,
      },
      {
        id: newId(now),
        childId,
        kind: "weight" as const,
        timestamp: at,
        value: 30 + w / 100,
        unit: "kg",
        bodyFatId,
        createdAt: at,
      },
    ];
  }).flat();
  await insertChunked(measured, (rows) => db.insert(measurements).values(rows));

  return {
    activities: activities.length,
    sleep: nights.length,
    weights: weeks,
    bodyFats: weeks,
    logs: logs.length,
  };
}
