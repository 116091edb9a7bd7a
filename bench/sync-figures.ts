/**
 * What the wearable sync benchmarks share, Fitbit and Google Health alike: their setup
 * (options, log, database, the wearables module, the children) and what they measure.
 */
import { sql } from "drizzle-orm";
import { newId } from "../src/core/ids.ts";
import type { Logger } from "../src/core/log.ts";
import {
  type Database,
  type DatabaseHandle,
  migrateDatabase,
  openDatabase,
} from "../src/db/client.ts";
import { users } from "../src/db/schema/index.ts";
import type { Env } from "../src/env.ts";
import { createTrackingIngest } from "../src/tracking/ingest.ts";
import { createProviders } from "../src/wearables/providers/registry.ts";
import { DataCipher, generateDataKey, importDataKey } from "../src/wearables/secrets.ts";
import { Wearables } from "../src/wearables/wearables.service.ts";

/** The command line's `--name=N` options, as numbers (NaN for a value that is not one). */
export function numericArgs(): Record<string, number> {
  return Object.fromEntries(
    Deno.args.map((arg) => arg.replace(/^--/, "").split("=")).map(([k, v]) => [k, Number(v)]),
  );
}

/**
 * A bench's log: the info lines `shown` picks, warnings but the expected failed syncs,
 * every error; JSON lines on the console.
 */
export function benchLog(shown: (msg: string) => boolean): Logger {
  return {
    debug() {},
    info(msg, fields) {
      if (shown(msg)) console.log(JSON.stringify({ msg, ...fields }));
    },
    warn(msg, fields) {
      if (msg !== "wearable sync failed") console.warn(JSON.stringify({ msg, ...fields }));
    },
    error(msg, fields) {
      console.error(JSON.stringify({ msg, ...fields }));
    },
  };
}

/**
 * The bench's database (migrated) and the wearables module over it, as the service wires
 * it: a fresh data key, tracking's real ingest, the providers `config` names.
 */
export async function benchWearables(
  config: Env,
  log: Logger,
): Promise<{ database: DatabaseHandle; db: Database; wearables: Wearables }> {
  const database = await openDatabase(config.DATABASE_URL);
  await migrateDatabase(database.db);
  const db = database.db;
  const wearables = new Wearables({
    db,
    config,
    cipher: new DataCipher(await importDataKey(generateDataKey())),
    ingest: createTrackingIngest(db, Date.now, log),
    log,
    now: Date.now,
    providers: createProviders(config, Date.now),
  });
  return { database, db, wearables };
}

/** Inserts `count` children (`bench-0`, `bench-1`, …), 500 rows a statement; their ids in order. */
export async function insertBenchChildren(db: Database, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 500) {
    const rows = Array.from({ length: Math.min(500, count - i) }, (_, j) => ({
      id: newId(),
      type: "child" as const,
      username: `bench-${i + j}`,
      passwordHash: "x",
      createdAt: Date.now(),
      fitbitStatus: "none",
    }));
    await db.insert(users).values(rows);
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

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
