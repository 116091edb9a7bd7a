import { assertEquals, assertTrue } from "../../../../test/assert.ts";
import { activity, stagesSleep, weight } from "../../../../test/fake-fitbit/samples.ts";
import { connectedChild, trackedData, trackingRows } from "../../../../test/fake-fitbit/setup.ts";
import type { FakeUser } from "../../../../test/fake-fitbit/server.ts";
import { fitbitSuite, RECIFE } from "./testing.ts";

// Fitbit records → platform records (fitbit.md §4.3), through a real sync into the real
// tracking tables, read back through the public API.
const { bed, t, fake, ingest, application, path, childRow, childWithData, syncOf } =
  await fitbitSuite();

Deno.test("POST sync pulls, maps (child's time zone, units, levels, zones) and stores; last_sync and status updated", async () => {
  const { child, tokens } = await childWithData();
  fake.requests = [];
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  assertEquals(res.status, 200);
  const body = await res.json();
  assertEquals(Object.keys(body), ["activities", "sleep", "weights", "logs"]);
  // 2019-09-02 … 2020-09-02 inclusive (a leap year): 367 days per series.
  assertEquals(body, {
    activities: 1,
    sleep: 2,
    weights: 1,
    logs: {
      steps: 367,
      calories: 367,
      active_minutes: 367,
      lightly_active_minutes: 367,
      sedentary_minutes: 367,
    },
  });
  // Tracking accepted every item the sync handed over, and shows them through the API.
  assertEquals(ingest.refused(child.id), []);
  const data = await trackedData(t, child.id, application.token);
  assertEquals(data.activities.items, [{
    start_time: "2020-09-01T13:00:00",
    end_time: "2020-09-01T13:30:00",
    duration: 1800000,
    child_id: child.id,
    name: "Walk",
    calories: 160,
    steps: 2900,
    distance: 2100,
    levels: [
      { name: "sedentary", duration: 300000 },
      { name: "lightly", duration: 600000 },
      { name: "fairly", duration: 480000 },
      { name: "very", duration: 420000 },
    ],
    heart_rate: {
      average: 112,
      out_of_range_zone: { min: 30, max: 94, duration: 180000 },
      fat_burn_zone: { min: 94, max: 131, duration: 1200000 },
      cardio_zone: { min: 131, max: 159, duration: 420000 },
      peak_zone: { min: 159, max: 220, duration: 0 },
    },
  }]);
  // Local times read in America/Recife (UTC−3), not relabelled as UTC; Fitbit's `wake`
  // is the platform's `awake`, and the summary is tracking's own.
  const zero = { count: 0, duration: 0 };
  assertEquals(data.sleep.items, [
    {
      start_time: "2020-08-20T01:00:00",
      end_time: "2020-08-20T09:00:00",
      duration: 28800000,
      child_id: child.id,
      type: "classic",
      pattern: {
        data_set: [
          { start_time: "2020-08-20T01:00:00", name: "awake", duration: 300000 },
          { start_time: "2020-08-20T01:05:00", name: "asleep", duration: 27000000 },
          { start_time: "2020-08-20T08:35:00", name: "restless", duration: 1500000 },
        ],
        summary: {
          awake: { count: 1, duration: 300000 },
          asleep: { count: 1, duration: 27000000 },
          restless: { count: 1, duration: 1500000 },
        },
      },
    },
    {
      start_time: "2020-09-01T02:00:00",
      end_time: "2020-09-01T09:30:00",
      duration: 27000000,
      child_id: child.id,
      type: "stages",
      pattern: {
        data_set: [
          { start_time: "2020-09-01T02:00:00", name: "awake", duration: 600000 },
          { start_time: "2020-09-01T02:10:00", name: "light", duration: 26400000 },
        ],
        summary: {
          deep: zero,
          light: { count: 1, duration: 26400000 },
          rem: zero,
          awake: { count: 1, duration: 600000 },
        },
      },
    },
  ]);
  assertEquals(data.weights.items, [{
    timestamp: "2020-08-20T10:12:44",
    value: 38.2,
    unit: "kg",
    child_id: child.id,
    body_fat: 18.5,
  }]);
  assertEquals(data.bodyfats.items, [{
    timestamp: "2020-08-20T10:12:44.000Z",
    value: 18.5,
    unit: "%",
    child_id: child.id,
  }]);
  const logs = await t.request(
    "GET",
    `/v1/children/${child.id}/logs/date/2020-08-31/2020-09-01`,
    { token: application.token },
  );
  assertEquals(logs.status, 200);
  const days = (first: number, second: number) => [
    { date: "2020-08-31", value: first },
    { date: "2020-09-01", value: second },
  ];
  assertEquals(await logs.json(), {
    steps: days(0, 8211),
    calories: days(0, 0),
    active_minutes: days(0, 15),
    lightly_active_minutes: days(0, 0),
    sedentary_minutes: days(0, 0),
  });
  assertEquals((await trackingRows(t, child.id)).daily_logs, 5 * 367);

  // Exactly the documented calls, with the child's calendar.
  const bearer = `Bearer ${tokens.access_token}`;
  assertTrue(fake.requests.every((r) => r.headers.authorization === bearer));
  const calls = fake.requests.map((r) =>
    `${r.path}${Object.keys(r.query).length ? "?" + new URLSearchParams(r.query) : ""}`
  );
  const list = "?beforeDate=2020-09-03&sort=desc&offset=0&limit=100";
  const series = (r: string) => `/1/user/-/activities/tracker/${r}/date/2019-09-02/2020-09-02.json`;
  assertEquals(
    calls.sort(),
    [
      "/1/user/-/profile.json",
      `/1/user/-/activities/list.json${list}`,
      "/1/user/-/body/log/weight/date/2020-08-03/2020-09-02.json",
      "/1/user/-/body/log/weight/date/2020-07-03/2020-08-02.json",
      "/1/user/-/body/log/weight/date/2020-06-02/2020-07-02.json",
      "/1/user/-/body/log/weight/date/2020-05-02/2020-06-01.json",
      `/1.2/user/-/sleep/list.json${list}`,
      ...[
        "steps",
        "calories",
        "minutesFairlyActive",
        "minutesVeryActive",
        "minutesLightlyActive",
        "minutesSedentary",
      ].map(series),
    ].sort(),
  );

  const row = await childRow(child.id);
  assertEquals([row.fitbitStatus, row.lastSync], ["valid_token", t.clock.now()]);
});

// Every shape the Fitbit mapping produces must be what tracking's bulk POST accepts: each
// row syncs one Fitbit record into the real tracking tables and reads it back via the API.
const stagesWithShortWakes = stagesSleep({
  levels: {
    data: [
      { dateTime: "2020-08-31T23:00:00.000", level: "light", seconds: 1800 },
      { dateTime: "2020-08-31T23:30:00.000", level: "deep", seconds: 3600 },
      { dateTime: "2020-09-01T00:30:00.000", level: "rem", seconds: 1200 },
      { dateTime: "2020-09-01T00:50:00.000", level: "wake", seconds: 120 },
    ],
    shortData: [{ dateTime: "2020-08-31T23:40:00.000", level: "wake", seconds: 30 }],
  },
});
type TrackingList = "activities" | "sleep" | "weights" | "bodyfats";
/** Name, the Fitbit user's records, the list to read back, the expected items (by key). */
const mappingRows: [string, Partial<FakeUser>, TrackingList, Record<string, unknown>[]][] = [
  [
    "activity in miles → metres",
    { activities: [activity({ distance: 1.5, distanceUnit: "Mile" })] },
    "activities",
    [{ distance: 2414.016 }],
  ],
  [
    "activity without levels, heart rate, steps or distance → those keys omitted",
    {
      activities: [activity({
        activityLevel: undefined,
        heartRateZones: undefined,
        averageHeartRate: undefined,
        steps: undefined,
        distance: 0,
      })],
    },
    "activities",
    [{
      start_time: "2020-09-01T13:00:00",
      end_time: "2020-09-01T13:30:00",
      duration: 1800000,
      name: "Walk",
      calories: 160,
      steps: undefined,
      distance: undefined,
      levels: undefined,
      heart_rate: undefined,
    }],
  ],
  [
    "activity with a millisecond duration and fractional calories",
    { activities: [activity({ duration: 1834123, calories: 160.5 })] },
    "activities",
    [{ end_time: "2020-09-01T13:30:34", duration: 1834123, calories: 160.5 }],
  ],
  [
    "activity of zero duration",
    { activities: [activity({ duration: 0 })] },
    "activities",
    [{ start_time: "2020-09-01T13:00:00", end_time: "2020-09-01T13:00:00", duration: 0 }],
  ],
  [
    "activity with only three heart-rate zones → no heart_rate",
    { activities: [activity({ heartRateZones: activity().heartRateZones.slice(1) })] },
    "activities",
    [{ heart_rate: undefined }],
  ],
  [
    "stages sleep: deep, rem, wake → awake; short wakes ignored",
    { sleep: [stagesWithShortWakes] },
    "sleep",
    [{
      pattern: {
        data_set: [
          { start_time: "2020-09-01T02:00:00", name: "light", duration: 1800000 },
          { start_time: "2020-09-01T02:30:00", name: "deep", duration: 3600000 },
          { start_time: "2020-09-01T03:30:00", name: "rem", duration: 1200000 },
          { start_time: "2020-09-01T03:50:00", name: "awake", duration: 120000 },
        ],
        summary: {
          deep: { count: 1, duration: 3600000 },
          light: { count: 1, duration: 1800000 },
          rem: { count: 1, duration: 1200000 },
          awake: { count: 1, duration: 120000 },
        },
      },
    }],
  ],
  [
    "weight without body fat → no body_fat",
    { weights: [weight({ fat: undefined })] },
    "weights",
    [{ timestamp: "2020-08-20T10:12:44", value: 38.2, body_fat: undefined }],
  ],
  [
    "weight without body fat → no body fat record",
    {
      weights: [weight({ fat: undefined })],
    },
    "bodyfats",
    [],
  ],
  [
    "weight with 0 % body fat → a body fat of 0",
    { weights: [weight({ fat: 0 })] },
    "bodyfats",
    [{ timestamp: "2020-08-20T10:12:44.000Z", value: 0, unit: "%" }],
  ],
  [
    "weight logged without a time → local midnight",
    { weights: [weight({ time: undefined })] },
    "weights",
    [{ timestamp: "2020-08-20T03:00:00" }],
  ],
];

for (const [name, user, list, expected] of mappingRows) {
  Deno.test(`sync → tracking: ${name}`, async () => {
    const { child } = await connectedChild(bed, { user: { profile: RECIFE, ...user } });
    await syncOf(child);
    assertEquals(ingest.refused(child.id), []);
    const shown = (await trackedData(t, child.id, application.token))[list].items;
    // The expected keys of each item (an expected `undefined` asserts the key is absent).
    const picked = shown.map((item, i) =>
      Object.fromEntries(Object.keys(expected[i] ?? item).map((key) => [key, item[key]]))
    );
    assertEquals(picked, expected);
  });
}

Deno.test("sync → tracking: daily values (numeric strings, decimals, zero days) as stored", async () => {
  const { child } = await connectedChild(bed, {
    user: {
      profile: RECIFE,
      series: {
        calories: { "2020-09-01": "1523.75" },
        minutesSedentary: { "2020-09-01": "600" },
        minutesLightlyActive: { "2020-09-01": "120" },
        minutesFairlyActive: { "2020-09-01": "10", "2020-08-31": "3" },
        minutesVeryActive: { "2020-09-01": "5" },
      },
    },
  });
  await syncOf(child);
  assertEquals(ingest.refused(child.id), []);
  const res = await t.request("GET", `/v1/children/${child.id}/logs/date/2020-08-31/2020-09-01`, {
    token: application.token,
  });
  const days = (first: number, second: number) => [
    { date: "2020-08-31", value: first },
    { date: "2020-09-01", value: second },
  ];
  assertEquals(await res.json(), {
    steps: days(0, 0),
    calories: days(0, 1523.75),
    active_minutes: days(3, 15),
    lightly_active_minutes: days(0, 120),
    sedentary_minutes: days(0, 600),
  });
});

Deno.test("(close the Fitbit testbed)", () => bed.close());
