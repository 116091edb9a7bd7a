/**
 * Google Health sync benchmark: N children (default 1,000) synced by the background
 * scheduler against the fake Google Health API with 50 ms per call, bounded only by
 * Google's 300 requests per minute per user (the fake enforces it), storing through
 * tracking's real ingest into the bench's own database. Reports children per second and
 * calls per child for a first sync (12 months of daily rollups) and a second one (the
 * last week), and checks that no user ever exceeded 300 calls in a sliding minute.
 *
 * Alone: `deno run -A bench/google-health-sync.ts [--children=N] [--latency=MS]
 * [--concurrency=N]`. From a bench suite: `await googleHealthSyncBench({ children })`.
 */
import { wearableConnections } from "../src/db/schema/index.ts";
import { loadEnv } from "../src/env.ts";
import { bodyFat, exerciseOn, sleepEnding, weight } from "../test/fake-google-health/samples.ts";
import { googleHealthEnv, startFakeGoogleHealth } from "../test/fake-google-health/setup.ts";
import {
  benchLog,
  benchWearables,
  insertBenchChildren,
  numericArgs,
  type RoundFigures,
  schedulerRound,
  stallMonitor,
  trackingRows,
} from "./sync-figures.ts";

export type { RoundFigures };

/** What to run. */
export interface GoogleHealthBenchOptions {
  /** Children to sync (default 1,000). */
  children?: number;
  /** Latency the fake adds to every call, ms (default 50). */
  latencyMs?: number;
  /** Children the scheduler syncs at once (default 50). */
  concurrency?: number;
  /** Print the scheduler's progress lines (default false). */
  verbose?: boolean;
}

/** What the benchmark measured. */
export interface GoogleHealthBenchResult {
  first: RoundFigures;
  second: RoundFigures;
  rows_stored_first_sync: Record<string, number>;
  new_rows_second_sync: Record<string, number>;
  /** The most calls any user sent within a sliding minute (Google allows 300). */
  peak_calls_per_user_minute: number;
  google_429_answers: number;
  /** Everything stored, limits never exceeded, the second sync stored nothing new. */
  ok: boolean;
}

/** Runs the benchmark on its own temporary database and fake; prints nothing unless verbose. */
export async function googleHealthSyncBench(
  options: GoogleHealthBenchOptions = {},
): Promise<GoogleHealthBenchResult> {
  const children = options.children ?? 1000;
  const concurrency = options.concurrency ?? 50;
  const log = benchLog((msg) => options.verbose === true && msg.startsWith("wearable sync round"));
  const stall = stallMonitor();
  const dir = await Deno.makeTempDir({ prefix: "ocariot-bench-gh-" });
  const fake = await startFakeGoogleHealth({
    config: { latencyMs: options.latencyMs ?? 50, callLog: "summary" },
  });
  try {
    const config = loadEnv({
      ...googleHealthEnv(fake),
      DATA_DIR: dir,
      WEARABLE_PROVIDER: "google_health",
      FITBIT_SYNC_INTERVAL: "3600",
      FITBIT_SYNC_CONCURRENCY: String(concurrency),
      LOG_LEVEL: "silent",
    });
    const { database, db, wearables } = await benchWearables(config, log);

    // Children, Google users with a year of daily values and a few sessions, and stored
    // tokens (through FB2's own path: tokeninfo and identity).
    const day = (back: number) =>
      new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
    const ids = await insertBenchChildren(db, children);
    const queue = [...ids];
    await Promise.all(Array.from({ length: concurrency }, async () => {
      for (let id = queue.pop(); id; id = queue.pop()) {
        const at = `${day(1)}T09:00:00Z`;
        const user = fake.addUser({
          timeZone: "Europe/Madrid",
          data: {
            generated: true,
            dataPoints: [
              exerciseOn(day(1), { offset: 7200 }),
              exerciseOn(day(2), { offset: 7200 }),
              sleepEnding(day(1), 7200),
              sleepEnding(day(3), 7200),
              weight(38_200, at, 7200),
              bodyFat(18.5, at, 7200),
            ],
          },
        });
        const grant = fake.grant({ healthUserId: user.healthUserId });
        await wearables.connectSubmitted(id, {
          access_token: grant.access_token,
          refresh_token: grant.refresh_token!,
        });
      }
    }));
    fake.log = [];
    fake.quota.reset();

    const round = (name: string) => schedulerRound(wearables, name, () => fake.log.length, stall);

    const first = await round("first sync (12 months of daily rollups)");
    const firstRows = await trackingRows(db);
    await db.update(wearableConnections).set({ nextSyncAt: 0 });
    const second = await round("second sync (the last week)");
    const afterSecond = await trackingRows(db);
    const newRows = Object.fromEntries(
      Object.entries(afterSecond).map(([k, v]) => [k, k === "logs" ? 0 : v - firstRows[k]]),
    );
    const peak = fake.quota.peakPerUserMinute();
    const limited = fake.log.filter((c) => c.status === 429).length;
    const ok = peak <= 300 && limited === 0 && first.failed === 0 && second.failed === 0 &&
      first.children === children && second.children === children &&
      Object.values(newRows).every((n) => n === 0) &&
      firstRows.activities === 2 * children && firstRows.sleep === 2 * children &&
      firstRows.weights === children && firstRows.body_fats === children &&
      firstRows.logs >= 5 * 365 * children;
    database.close();
    return {
      first,
      second,
      rows_stored_first_sync: firstRows,
      new_rows_second_sync: newRows,
      peak_calls_per_user_minute: peak,
      google_429_answers: limited,
      ok,
    };
  } finally {
    stall.stop();
    await fake.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const args = numericArgs();
  const started = performance.now();
  const result = await googleHealthSyncBench({
    children: args.children || undefined,
    latencyMs: args.latency,
    concurrency: args.concurrency || undefined,
    verbose: true,
  });
  console.log("\nresults");
  console.table([result.first, result.second]);
  console.log({
    rows_stored_first_sync: result.rows_stored_first_sync,
    new_rows_second_sync: result.new_rows_second_sync,
    peak_calls_per_user_minute: result.peak_calls_per_user_minute,
    google_429_answers: result.google_429_answers,
    wall_seconds_total: Number(((performance.now() - started) / 1000).toFixed(1)),
  });
  console.log(
    result.ok
      ? "OK: everything stored; 300/min/user never exceeded; second sync stored nothing new"
      : "FAILED",
  );
  if (!result.ok) Deno.exitCode = 1;
}
