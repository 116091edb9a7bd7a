import { assertEquals } from "../../../test/assert.ts";
import { bodies, startTestApp } from "../../../test/harness.ts";
import { assertAnswer, send } from "../testing.ts";

const t = await startTestApp();
const app = await t.login("application");
const child = await t.createUser("child");
const base = `/v1/children/${child.id}/logs`;

const dateShape = (value: string) => ({
  code: 400,
  message: `Date: ${value}, is not in valid ISO 8601 format.`,
  description: "Date must be in the format: yyyy-MM-dd",
});
const dateDay = (value: string) => ({
  code: 400,
  message: `Date: ${value}, is not in valid ISO 8601 format.`,
});
const dateYear = (value: string) => ({
  code: 400,
  message:
    `Date ${value} has year not allowed. The year must be greater than 1678 and less than 2261.`,
});
const VALUE = bodies.invalid("value must be a number equal to or greater than zero.");
const TYPES = bodies.invalid(
  "The names of the allowed types are: steps, calories, active_minutes, lightly_active_minutes, sedentary_minutes.",
);
const interval = (start: string, end: string, description: string) => ({
  code: 400,
  message: `The interval between dates ${start} and ${end} is invalid!`,
  description,
});
const END_BEFORE =
  "The date_end parameter can not contain an older date than that the date_start parameter!";
const TOO_LONG = "The period between the received dates can not exceed one year!";

const itemErrors: [string, unknown, unknown][] = [
  // The peer suite's rows (tracking.md §7.1).
  ["only a value", { value: 2303 }, bodies.required("date")],
  ["nothing", {}, bodies.required("date, value")],
  ["a five-digit year", { date: "20199-05-08", value: 5200 }, dateShape("20199-05-08")],
  ["day 35", { date: "2019-05-35", value: 5200 }, dateDay("2019-05-35")],
  ["a negative value", { date: "2019-09-10", value: -1550 }, VALUE],
  ["a text value", { date: "2019-09-10", value: "invalid-value" }, VALUE],
  // The rest.
  ["only a date", { date: "2019-09-10" }, bodies.required("value")],
  ["year 1677", { date: "1677-05-08", value: 1 }, dateYear("1677-05-08")],
  ["29 February of a common year", { date: "2019-02-29", value: 1 }, dateDay("2019-02-29")],
  ["31 April", { date: "2019-04-31", value: 1 }, dateDay("2019-04-31")],
  ["month 13", { date: "2019-13-01", value: 1 }, dateShape("2019-13-01")],
  [
    "a date with a time",
    { date: "2019-05-08T00:00:00Z", value: 1 },
    dateShape("2019-05-08T00:00:00Z"),
  ],
  ["a numeric date (echoed as sent)", { date: 20190101, value: 1 }, dateShape("20190101")],
  ["a null date", { date: null, value: 1 }, dateShape("null")],
  ["a null value", { date: "2019-09-10", value: null }, VALUE],
  ["an exponent value", { date: "2019-09-10", value: "1e3" }, VALUE],
  ["an invalid date wins over a missing value", { date: "2019-1-1" }, dateShape("2019-1-1")],
  ["not an object", 7, bodies.required("date, value")],
];

for (const [name, item, expected] of itemErrors) {
  Deno.test(`POST logs: an item with ${name} is a 400 entry echoing its date and value`, async () => {
    const res = await send(t, "POST", `${base}/steps`, app.token, [item]);
    assertEquals(res.status, 207);
    const sent = typeof item === "object" && item !== null ? item as Record<string, unknown> : {};
    const echoed = Object.fromEntries(
      ["date", "value"].filter((key) => key in sent).map((key) => [key, sent[key]]),
    );
    assertEquals(res.body, { success: [], error: [{ ...expected as object, item: echoed }] });
  });
}

Deno.test("POST logs: 207 with successes and errors in input order; a repeated date replaces the value", async () => {
  const kid = await t.createUser("child");
  const path = `/v1/children/${kid.id}/logs`;
  const res = await send(t, "POST", `${path}/calories`, app.token, [
    {
      date: "2019-04-23",
      value: 1500.5,
      type: "steps",
      child_id: "507f191e810c19729de860ea",
      x: 1,
    },
    { date: "2019-04-24" },
    { date: "2019-04-23", value: "1800" },
    { date: "2019-04-25", value: 0 },
  ]);
  assertEquals(res.status, 207);
  assertEquals(res.body, {
    success: [
      { code: 201, item: { date: "2019-04-23", value: 1500.5 } },
      { code: 201, item: { date: "2019-04-23", value: 1800 } },
      { code: 201, item: { date: "2019-04-25", value: 0 } },
    ],
    error: [{ ...bodies.required("value"), item: { date: "2019-04-24" } }],
  });
  assertAnswer(
    await send(t, "GET", `${path}/calories/date/2019-04-22/2019-04-25`, app.token),
    200,
    [
      { date: "2019-04-22", value: 0 },
      { date: "2019-04-23", value: 1800 },
      { date: "2019-04-24", value: 0 },
      { date: "2019-04-25", value: 0 },
    ],
  );
  // The item's own type and child_id were ignored: nothing went to steps or the other child.
  assertAnswer(await send(t, "GET", `${path}/steps/date/2019-04-23/2019-04-23`, app.token), 200, [
    { date: "2019-04-23", value: 0 },
  ]);
});

Deno.test("POST logs: a malformed child id or resource is reported on every item", async () => {
  const items = [{ date: "2019-01-01", value: 10 }, { value: 3 }];
  const badChild = await send(t, "POST", "/v1/children/123/logs/steps", app.token, items);
  assertEquals(badChild.status, 207);
  assertEquals(badChild.body, {
    success: [],
    error: [
      { ...bodies.badParam("child_id"), item: items[0] },
      { ...bodies.badParam("child_id"), item: items[1] },
    ],
  });
  const badResource = await send(t, "POST", `${base}/WALKING-SKATE`, app.token, items);
  assertEquals(badResource.body, {
    success: [],
    error: [{ ...TYPES, item: items[0] }, { ...TYPES, item: items[1] }],
  });
  // The resource is checked first, then the item, then the child id.
  const both = await send(t, "POST", "/v1/children/123/logs/walk", app.token, [{ date: "x" }]);
  assertEquals(both.body.error[0], { ...TYPES, item: { date: "x" } });
  const dateFirst = await send(t, "POST", "/v1/children/123/logs/steps", app.token, [{
    date: "x",
  }]);
  assertEquals(dateFirst.body.error[0], { ...dateShape("x"), item: { date: "x" } });
});

Deno.test("POST logs: a non-array body is an empty 207; malformed JSON is a 400", async () => {
  for (const body of [{ date: "2019-01-01", value: 1 }, []]) {
    assertAnswer(await send(t, "POST", `${base}/steps`, app.token, body), 207, {
      success: [],
      error: [],
    });
  }
  const none = await t.request("POST", `${base}/steps`, { token: app.token });
  assertEquals([none.status, await none.json()], [207, { success: [], error: [] }]);
  const res = await t.request("POST", `${base}/steps`, { token: app.token, raw: "[{" });
  assertEquals(res.status, 400);
  assertEquals((await res.json()).message, "Unable to process request body!");
});

Deno.test("POST logs: an upper-case child id is the same child", async () => {
  const kid = await t.createUser("child");
  const res = await send(t, "POST", `/v1/children/${kid.id.toUpperCase()}/logs/steps`, app.token, [
    { date: "2019-06-01", value: 7 },
  ]);
  assertEquals(res.body.success.length, 1);
  assertAnswer(
    await send(t, "GET", `/v1/children/${kid.id}/logs/steps/date/2019-06-01/2019-06-01`, app.token),
    200,
    [{ date: "2019-06-01", value: 7 }],
  );
});

Deno.test("GET logs by date: five arrays, one zero-filled entry per day, only the child's logs", async () => {
  const kid = await t.createUser("child");
  const other = await t.createUser("child");
  const path = `/v1/children/${kid.id}/logs`;
  await send(t, "POST", `${path}/steps`, app.token, [
    { date: "2019-01-01", value: 1000 },
    { date: "2019-01-03", value: 3000 },
    { date: "2019-01-04", value: 4000 },
  ]);
  await send(t, "POST", `${path}/sedentary_minutes`, app.token, [{
    date: "2019-01-02",
    value: 600,
  }]);
  await send(t, "POST", `/v1/children/${other.id}/logs/calories`, app.token, [
    { date: "2019-01-02", value: 99 },
  ]);
  const zeros = [
    { date: "2019-01-01", value: 0 },
    { date: "2019-01-02", value: 0 },
    { date: "2019-01-03", value: 0 },
  ];
  const res = await send(t, "GET", `${path}/date/2019-01-01/2019-01-03`, app.token);
  assertEquals(res.status, 200);
  assertEquals(Object.keys(res.body), [
    "steps",
    "calories",
    "active_minutes",
    "lightly_active_minutes",
    "sedentary_minutes",
  ]);
  assertEquals(res.body, {
    steps: [
      { date: "2019-01-01", value: 1000 },
      { date: "2019-01-02", value: 0 },
      { date: "2019-01-03", value: 3000 },
    ],
    calories: zeros,
    active_minutes: zeros,
    lightly_active_minutes: zeros,
    sedentary_minutes: [
      { date: "2019-01-01", value: 0 },
      { date: "2019-01-02", value: 600 },
      { date: "2019-01-03", value: 0 },
    ],
  });
  const empty = await send(t, "GET", `${path}/date/2018-12-31/2018-12-31`, app.token);
  assertEquals(empty.body.steps, [{ date: "2018-12-31", value: 0 }]);
  const ten = await send(t, "GET", `${path}/steps/date/2018-12-26/2019-01-04`, app.token);
  assertEquals(ten.body.length, 10);
  assertEquals(ten.body.slice(-4).map((d: { value: number }) => d.value), [1000, 0, 3000, 4000]);
});

const rangeCases: [string, string, number, unknown][] = [
  // [path suffix, label, status, body]
  [
    "steps/date/2019-01-03/2019-01-01",
    "end before start",
    400,
    interval("2019-01-03", "2019-01-01", END_BEFORE),
  ],
  [
    "date/2019-01-03/2019-01-01",
    "end before start (all)",
    400,
    interval("2019-01-03", "2019-01-01", END_BEFORE),
  ],
  ["steps/date/2019-03-01/2020-03-01", "366 days touching a leap year", 200, undefined],
  [
    "steps/date/2019-03-01/2020-03-02",
    "367 days",
    400,
    interval("2019-03-01", "2020-03-02", TOO_LONG),
  ],
  ["steps/date/2017-03-01/2018-03-01", "365 days, no leap year", 200, undefined],
  [
    "steps/date/2017-03-01/2018-03-02",
    "366 days, no leap year",
    400,
    interval("2017-03-01", "2018-03-02", TOO_LONG),
  ],
  ["steps/date/2019-01-31/2020-01-31", "365 days, both in January", 200, undefined],
  [
    "steps/date/2019-01-30/2020-01-31",
    "366 days, both in January (365 there)",
    400,
    interval("2019-01-30", "2020-01-31", TOO_LONG),
  ],
  ["steps/date/2019-02-30/2019-03-01", "an impossible start day", 400, dateDay("2019-02-30")],
  ["steps/date/2019-01-01/2019-1-2", "a malformed end", 400, dateShape("2019-1-2")],
  ["steps/date/1600-01-01/2019-01-02", "a start year out of range", 400, dateYear("1600-01-01")],
  ["walk/date/x/y", "the resource before the dates", 400, TYPES],
  ["date/2019-13-01/2019-01-02", "a malformed start (all)", 400, dateShape("2019-13-01")],
];

for (const [suffix, label, status, expected] of rangeCases) {
  Deno.test(`GET logs: ${label} → ${status}`, async () => {
    const res = await send(t, "GET", `${base}/${suffix}`, app.token);
    assertEquals(res.status, status);
    if (expected !== undefined) assertEquals(res.body, expected);
    else {assertEquals(
        res.body.length,
        Math.round(
          (Date.parse(suffix.slice(-10)) - Date.parse(suffix.slice(-21, -11))) / 86400000,
        ) + 1,
      );}
  });
}

Deno.test("GET logs: the child id is checked before everything", async () => {
  assertAnswer(
    await send(t, "GET", "/v1/children/123/logs/walk/date/x/y", app.token),
    400,
    bodies.badParam("child_id"),
  );
  assertAnswer(
    await send(t, "GET", "/v1/children/123/logs/date/x/y", app.token),
    400,
    bodies.badParam("child_id"),
  );
});

Deno.test("(close the test database)", () => t.close());
