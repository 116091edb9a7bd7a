import { assertEquals } from "../../test/assert.ts";
import { bodies, startTestApp } from "../../test/harness.ts";
import { bodyFatBody, send } from "../tracking/testing.ts";

/**
 * The parts of the SQL list query no single resource exercises: the registration-time
 * window (start_at, end_at, period), `now`, and patterns with special characters.
 * Body fats serve as the collection; their values name the records.
 */

const t = await startTestApp();
const app = await t.login("application");
const child = await t.createUser("child");
const path = `/v1/children/${child.id}/bodyfats`;

// Registered at these instants (the clock), each with its day of June as value.
const registered: [string, number][] = [
  ["2020-05-20T00:00:00.000Z", 520],
  ["2020-06-01T00:00:00.000Z", 601],
  ["2020-06-10T12:00:00.000Z", 610],
  ["2020-06-14T23:00:00.000Z", 614],
  ["2020-06-15T11:00:00.000Z", 615],
];
for (const [at, value] of registered) {
  t.clock.time = Date.parse(at);
  await send(
    t,
    "POST",
    path,
    app.token,
    bodyFatBody(`2019-01-01T00:00:${String(value % 60).padStart(2, "0")}Z`, value),
  );
}
t.clock.time = Date.parse("2020-06-15T12:00:00.000Z");

async function values(query: string): Promise<number[]> {
  const res = await send(t, "GET", `${path}?${query}&sort=value`, app.token);
  assertEquals(res.status, 200, query);
  assertEquals(res.headers.get("X-Total-Count"), "5", query);
  return res.body.map((b: { value: number }) => b.value);
}

const windows: [string, number[]][] = [
  ["start_at=2020-06-10", [610, 614, 615]],
  ["start_at=2020-06-10T12:00:00", [610, 614, 615]],
  ["start_at=2020-06-10T12:00:00.001Z", [614, 615]],
  ["start_at=2020-06-10&end_at=2020-06-15", [610, 614]],
  ["end_at=2020-06-10T12:00:00", [520, 601]],
  ["start_at=today", [615]],
  ["end_at=today", [520, 601, 610, 614]],
  ["period=1w", [610, 614, 615]],
  ["period=3d", [614, 615]],
  ["period=25d", [601, 610, 614, 615]],
  ["period=1m", [520, 601, 610, 614, 615]],
  ["period=1y", [520, 601, 610, 614, 615]],
  ["start_at=2020-06-01&period=9d", [601]],
  ["start_at=2020-06-01&period=10d", [601, 610]],
  ["start_at=2020-06-01&period=2w", [601, 610, 614]],
  ["end_at=2020-06-10T12:00:01&period=1m", [520, 601, 610]],
  ["created_at=gte:2020-06-14&created_at=lt:now", [614, 615]],
  ["value=gt:600&value=lt:615", [601, 610, 614]],
  ["value=601,615", [601, 615]],
];

for (const [query, expected] of windows) {
  Deno.test(`list window: ${query}`, async () => {
    assertEquals(await values(query), expected);
  });
}

Deno.test("list window: values that are not dates or periods are a 400", async () => {
  const cases: [string, string][] = [
    [
      "start_at=yesterday",
      "start_at must be a date (yyyy-MM-dd), a datetime (yyyy-MM-ddTHH:mm:ss) or today.",
    ],
    [
      "end_at=2020-13-01",
      "end_at must be a date (yyyy-MM-dd), a datetime (yyyy-MM-ddTHH:mm:ss) or today.",
    ],
    ["period=7x", "period must be a number followed by d, w, m or y (days, weeks, months, years)."],
    ["period=d", "period must be a number followed by d, w, m or y (days, weeks, months, years)."],
  ];
  for (const [query, description] of cases) {
    const res = await send(t, "GET", `${path}?${query}`, app.token);
    assertEquals([res.status, res.body], [400, bodies.invalid(description)], query);
  }
});

Deno.test("list patterns: GLOB characters in a pattern are literal", async () => {
  const kid = await t.createUser("child");
  const weights = `/v1/children/${kid.id}/weights`;
  for (const [i, unit] of ["k?g", "kg", "k[g]", "K*G"].entries()) {
    await send(t, "POST", weights, app.token, {
      timestamp: `2020-01-0${i + 1}T00:00:00Z`,
      value: i,
      unit,
    });
  }
  const units = async (query: string) =>
    (await send(t, "GET", `${weights}?${query}&sort=value`, app.token)).body.map((
      w: { unit: string },
    ) => w.unit);
  assertEquals(await units("unit=*?*"), ["k?g"]);
  assertEquals(await units("unit=*[g]"), ["k[g]"]);
  assertEquals(await units("unit=k*"), ["k?g", "kg", "k[g]", "K*G"]);
  assertEquals(await units("unit=*G"), ["k?g", "kg", "K*G"]);
  assertEquals(await units("unit=kg"), ["kg"]);
  assertEquals(await units("value=*1*"), []);
});

// Names every JavaScript object inherits are no field (issue 10, finding 1): a filter on one
// matches nothing and a sort on one is ignored, as for any unknown name.
for (const name of ["constructor", "toString", "valueOf", "__proto__", "__lookupGetter__"]) {
  Deno.test(`list fields: ${name} is no field`, async () => {
    const filtered = await send(t, "GET", `${path}?${name}=x`, app.token);
    assertEquals([filtered.status, filtered.body], [200, []]);
    // The first `sort` counts: newest first, as with no sort at all.
    assertEquals(await values(`sort=${name}`), [615, 614, 610, 601, 520]);
  });
}

Deno.test("(close the test database)", () => t.close());
