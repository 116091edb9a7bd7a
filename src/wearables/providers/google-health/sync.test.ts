import { assertEquals, assertTrue } from "../../../../test/assert.ts";
import { exerciseOn, sleep } from "../../../../test/fake-google-health/samples.ts";
import { childStatus, googleBed, wearablePath } from "../../testing.ts";

// How the Google Health adapter syncs (google-health.md §3.4, §3.5, §3.7, §4.2), seen from
// the fake's call log and the platform's public API: rollup chunks, filters, pages, the
// look-back of later syncs, what is stored, retries, and unprocessed sleep.

const bed = await googleBed();
const { t, fake } = bed;

async function sync(child: { id: string; token: string }) {
  const res = await t.request("POST", wearablePath(child.id, "/sync"), { token: child.token });
  return { status: res.status, body: await res.json() };
}

const listOf = async (child: { id: string; token: string }, path: string) => {
  const res = await t.request("GET", `/v1/children/${child.id}/${path}`, { token: child.token });
  return (await res.json()).map(({ id: _, child_id: __, ...rest }: Record<string, unknown>) =>
    rest
  );
};

Deno.test("first sync: rollups in 90- and 14-day chunks (no pageSize), snake_case filters, pages of 25", async () => {
  const { child } = await bed.connect();
  fake.log = [];
  assertEquals((await sync(child)).status, 200);
  const rollups = fake.calls({ endpoint: "dailyRollUp" });
  const byType = (type: string) => rollups.filter((c) => c.dataType === type);
  assertEquals(
    ["steps", "total-calories", "active-minutes", "sedentary-period"].map((type) =>
      byType(type).length
    ),
    [5, 27, 27, 5],
  );
  const days = (body: unknown) => {
    const { range } = body as { range: { start: { date: object }; end: { date: object } } };
    const iso = (d: object) => {
      const { year, month, day } = d as Record<string, number>;
      return Date.UTC(year, month - 1, day);
    };
    return (iso(range.end.date) - iso(range.start.date)) / 86_400_000;
  };
  assertTrue(byType("steps").every((c) => days(c.body) <= 90), "steps: at most 90 days a call");
  assertTrue(byType("total-calories").every((c) => days(c.body) <= 14), "calories: at most 14");
  assertTrue(rollups.every((c) => !("pageSize" in (c.body as object))), "no pageSize");
  // The last chunk ends tomorrow (the end is exclusive).
  assertTrue(
    rollups.some((c) =>
      JSON.stringify(c.body).includes('"end":{"date":{"year":2026,"month":9,"day":3}}')
    ),
  );

  const list = (type: string) => fake.calls({ endpoint: "list", dataType: type })[0];
  assertEquals(list("exercise").query.pageSize, "25");
  assertEquals(list("sleep").query.pageSize, "25");
  assertEquals(
    list("exercise").query.filter,
    'exercise.interval.civil_start_time >= "2025-09-02" AND exercise.interval.civil_start_time < "2026-09-03"',
  );
  assertEquals(list("sleep").query.filter, 'sleep.interval.end_time >= "2025-09-02T03:00:00.000Z"');
  assertEquals(
    list("body-fat").query.filter,
    'body_fat.sample_time.physical_time >= "2026-05-02T03:00:00.000Z"',
  );
});

Deno.test("the contract's samples are stored as the platform shows them", async () => {
  const { child } = await bed.connect();
  await sync(child);
  assertEquals(await listOf(child, "physicalactivities"), [{
    start_time: "2026-09-01T13:00:00",
    end_time: "2026-09-01T13:30:00",
    duration: 1_800_000,
    name: "Walking",
    calories: 160,
    steps: 2900,
    distance: 2100,
  }]);
  const [night] = await listOf(child, "sleep");
  assertEquals([night.start_time, night.type, night.pattern.data_set], [
    "2026-09-01T02:00:00",
    "stages",
    [
      { start_time: "2026-09-01T02:00:00", name: "awake", duration: 600_000 },
      { start_time: "2026-09-01T02:10:00", name: "light", duration: 26_400_000 },
    ],
  ]);
  assertEquals(await listOf(child, "weights"), [{
    timestamp: "2026-08-20T10:12:44",
    value: 38.2,
    unit: "kg",
    body_fat: 18.5,
  }]);
  const day = async (resource: string) =>
    (await listOf(child, `logs/${resource}/date/2026-09-01/2026-09-01`))[0].value;
  assertEquals(
    [
      await day("steps"),
      await day("calories"),
      await day("active_minutes"),
      await day("lightly_active_minutes"),
      await day("sedentary_minutes"),
    ],
    [8211, 1843, 30, 182, 690],
  );
});

Deno.test("a later sync re-reads only the last week (from the last sync), one rollup call per type", async () => {
  const { child } = await bed.connect();
  await sync(child);
  t.clock.advance(23 * 3_600_000);
  fake.log = [];
  try {
    assertEquals((await sync(child)).status, 200);
  } finally {
    t.clock.time = bed.today;
  }
  const rollups = fake.calls({ endpoint: "dailyRollUp" });
  assertEquals(rollups.length, 4);
  assertTrue(
    rollups.every((c) =>
      JSON.stringify(c.body).includes('"start":{"date":{"year":2026,"month":8,"day":26}}')
    ),
    "from seven days before the last sync",
  );
});

Deno.test("exercise lists follow nextPageToken, at most four pages of 25", async () => {
  const { child, userId } = await bed.connect({ empty: true });
  const days = Array.from(
    { length: 110 },
    (_, i) => new Date(Date.UTC(2026, 4, 1) + i * 86_400_000).toISOString().slice(0, 10),
  );
  fake.setData(userId, { dataPoints: days.map((day) => exerciseOn(day)) });
  fake.log = [];
  const { body } = await sync(child);
  assertEquals(fake.calls({ endpoint: "list", dataType: "exercise" }).length, 4);
  assertEquals(body.activities, 100);
});

Deno.test("429 and 503 answers are retried with back-off; the sync then succeeds", async () => {
  const { child } = await bed.connect();
  fake.fault({ endpoint: "list", dataType: "exercise" }, { rateLimit: true }, 2);
  fake.fault({ endpoint: "list", dataType: "sleep" }, { apiError: "UNAVAILABLE" }, 1);
  fake.log = [];
  const { status, body } = await sync(child);
  assertEquals([status, body.activities, body.sleep], [200, 1, 1]);
  assertEquals(fake.calls({ endpoint: "list", dataType: "exercise" }).map((c) => c.status), [
    429,
    429,
    200,
  ]);
  assertEquals(fake.calls({ endpoint: "list", dataType: "sleep" }).map((c) => c.status), [
    503,
    200,
  ]);
});

Deno.test("a sleep still being processed is skipped, then stored once when processed", async () => {
  const { child, userId } = await bed.connect({ empty: true });
  fake.setData(userId, { dataPoints: [sleep({ metadata: { processed: false } })] });
  assertEquals((await sync(child)).body.sleep, 0);
  fake.setData(userId, { dataPoints: [sleep()] });
  assertEquals((await sync(child)).body.sleep, 1);
  assertEquals((await sync(child)).body.sleep, 0);
  assertEquals((await listOf(child, "sleep")).length, 1);
});

Deno.test("an account not linked to Google Health: FB2 refuses it; a sync answers Access token invalid, child invalid_token", async () => {
  const child = await t.login("child");
  const unlinked = fake.addUser({ hasHealthProfile: false });
  const grant = fake.grant({ healthUserId: unlinked.healthUserId });
  const res = await t.request("POST", wearablePath(child.id, "/auth"), {
    token: child.token,
    body: { access_token: grant.access_token, refresh_token: grant.refresh_token },
  });
  assertEquals([res.status, (await res.json()).message], [400, "Access token invalid."]);

  const connected = await bed.connect();
  fake.state.user(connected.userId).hasHealthProfile = false;
  const { status, body } = await sync(connected.child);
  assertEquals([status, body.message], [400, "Access token invalid."]);
  assertEquals(await childStatus(t, connected.child.id), "invalid_token");
});

Deno.test("(close the Google Health testbed)", () => bed.close());
