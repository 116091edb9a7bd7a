import { eq, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { assertEquals } from "../../test/assert.ts";
import { startTestApp } from "../../test/harness.ts";
import { deleteChildData } from "../db/cascade.ts";
import { dailyLogs, measurements, physicalActivities, sleep } from "../db/schema/index.ts";
import { activityBody, bodyFatBody, send, sleepBody, weightBody } from "./testing.ts";

const t = await startTestApp();
const app = await t.login("application");

const tables: [string, SQLiteTable, SQLiteColumn][] = [
  ["physical_activities", physicalActivities, physicalActivities.childId],
  ["sleep", sleep, sleep.childId],
  ["measurements", measurements, measurements.childId],
  ["daily_logs", dailyLogs, dailyLogs.childId],
];

/** Rows per tracking table for a child. */
async function rowsOf(childId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, table, column] of tables) {
    const [{ n }] = await t.db.select({ n: sql<number>`count(*)` }).from(table)
      .where(eq(column, childId));
    counts[name] = n;
  }
  return counts;
}

/** Stores two of every kind of tracking data for a child through the API. */
async function fill(childId: string) {
  const path = `/v1/children/${childId}`;
  const posts: [string, unknown][] = [
    ["physicalactivities", [
      activityBody("2020-01-01T10:00:00Z"),
      activityBody("2020-01-02T10:00:00Z"),
    ]],
    ["sleep", [sleepBody("2020-01-01T22:00:00Z"), sleepBody("2020-01-02T22:00:00Z")]],
    ["weights", [weightBody("2020-01-01T08:00:00Z", 20)]],
    ["bodyfats", [bodyFatBody("2020-01-03T08:00:00Z")]],
    ["logs/steps", [{ date: "2020-01-01", value: 1 }, { date: "2020-01-02", value: 2 }]],
  ];
  for (const [segment, body] of posts) {
    const res = await send(t, "POST", `${path}/${segment}`, app.token, body);
    assertEquals(res.body.error, [], segment);
  }
}

Deno.test("deleteChildData removes all of the child's tracking data, and only the child's", async () => {
  const gone = await t.createUser("child");
  const kept = await t.createUser("child");
  await fill(gone.id);
  await fill(kept.id);
  const full = { physical_activities: 2, sleep: 2, measurements: 3, daily_logs: 2 };
  assertEquals(await rowsOf(gone.id), full);
  assertEquals(await rowsOf(kept.id), full);
  await t.db.transaction((tx) => deleteChildData(tx, gone.id));
  assertEquals(await rowsOf(gone.id), {
    physical_activities: 0,
    sleep: 0,
    measurements: 0,
    daily_logs: 0,
  });
  assertEquals(await rowsOf(kept.id), full);
});

Deno.test("(close the test database)", () => t.close());
