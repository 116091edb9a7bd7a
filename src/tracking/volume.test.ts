import { sql } from "drizzle-orm";
import { createClient, type InArgs } from "@libsql/client";
import { assertEquals, assertMatch, assertTrue } from "../../test/assert.ts";
import { startTestApp } from "../../test/harness.ts";
import { LOG_RESOURCES } from "../access/params.ts";
import { newId } from "../core/ids.ts";
import { parseListQuery } from "../core/list-query.ts";
import { dailyLogs, physicalActivities } from "../db/schema/index.ts";
import { logsBetweenQuery } from "./logs/logs.store.ts";
import { listPhysicalActivities } from "./physical-activities/physical-activities.store.ts";
import { send } from "./testing.ts";

/**
 * A realistic volume (100,000 rows across 40 children), inserted directly in batches:
 * a child's paged list and a date-range log query must return exactly the right rows,
 * and their query plans must use the indexes (no scan of other children's rows, no sort).
 */

const t = await startTestApp();
const app = await t.login("application");
const CHILDREN = 40;
const PER_CHILD = 1250; // activities and as many days of steps per child
const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2017, 0, 1);

const children: string[] = [];
for (let i = 0; i < CHILDREN; i++) children.push((await t.createUser("child")).id);

// Registration times interleave the children (as real traffic would) and repeat every
// ten rows, so the insertion-order tie-break matters too.
const createdAt = (child: number, n: number) =>
  1_600_000_000_000 + Math.floor(n / 10) * 1000 + child;

await t.db.transaction(async (tx) => {
  for (let n = 0; n < PER_CHILD; n += 25) {
    const activities = [], logs = [];
    for (let child = 0; child < CHILDREN; child++) {
      for (let k = n; k < n + 25; k++) {
        const start = FIRST_DAY + k * DAY_MS + child * 60_000;
        activities.push({
          id: newId(),
          childId: children[child],
          startTime: start,
          endTime: start + 1_800_000,
          duration: 1_800_000,
          name: k % 2 === 0 ? "Walk" : "Run",
          calories: k,
          steps: k * 10,
          createdAt: createdAt(child, k),
        });
        logs.push({
          childId: children[child],
          resource: "steps",
          date: new Date(FIRST_DAY + k * DAY_MS).toISOString().slice(0, 10),
          value: child * 100_000 + k,
          updatedAt: 0,
        });
      }
    }
    await tx.insert(physicalActivities).values(activities);
    await tx.insert(dailyLogs).values(logs);
  }
});

Deno.test("volume: 100,000 rows are stored", async () => {
  const [{ n: activities }] = await t.db.select({ n: sql<number>`count(*)` }).from(
    physicalActivities,
  );
  const [{ n: logs }] = await t.db.select({ n: sql<number>`count(*)` }).from(dailyLogs);
  assertEquals(activities + logs, 100_000);
});

Deno.test("volume: a child's paged list is that child's rows, newest registration first", async () => {
  const child = 17;
  const path = `/v1/children/${children[child]}/physicalactivities`;
  const res = await send(t, "GET", `${path}?page=3&limit=50`, app.token);
  assertEquals(res.status, 200);
  assertEquals(res.headers.get("X-Total-Count"), String(PER_CHILD));
  // Newest registration first; within one registration time the latest inserted
  // (the highest k) first: that is k descending.
  const expected = Array.from({ length: 50 }, (_, i) => PER_CHILD - 1 - 100 - i);
  assertEquals(res.body.map((a: { calories: number }) => a.calories), expected);
  assertTrue(res.body.every((a: { child_id: string }) => a.child_id === children[child]));

  const sorted = await send(
    t,
    "GET",
    `${path}?sort=-start_time&name=Run&limit=5&page=2`,
    app.token,
  );
  assertEquals(sorted.body.map((a: { calories: number }) => a.calories), [
    1239,
    1237,
    1235,
    1233,
    1231,
  ]);
  const window = await send(
    t,
    "GET",
    `${path}?start_time=gte:2018-01-01&start_time=lt:2018-01-04&sort=start_time`,
    app.token,
  );
  assertEquals(window.body.map((a: { start_time: string }) => a.start_time), [
    "2018-01-01T00:17:00",
    "2018-01-02T00:17:00",
    "2018-01-03T00:17:00",
  ]);
});

Deno.test("volume: a date-range log query returns one right value per day", async () => {
  const child = 29;
  const res = await send(
    t,
    "GET",
    `/v1/children/${children[child]}/logs/steps/date/2019-06-01/2020-05-31`,
    app.token,
  );
  assertEquals(res.status, 200);
  assertEquals(res.body.length, 366);
  const firstK = (Date.UTC(2019, 5, 1) - FIRST_DAY) / DAY_MS;
  const expected = res.body.map((_: unknown, i: number) => {
    const k = firstK + i;
    return {
      date: new Date(FIRST_DAY + k * DAY_MS).toISOString().slice(0, 10),
      value: k < PER_CHILD ? child * 100_000 + k : 0,
    };
  });
  assertEquals(res.body, expected);
  const all = await send(
    t,
    "GET",
    `/v1/children/${children[child]}/logs/date/2017-01-01/2017-01-03`,
    app.token,
  );
  assertEquals(all.body.steps.map((d: { value: number }) => d.value), [
    2_900_000,
    2_900_001,
    2_900_002,
  ]);
  assertEquals(all.body.calories.map((d: { value: number }) => d.value), [0, 0, 0]);
});

Deno.test("volume: the list and log queries search their indexes and need no sort", async () => {
  const plan = async (query: { toSQL(): { sql: string; params: unknown[] } }) => {
    const { sql: text, params } = query.toSQL();
    const client = createClient({ url: t.deps.config.DATABASE_URL });
    try {
      const result = await client.execute({
        sql: `explain query plan ${text}`,
        args: params as InArgs,
      });
      return result.rows.map((row) => String(row.detail)).join(" | ");
    } finally {
      client.close();
    }
  };
  const query = parseListQuery({ page: "3", limit: "50" });
  const list = await plan(
    listPhysicalActivities(t.db, children[3], { ...query, window: {} }, t.clock.now()),
  );
  assertMatch(list, /USING INDEX physical_activities_child_created_idx \(child_id=\?\)/);
  assertTrue(!/TEMP B-TREE/.test(list), list);
  const logs = await plan(
    logsBetweenQuery(t.db, children[3], LOG_RESOURCES, "2019-01-01", "2019-12-31"),
  );
  assertMatch(
    logs,
    /USING (PRIMARY KEY|INDEX sqlite_autoindex_daily_logs_1) \(child_id=\? AND resource=\? AND date>\? AND date<\?\)/,
  );
  assertTrue(!/TEMP B-TREE/.test(logs), logs);
});

Deno.test("(close the test database)", () => t.close());
