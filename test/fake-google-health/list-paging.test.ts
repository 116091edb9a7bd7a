/**
 * `dataPoints` list paging (google-health.md §3.4, §6.3): page sizes per type (default and cap),
 * newest first, `nextPageToken` until the last page, tokens bound to type and filter, the
 * unsupported list of `total-calories`, unknown types, and `:reconcile`.
 */
import { assertEquals, assertTrue } from "../assert.ts";
import { api, list, listAll, testWithFake } from "./client.ts";
import type { DataPoint } from "./datatypes.ts";
import { addDays } from "./datatypes.ts";
import { exerciseOn, steps } from "./samples.ts";
import { connectedUser } from "./setup.ts";

const days = (n: number) => Array.from({ length: n }, (_, i) => addDays("2026-01-01", i));

const pageCases: {
  type: string;
  count: number;
  make: (day: string, i: number) => DataPoint;
  pageSize?: string;
  pages: number[];
}[] = [
  { type: "exercise", count: 60, make: (d) => exerciseOn(d), pages: [25, 25, 10] },
  { type: "exercise", count: 60, make: (d) => exerciseOn(d), pageSize: "100", pages: [25, 25, 10] },
  {
    type: "exercise",
    count: 60,
    make: (d) => exerciseOn(d),
    pageSize: "10",
    pages: [10, 10, 10, 10, 10, 10],
  },
  {
    type: "steps",
    count: 1500,
    make: (d, i) => steps(d, i, { minute: i % 1440 }),
    pages: [1440, 60],
  },
  {
    type: "steps",
    count: 1500,
    make: (d, i) => steps(d, i, { minute: i % 1440 }),
    pageSize: "20000",
    pages: [1500],
  },
  { type: "steps", count: 3, make: (d, i) => steps(d, i), pageSize: "0", pages: [3] },
];

for (const c of pageCases) {
  testWithFake(
    `${c.type}: ${c.count} points with pageSize ${c.pageSize ?? "unset"} come as pages ${c.pages}`,
    async (fake) => {
      const points = days(c.count).map((d, i) => c.make(addDays(d, -(i % 300)), i));
      const { tokens } = connectedUser(fake, { data: { dataPoints: points } });
      const query: Record<string, string> = c.pageSize === undefined
        ? {}
        : { pageSize: c.pageSize };
      const { points: got, pages } = await listAll(fake, tokens.access_token, c.type, query);
      assertEquals(pages, c.pages);
      assertEquals(got.length, c.count);
    },
  );
}

testWithFake("points come newest first, across pages", async (fake) => {
  const points = days(30).map((d) => exerciseOn(d));
  const { tokens } = connectedUser(fake, { data: { dataPoints: points } });
  const { points: got } = await listAll(fake, tokens.access_token, "exercise");
  const starts = got.map((p) =>
    (p.exercise as { interval: { startTime: string } }).interval.startTime
  );
  assertEquals(starts, [...starts].sort().reverse());
  assertEquals(new Set(got.map((p) => p.name)).size, 30, "every point once, each with a name");
});

testWithFake(
  "a page token replayed with another filter, or garbage: 400 INVALID_ARGUMENT",
  async (fake) => {
    const { tokens } = connectedUser(fake, {
      data: { dataPoints: days(30).map((d) => exerciseOn(d)) },
    });
    const filter = 'exercise.interval.civil_start_time >= "2026-01-01"';
    const first = await list(fake, tokens.access_token, "exercise", { filter });
    const token = first.body.nextPageToken;
    assertTrue(typeof token === "string");
    const other = await list(fake, tokens.access_token, "exercise", {
      filter: 'exercise.interval.civil_start_time >= "2026-01-02"',
      pageToken: token,
    });
    assertEquals([other.status, other.body.error.status], [400, "INVALID_ARGUMENT"]);
    const garbage = await list(fake, tokens.access_token, "exercise", { filter, pageToken: "@@" });
    assertEquals(garbage.status, 400);
    const good = await list(fake, tokens.access_token, "exercise", { filter, pageToken: token });
    assertEquals([good.status, good.body.dataPoints.length, good.body.nextPageToken], [
      200,
      5,
      undefined,
    ]);
  },
);

testWithFake("a negative or non-numeric pageSize is 400", async (fake) => {
  const { tokens } = connectedUser(fake);
  for (const pageSize of ["-1", "ten"]) {
    assertEquals((await list(fake, tokens.access_token, "steps", { pageSize })).status, 400);
  }
});

testWithFake("list of total-calories: 400 naming the supported actions", async (fake) => {
  const { tokens } = connectedUser(fake);
  const res = await list(fake, tokens.access_token, "total-calories");
  assertEquals(res.status, 400);
  assertEquals(
    res.body.error.message,
    "List is not supported for data type total-calories, but the following actions are supported: rollup, dailyRollup",
  );
});

testWithFake("an unknown data type: 400 INVALID_PARENT_DATA_TYPE_COLLECTION", async (fake) => {
  const { tokens } = connectedUser(fake);
  const res = await list(fake, tokens.access_token, "bodyFat");
  assertEquals(res.status, 400);
  assertEquals(res.body.error.details[0].reason, "INVALID_PARENT_DATA_TYPE_COLLECTION");
});

testWithFake("a user without data gets empty pages (a Fitbit Ace child)", async (fake) => {
  const { tokens } = connectedUser(fake);
  for (const type of ["exercise", "sleep", "weight", "body-fat", "steps"]) {
    const res = await list(fake, tokens.access_token, type);
    assertEquals([res.status, res.body], [200, { dataPoints: [] }]);
  }
});

testWithFake(":reconcile answers dataPointName and no dataSource", async (fake) => {
  const { tokens } = connectedUser(fake, { data: { dataPoints: [exerciseOn("2026-09-01")] } });
  const plain = await list(fake, tokens.access_token, "exercise");
  const res = await api(
    fake,
    tokens.access_token,
    "/v4/users/me/dataTypes/exercise/dataPoints:reconcile",
    {
      query: { dataSourceFamily: "users/me/dataSourceFamilies/all-sources" },
    },
  );
  assertEquals(res.status, 200);
  const [point] = res.body.dataPoints;
  assertEquals(point.dataPointName, plain.body.dataPoints[0].name);
  assertEquals([point.name, point.dataSource], [undefined, undefined]);
  const bad = await api(
    fake,
    tokens.access_token,
    "/v4/users/me/dataTypes/exercise/dataPoints:reconcile",
    {
      query: { dataSourceFamily: "users/me/dataSourceFamilies/nope" },
    },
  );
  assertEquals(bad.body.error.details[0].reason, "INVALID_DATA_POINT_DATA_SOURCE_FAMILY");
});
