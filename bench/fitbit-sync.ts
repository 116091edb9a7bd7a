/**
 * Sync benchmark: N children (default 1,000; `deno task bench -- --children=200`) synced
 * by the background scheduler against the fake Fitbit Web API with ~50 ms latency per
 * call, storing through tracking's real ingest into the bench's own database. Reports
 * children per second, Fitbit calls and rows stored, and checks that no child ever
 * exceeds Fitbit's 150 requests per hour (the fake's count and the platform's budget).
 *
 * Options: --children=N --latency=MS --concurrency=N --stress=N (children hammered with
 * back-to-back rounds in one hour to show the budget holding).
 */
import { sql } from "drizzle-orm";
import { wearableConnections } from "../src/db/schema/index.ts";
import { loadEnv } from "../src/env.ts";
import { activity, classicSleep, stagesSleep, weight } from "../test/fake-fitbit/samples.ts";
import { FakeFitbit } from "../test/fake-fitbit/server.ts";
import {
  benchLog,
  benchWearables,
  insertBenchChildren,
  numericArgs,
  schedulerRound,
  stallMonitor,
  trackingRows,
} from "./sync-figures.ts";

const args = numericArgs();
const CHILDREN = args.children || 1000;
const LATENCY_MS = args.latency ?? 50;
const CONCURRENCY = args.concurrency || 50;
const STRESS = args.stress ?? 20;

/** Prints only the scheduler's round and progress lines (and problems). */
const log = benchLog((msg) =>
  msg.startsWith("wearable sync round") || msg === "wearable sync progress"
);

const benchStarted = performance.now();

// The event loop's longest stall during a round: past the request timeout, a Fitbit call fails.
const stall = stallMonitor();
const dir = await Deno.makeTempDir({ prefix: "ocariot-bench-" });
const fake = await FakeFitbit.start({ latencyMs: LATENCY_MS });
try {
  const config = loadEnv({
    DATA_DIR: dir,
    FITBIT_CLIENT_ID: "23ABCD",
    FITBIT_CLIENT_SECRET: "fake-secret",
    FITBIT_API_URL: fake.url,
    FITBIT_SYNC_INTERVAL: "3600",
    FITBIT_SYNC_CONCURRENCY: String(CONCURRENCY),
    WEARABLE_PROVIDER: "fitbit",
  });
  const { database, db, wearables } = await benchWearables(config, log);

  // Children, Fitbit users with data, and stored tokens (through FB2's own path).
  console.log(
    `setting up ${CHILDREN} children (latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY})…`,
  );
  const today = new Date().toISOString().slice(0, 10);
  const ids = await insertBenchChildren(db, CHILDREN);
  const setupQueue = [...ids];
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let id = setupQueue.pop(); id; id = setupQueue.pop()) {
      const n = ids.indexOf(id);
      const user = fake.addUser({
        profile: { timezone: "Europe/Madrid", offsetFromUTCMillis: 7_200_000 },
        generated: true,
        activities: [
          activity({ logId: n * 10 + 1, startTime: `${today}T08:00:00.000+02:00` }),
          activity({ logId: n * 10 + 2, startTime: `${today}T17:00:00.000+02:00` }),
        ],
        sleep: [
          stagesSleep({ logId: n * 10 + 3, dateOfSleep: today }),
          classicSleep({ logId: n * 10 + 4 }),
        ],
        weights: [weight({ logId: n * 10 + 5, date: today })],
      });
      await wearables.connectSubmitted(id, await fake.grant({ userId: user.id }));
    }
  }));
  fake.requests = [];
  fake.sent.clear();

  const round = (name: string) =>
    schedulerRound(wearables, name, () => fake.requests.length, stall);

  const first = await round("first sync (12 months of daily series)");
  const firstItems = await trackingRows(db);
  await db.update(wearableConnections).set({ nextSyncAt: 0 });
  const second = await round("second sync (nothing new)");
  const afterSecond = await trackingRows(db);
  const secondItems = {
    activities: afterSecond.activities - firstItems.activities,
    sleep: afterSecond.sleep - firstItems.sleep,
    weights: afterSecond.weights - firstItems.weights,
    body_fats: afterSecond.body_fats - firstItems.body_fats,
    logs: afterSecond.logs - firstItems.logs,
  };

  // Budget stress: a few children made due again and again within the hour.
  const stressed = ids.slice(0, STRESS);
  const stressRounds: number[] = [];
  for (let i = 0; i < 15; i++) {
    await db.update(wearableConnections).set({ nextSyncAt: 0 })
      .where(sql`child_id IN (${sql.join(stressed.map((id) => sql`${id}`), sql`, `)})`);
    stressRounds.push((await wearables.scheduler.runRound()).done);
  }
  const [budget] = await db.all<{ max_used: number }>(
    sql`SELECT max(used) AS max_used FROM wearable_call_budgets`,
  );
  const maxPerUserHour = fake.maxRequestsPerUserHour();
  const limited = fake.requests.filter((r) => r.status === 429).length;

  console.log("\nresults");
  console.table([first, second]);
  console.log({
    rows_stored_first_sync: firstItems,
    new_rows_second_sync: secondItems,
    stress_children: STRESS,
    stress_children_synced_per_round: stressRounds,
    max_fitbit_requests_per_child_hour: maxPerUserHour,
    max_budget_used_per_child_hour: budget.max_used,
    fitbit_429_answers: limited,
    wall_seconds_total: Number(((performance.now() - benchStarted) / 1000).toFixed(1)),
  });
  const ok = maxPerUserHour <= 150 && budget.max_used <= 150 && limited === 0 &&
    Object.values(secondItems).every((n) => n === 0) &&
    // Every child's records stored by the first sync (a branch that failed, e.g. a Fitbit
    // call timing out behind slow storage, would be silently short here).
    firstItems.activities === 2 * CHILDREN && firstItems.sleep === 2 * CHILDREN &&
    firstItems.weights === CHILDREN && firstItems.body_fats === CHILDREN &&
    firstItems.logs > 0 && firstItems.logs % (5 * CHILDREN) === 0 &&
    first.failed === 0 && second.failed === 0;
  console.log(
    ok
      ? "OK: everything stored; rate limits never exceeded; second sync stored nothing new"
      : "FAILED",
  );
  database.close();
  if (!ok) Deno.exitCode = 1;
} finally {
  stall.stop();
  await fake.close();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
