/** What the wearable sync benchmarks measure, shared by the Fitbit and Google Health rounds. */
import { sql } from "drizzle-orm";
import type { Database } from "../src/db/client.ts";
import type { Wearables } from "../src/wearables/wearables.service.ts";

/** Rows in the tracking tables (what the syncs stored). */
export async function trackingRows(db: Database): Promise<Record<string, number>> {
  const count = async (table: string) =>
    (await db.all<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`)))[0].n;
  return {
    activities: await count("physical_activities"),
    sleep: await count("sleep"),
    weights: await count("measurements WHERE kind = 'weight'"),
    body_fats: await count("measurements WHERE kind = 'body_fat'"),
    logs: await count("daily_logs"),
  };
}

/**
 * The event loop's longest stall (ms): storage runs on the same thread as HTTP, so a long
 * run of synchronous SQLite work delays every request and provider call of the process.
 */
export function stallMonitor() {
  const stall = { max: 0, last: performance.now() };
  const timer = setInterval(() => {
    const now = performance.now();
    stall.max = Math.max(stall.max, now - stall.last - 50);
    stall.last = now;
  }, 50);
  return {
    get max() {
      return stall.max;
    },
    reset: () => void (stall.max = 0),
    stop: () => clearInterval(timer),
  };
}

/** One scheduler round's figures. */
export interface RoundFigures {
  round: string;
  children: number;
  failed: number;
  seconds: number;
  children_per_second: number;
  calls: number;
  calls_per_child: number;
  max_stall_ms: number;
}

/** Runs one scheduler round; `calls` counts the provider calls made so far. */
export async function schedulerRound(
  wearables: Wearables,
  name: string,
  calls: () => number,
  stall: ReturnType<typeof stallMonitor>,
): Promise<RoundFigures> {
  const before = calls();
  stall.reset();
  const started = performance.now();
  const report = await wearables.scheduler.runRound();
  const seconds = (performance.now() - started) / 1000;
  const made = calls() - before;
  return {
    round: name,
    children: report.done,
    failed: report.failed,
    seconds: Number(seconds.toFixed(2)),
    children_per_second: Number((report.done / seconds).toFixed(1)),
    calls: made,
    calls_per_child: Number((made / Math.max(report.done, 1)).toFixed(1)),
    max_stall_ms: Math.round(stall.max),
  };
}
