import { eq, sql } from "drizzle-orm";
import { assertEquals, assertTrue } from "../../test/assert.ts";
import { activity } from "../../test/fake-fitbit/samples.ts";
import {
  capturingLogger,
  connectedChild,
  startFitbitTestbed,
  trackingRows,
} from "../../test/fake-fitbit/setup.ts";
import { wearableCallBudgets, wearableConnections } from "../db/schema/index.ts";
import { createProviders } from "./providers/registry.ts";
import { Wearables } from "./wearables.service.ts";

const INTERVAL_S = 3600;
const bed = await startFitbitTestbed({
  FITBIT_SYNC_INTERVAL: String(INTERVAL_S),
  FITBIT_SYNC_CONCURRENCY: "3",
});
const { t, fake, ingest } = bed;
const START = Date.parse("2020-09-02T12:00:00Z");
t.clock.time = START;

function instance(log = capturingLogger().log) {
  return new Wearables({
    db: t.db,
    config: t.deps.config,
    cipher: t.deps.wearables.cipher,
    ingest,
    log,
    now: t.clock.now,
    providers: createProviders(t.deps.config, t.clock.now),
  });
}

/** Makes every connection due now (as if their interval had passed). */
async function allDue() {
  await t.db.update(wearableConnections).set({ nextSyncAt: 0 });
}

async function connection(childId: string) {
  const [row] = await t.db.select().from(wearableConnections)
    .where(eq(wearableConnections.childId, childId));
  return row;
}

const children: string[] = [];
for (let i = 0; i < 8; i++) {
  const { child } = await connectedChild(bed, {
    user: { activities: [activity({ logId: 100 + i })] },
  });
  children.push(child.id);
}

Deno.test("a round syncs every due child with bounded concurrency, logs progress, and schedules the next", async () => {
  const captured = capturingLogger();
  fake.requests = [];
  const report = await instance(captured.log).scheduler.runRound();
  assertEquals(report, { total: 8, done: 8, failed: 0, items: 8 * (1 + 5 * 367) });
  for (const id of children) {
    const row = await connection(id);
    assertEquals([row.nextSyncAt, row.lastSync, row.syncLeaseOwner], [
      START + INTERVAL_S * 1000,
      START,
      null,
    ]);
    assertEquals((await trackingRows(t, id)).physical_activities, 1);
  }
  const lines = captured.lines.map((line) => JSON.parse(line));
  const finished = lines.find((l) => l.msg === "wearable sync round finished");
  assertEquals([finished.done, finished.total, finished.errors], [8, 8, 0]);
  assertTrue(lines.some((l) => l.msg === "wearable sync progress"));
  // Nothing is due right after.
  assertEquals(await instance().scheduler.runRound(), { total: 0, done: 0, failed: 0, items: 0 });
});

Deno.test("two schedulers sharing the database sync each due child exactly once", async () => {
  t.clock.time = START + INTERVAL_S * 1000;
  fake.requests = [];
  const [a, b] = await Promise.all([
    instance().scheduler.runRound(),
    instance().scheduler.runRound(),
  ]);
  assertEquals(a.done + b.done, 8);
  const lists = fake.calls("/1/user/-/activities/list.json");
  assertEquals(lists.length, 8);
  assertEquals(new Set(lists.map((r) => r.userId)).size, 8);
  // Second time round: nothing new was stored.
  for (const id of children) assertEquals((await trackingRows(t, id)).physical_activities, 1);
});

Deno.test("a child whose lease another (crashed) instance holds is skipped until the lease expires", async () => {
  t.clock.time = START + 2 * INTERVAL_S * 1000;
  const [stuck] = children;
  await allDue();
  await t.db.update(wearableConnections)
    .set({ syncLeaseOwner: "crashed", syncLeaseUntil: t.clock.now() + 60_000 })
    .where(eq(wearableConnections.childId, stuck));
  const report = await instance().scheduler.runRound();
  assertEquals([report.total, report.done], [7, 7]);
  t.clock.advance(60_001);
  assertEquals((await instance().scheduler.runRound()).done, 1);
  assertEquals((await connection(stuck)).syncLeaseOwner, null);
});

Deno.test("a child without budget room for a whole sync waits for the next rate window", async () => {
  t.clock.time = START + 3 * INTERVAL_S * 1000;
  const [, tight] = children;
  await allDue();
  await t.db.update(wearableCallBudgets).set({ used: 140, windowStart: t.clock.now() })
    .where(eq(wearableCallBudgets.childId, tight));
  const report = await instance().scheduler.runRound();
  assertEquals(report.done, 7);
  assertEquals((await connection(tight)).nextSyncAt, 0);
  t.clock.advance(3_600_000);
  await t.db.update(wearableConnections).set({ nextSyncAt: 0 })
    .where(eq(wearableConnections.childId, tight));
  assertEquals((await instance().scheduler.runRound()).total >= 1, true);
  assertTrue((await connection(tight)).nextSyncAt > t.clock.now());
});

Deno.test("a 429 during a scheduled sync blocks the child until Fitbit's reset; others go on", async () => {
  t.clock.time = START + 5 * INTERVAL_S * 1000;
  const [, , limited] = children;
  await allDue();
  const userId = (await connection(limited)).externalUserId;
  fake.fault({ match: { userId }, times: "always", action: { rateLimit: true } });
  const report = await instance().scheduler.runRound();
  fake.faults = [];
  assertEquals([report.done, report.failed], [8, 1]);
  const [budget] = await t.db.select().from(wearableCallBudgets)
    .where(eq(wearableCallBudgets.childId, limited));
  assertEquals(budget.blockedUntil, t.clock.now() + 1_800_000);
  assertEquals((await connection(limited)).nextSyncAt, t.clock.now() + 1_800_000);
});

Deno.test("many rounds within one hour never exceed 150 Fitbit requests per child", async () => {
  t.clock.time = START + 10 * INTERVAL_S * 1000;
  fake.sent.clear();
  for (let round = 0; round < 15; round++) {
    await allDue();
    await instance().scheduler.runRound();
  }
  const perUser = [...fake.sent.values()];
  assertTrue(Math.max(...perUser) <= 150, `max ${Math.max(...perUser)}`);
  // 13 calls per sync (profile, list, 4 weight windows, sleep, 6 series): 11 fit in 150.
  assertTrue(Math.max(...perUser) >= 140, `max ${Math.max(...perUser)}`);
  const [row] = await t.db.all<{ n: number }>(
    sql`SELECT max(used) AS n FROM wearable_call_budgets`,
  );
  assertTrue(row.n <= 150);
});

Deno.test("(close the Fitbit testbed)", () => bed.close());
