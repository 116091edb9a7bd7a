import { eq } from "drizzle-orm";
import { assertEquals, assertTrue } from "../../test/assert.ts";
import { activity, classicSleep, stagesSleep, weight } from "../../test/fake-fitbit/samples.ts";
import {
  CLIENT,
  connectedChild,
  failStoring,
  startFitbitTestbed,
  trackedData,
  trackingRows,
} from "../../test/fake-fitbit/setup.ts";
import type { FakeUser } from "../../test/fake-fitbit/server.ts";
import { startTestApp } from "../../test/harness.ts";
import { users, wearableConnections, wearableRevocations } from "../db/schema/index.ts";
import { SignJWT } from "jose";
import { maskToken } from "../wearables/errors.ts";

const bed = await startFitbitTestbed();
const { t, fake, ingest } = bed;
// Fitbit's sample records are from 2020: the sync runs "today" = 2020-09-02 (Recife).
t.clock.time = Date.parse("2020-09-02T12:00:00Z");
const application = await t.login("application");
const RECIFE = { timezone: "America/Recife", offsetFromUTCMillis: -10_800_000 };

const bodies = {
  expired: (at: string) => ({
    code: 400,
    message: "Access token expired.",
    description: `The access token ${maskToken(at)} has been expired and needs to be refreshed.`,
  }),
  invalid: (at: string) => ({
    code: 400,
    message: "Access token invalid.",
    description: `The access token ${
      maskToken(at)
    } is invalid. Please make a new Fitbit Auth Data request and try again.`,
  }),
  refreshInvalid: (rt: string) => ({
    code: 400,
    message: "Refresh token invalid.",
    description: `The refresh token ${
      maskToken(rt)
    } is invalid. Please make a new Fitbit Auth Data request and try again.`,
  }),
  rateLimit: (at: string) => ({
    code: 400,
    message: `Data request limit for access token ${maskToken(at)} has expired.`,
    description: "Please wait a minimum of one hour and try make the operation again.",
  }),
  invalidClient: {
    code: 400,
    message: "Invalid Fitbit Client data.",
    description: "The Fitbit Client credentials are invalid. The operation cannot be performed.",
  },
  internal: { code: 400, message: "A internal error occurs. Please, try again later." },
  unavailable: {
    code: 503,
    message: "Could not connect with the Fitbit Server",
    description: "Please try again later.",
  },
  scope: {
    code: 400,
    message:
      "The token must have permission for at least one of the features that are synced by the API.",
    description: "The features that are mapped are: rwei (weight), ract (activity), rsle (sleep).",
  },
  noAuthData: {
    code: 400,
    message:
      "User does not have authentication data. Please, submit authentication data and try again.",
  },
  authNotFound: {
    code: 404,
    message: "Unable to find Fitbit authentication data!",
    description: "You must enter new data before you can refer to it.",
  },
};

const path = (childId: string, rest = "") => `/v1/users/${childId}/fitbit${rest}`;

async function childRow(id: string) {
  const [row] = await t.db.select().from(users).where(eq(users.id, id));
  return row;
}

/** A child connected to a Fitbit user holding the contract's sample records. */
async function childWithData(scopes?: string[]) {
  return await connectedChild(bed, {
    scopes,
    user: {
      profile: RECIFE,
      activities: [activity()],
      sleep: [stagesSleep(), classicSleep()],
      weights: [weight()],
      series: {
        steps: { "2020-09-01": "8211" },
        minutesFairlyActive: { "2020-09-01": "8" },
        minutesVeryActive: { "2020-09-01": "7" },
      },
    },
  });
}

function clearFaults() {
  fake.faults = [];
}

// ---------------------------------------------------------------------------
// FB1

Deno.test("GET /v1/fitbit returns the client id and how to start authorization, never the secret", async () => {
  const res = await t.request("GET", "/v1/fitbit", { token: application.token });
  assertEquals(res.status, 200);
  const body = await res.json();
  assertEquals(body, {
    provider: "fitbit",
    client_id: CLIENT.id,
    authorization_uri: `${fake.url}/oauth2/authorize`,
    scope: "activity sleep weight profile",
    code_challenge_method: "S256",
    platform_authorization: "/v1/users/{user_id}/fitbit/authorize",
  });
  assertTrue(!JSON.stringify(body).includes(CLIENT.secret));
});

Deno.test("GET /v1/fitbit answers 404 when Fitbit is not configured; POST auth then refuses the client", async () => {
  const bare = await startTestApp();
  try {
    const app = await bare.login("application");
    const child = await bare.login("child");
    const res = await bare.request("GET", "/v1/fitbit", { token: app.token });
    assertEquals(res.status, 404);
    assertEquals(await res.json(), {
      code: 404,
      message: "Fitbit client id and secret key not found!",
    });
    const tokens = await fake.grant({ userId: fake.addUser().id });
    const auth = await bare.request("POST", path(child.id, "/auth"), {
      token: app.token,
      body: tokens,
    });
    assertEquals(auth.status, 400);
    assertEquals(await auth.json(), bodies.invalidClient);
  } finally {
    await bare.close();
  }
});

// ---------------------------------------------------------------------------
// FB2 / FB3

Deno.test("POST auth checks the token with Fitbit, stores it sealed; GET auth shows it (never the refresh token)", async () => {
  const child = await t.login("child");
  const user = fake.addUser();
  const tokens = await fake.grant({ userId: user.id });
  fake.requests = [];
  const res = await t.request("POST", path(child.id, "/auth"), {
    token: child.token,
    body: tokens,
  });
  assertEquals(res.status, 204);
  assertEquals(fake.requests.map((r) => [r.method, r.path, r.headers.authorization, r.form]), [[
    "POST",
    "/1.1/oauth2/introspect",
    `Bearer ${tokens.access_token}`,
    { token: tokens.access_token },
  ]]);
  // Sealed at rest: neither token appears in the row.
  const [row] = await t.db.select().from(wearableConnections)
    .where(eq(wearableConnections.childId, child.id));
  assertTrue(!JSON.stringify(row).includes(tokens.access_token));
  assertTrue(!JSON.stringify(row).includes(tokens.refresh_token));
  assertEquals([row.provider, row.externalUserId, row.scope], [
    "fitbit",
    user.id,
    "ract rsle rwei rpro",
  ]);

  const asChild = await t.request("GET", path(child.id, "/auth"), { token: child.token });
  assertEquals(asChild.status, 200);
  assertEquals(await asChild.json(), { access_token: tokens.access_token, status: "valid_token" });
  const asApp = await t.request("GET", path(child.id, "/auth"), { token: application.token });
  assertEquals(await asApp.json(), { access_token: tokens.access_token, status: "valid_token" });
  // The child's status only changes with the first sync (fitbit.md §1.3).
  assertEquals((await childRow(child.id)).fitbitStatus, "none");
});

Deno.test("GET auth answers 404 when nothing is stored", async () => {
  const child = await t.login("child");
  const res = await t.request("GET", path(child.id, "/auth"), { token: child.token });
  assertEquals(res.status, 404);
  assertEquals(await res.json(), bodies.authNotFound);
});

const required = (names: string) => ({
  code: 400,
  message: "Required fields were not provided...",
  description: `Fitbit Auth Data Validation: ${names} required!`,
});

for (
  const [name, body, expected] of [
    ["no fields", {}, required("access_token, refresh_token")],
    ["no refresh token", { access_token: "a.b.c" }, required("refresh_token")],
    ["no access token", { refresh_token: "abc" }, required("access_token")],
    ["access token not a string", { access_token: 5, refresh_token: "abc" }, {
      code: 400,
      message: "One or more request fields are invalid...",
      description: "access_token must be a string!",
    }],
    [
      "access token not a JWT (no 500)",
      { access_token: "not-a-jwt", refresh_token: "abc" },
      bodies.invalid("not-a-jwt"),
    ],
  ] as const
) {
  Deno.test(`POST auth validation: ${name}`, async () => {
    const child = await t.login("child");
    fake.requests = [];
    const res = await t.request("POST", path(child.id, "/auth"), { token: child.token, body });
    assertEquals(res.status, 400);
    assertEquals(await res.json(), expected);
    assertEquals(fake.requests.length, 0);
  });
}

Deno.test("POST auth with malformed JSON answers the body error", async () => {
  const child = await t.login("child");
  const res = await t.request("POST", path(child.id, "/auth"), { token: child.token, raw: "{bad" });
  assertEquals(res.status, 400);
  assertEquals((await res.json()).message, "Unable to process request body!");
});

Deno.test("POST auth refuses a token without weight, activity or sleep scope, without calling Fitbit", async () => {
  const child = await t.login("child");
  const tokens = await fake.grant({ userId: fake.addUser().id, scopes: ["profile", "heartrate"] });
  fake.requests = [];
  const res = await t.request("POST", path(child.id, "/auth"), {
    token: child.token,
    body: tokens,
  });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), bodies.scope);
  assertEquals(fake.requests.length, 0);
});

Deno.test("POST auth: expired token → Access token expired; revoked → Access token invalid; other client → invalid", async () => {
  const child = await t.login("child");
  const user = fake.addUser();
  const expired = await fake.grant({ userId: user.id, lifetimeSeconds: -60 });
  let res = await t.request("POST", path(child.id, "/auth"), { token: child.token, body: expired });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), bodies.expired(expired.access_token));

  const revoked = await fake.grant({ userId: user.id });
  fake.grantOf(revoked.access_token)!.revoked = true;
  res = await t.request("POST", path(child.id, "/auth"), { token: child.token, body: revoked });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), bodies.invalid(revoked.access_token));

  const foreign = await new SignJWT({ aud: "OTHER1", sub: user.id, scopes: "ract", exp: 2e9 })
    .setProtectedHeader({ alg: "HS256" }).sign(new Uint8Array(32));
  res = await t.request("POST", path(child.id, "/auth"), {
    token: child.token,
    body: { access_token: foreign, refresh_token: "abc" },
  });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), bodies.invalid(foreign));
  const none = await t.request("GET", path(child.id, "/auth"), { token: child.token });
  assertEquals(none.status, 404);
});

for (
  const [name, action] of [
    ["answers 503 from Fitbit", { httpError: 503 }],
    ["drops the connection", { drop: true }],
    ["is slower than the timeout", { delayMs: 1500 }],
  ] as const
) {
  Deno.test(`POST auth when Fitbit ${name} → 503 Could not connect`, async () => {
    const child = await t.login("child");
    const tokens = await fake.grant({ userId: fake.addUser().id });
    fake.fault({ match: { path: /introspect/ }, action });
    const res = await t.request("POST", path(child.id, "/auth"), {
      token: child.token,
      body: tokens,
    });
    clearFaults();
    assertEquals(res.status, 503);
    assertEquals(await res.json(), bodies.unavailable);
  });
}

// ---------------------------------------------------------------------------
// FB5

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

Deno.test("a second sync stores nothing new and re-reads only the last week of daily series", async () => {
  const { child } = await childWithData();
  assertEquals(
    (await t.request("POST", path(child.id, "/sync"), { token: child.token })).status,
    200,
  );
  const rows = await trackingRows(t, child.id);
  assertEquals(rows, { physical_activities: 1, sleep: 2, measurements: 2, daily_logs: 5 * 367 });
  const handed = ingest.callsFor(child.id).filter((c) => c.kind !== "logs").length;
  fake.requests = [];
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  assertEquals(res.status, 200);
  // 2020-08-26 … 2020-09-02: last sync's date minus seven days, then today.
  assertEquals(await res.json(), {
    activities: 0,
    sleep: 0,
    weights: 0,
    logs: {
      steps: 8,
      calories: 8,
      active_minutes: 8,
      lightly_active_minutes: 8,
      sedentary_minutes: 8,
    },
  });
  // Nothing handed over again (known by Fitbit log id), so no new rows; logs upserted.
  assertEquals(ingest.callsFor(child.id).filter((c) => c.kind !== "logs").length, handed);
  assertEquals(await trackingRows(t, child.id), rows);
  const data = await trackedData(t, child.id, application.token);
  assertEquals(
    [data.activities.total, data.sleep.total, data.weights.total, data.bodyfats.total],
    [1, 2, 1, 1],
  );
  assertTrue(fake.requests.some((r) => r.path.endsWith("/date/2020-08-26/2020-09-02.json")));
});

Deno.test("sync refreshes an expiring token once, persists the new pair, and goes on", async () => {
  const { child, tokens } = await childWithData();
  t.clock.advance(28_800_000 - 5 * 60_000); // 5 minutes left
  fake.requests = [];
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  t.clock.time = Date.parse("2020-09-02T12:00:00Z");
  assertEquals(res.status, 200);
  const tokenCalls = fake.calls("/oauth2/token");
  assertEquals(tokenCalls.length, 1);
  assertEquals(tokenCalls[0].form, {
    grant_type: "refresh_token",
    refresh_token: tokens.refresh_token,
  });
  assertEquals(
    tokenCalls[0].headers.authorization,
    `Basic ${btoa(`${CLIENT.id}:${CLIENT.secret}`)}`,
  );
  const view = await (await t.request("GET", path(child.id, "/auth"), { token: application.token }))
    .json();
  // Fitbit's refresh tokens are single use: the new one is the grant's only live one.
  assertEquals(fake.grantOf(tokens.refresh_token), undefined);
  assertEquals(fake.grantOf(view.access_token)?.revoked, false);
  assertTrue(view.access_token !== tokens.access_token);
  // Every data call used the new token.
  const data = fake.requests.filter((r) => r.path.startsWith("/1"));
  assertTrue(data.every((r) => r.headers.authorization === `Bearer ${view.access_token}`));
});

Deno.test("sync: a data call answering expired_token triggers one refresh and a retry", async () => {
  const { child } = await childWithData();
  fake.fault({ match: { path: /profile/ }, action: { status: 401, errorType: "expired_token" } });
  fake.requests = [];
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  clearFaults();
  assertEquals(res.status, 200);
  assertEquals(fake.calls("/oauth2/token").length, 1);
  assertEquals(fake.calls("/1/user/-/profile.json").length, 2);
});

Deno.test("sync: refresh answering invalid_grant → Refresh token invalid; tokens forgotten; child invalid_grant", async () => {
  const { child, tokens } = await childWithData();
  fake.grantOf(tokens.refresh_token)!.revoked = true;
  t.clock.advance(28_800_000);
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  t.clock.time = Date.parse("2020-09-02T12:00:00Z");
  assertEquals(res.status, 400);
  assertEquals(await res.json(), bodies.refreshInvalid(tokens.refresh_token));
  assertEquals(
    (await t.request("GET", path(child.id, "/auth"), { token: child.token })).status,
    404,
  );
  assertEquals((await childRow(child.id)).fitbitStatus, "invalid_grant");
});

Deno.test("sync: refresh answering invalid_client → Invalid Fitbit Client data; child invalid_client", async () => {
  const { child } = await childWithData();
  t.clock.advance(28_800_000);
  fake.fault({
    match: { path: /oauth2\/token/ },
    action: { status: 401, errorType: "invalid_client" },
  });
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  clearFaults();
  t.clock.time = Date.parse("2020-09-02T12:00:00Z");
  assertEquals(res.status, 400);
  assertEquals(await res.json(), bodies.invalidClient);
  assertEquals((await childRow(child.id)).fitbitStatus, "invalid_client");
  assertEquals(
    (await t.request("GET", path(child.id, "/auth"), { token: child.token })).status,
    200,
  );
});

Deno.test("sync: Fitbit's 429 → Data request limit pattern; child rate_limit; the child's budget blocks further calls", async () => {
  const { child, tokens } = await childWithData();
  fake.fault({ match: { path: /^\/1/ }, times: "always", action: { rateLimit: true } });
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), bodies.rateLimit(tokens.access_token));
  assertEquals((await childRow(child.id)).fitbitStatus, "rate_limit");
  // Retry-After is respected: the next sync makes no Fitbit call at all.
  fake.requests = [];
  const again = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  clearFaults();
  assertEquals(again.status, 400);
  assertEquals(fake.requests.length, 0);
});

Deno.test("sync: data calls 401 invalid_token even after a refresh → Access token invalid; child invalid_token", async () => {
  const { child } = await childWithData();
  fake.fault({
    match: { path: /^\/1/ },
    times: "always",
    action: { status: 401, errorType: "invalid_token" },
  });
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  clearFaults();
  assertEquals(res.status, 400);
  const view = await (await t.request("GET", path(child.id, "/auth"), { token: child.token }))
    .json();
  assertEquals(await res.json(), bodies.invalid(view.access_token));
  assertEquals(view.status, "invalid_token");
  assertEquals((await childRow(child.id)).fitbitStatus, "invalid_token");
  assertEquals(fake.calls("/oauth2/token").length > 0, true);
});

Deno.test("sync: every branch refused with insufficient_scope → the unmapped pattern with Fitbit's message; child none", async () => {
  const { child } = await childWithData();
  fake.fault({
    match: { path: /^\/1\/user\/-\/(activities|body)|sleep/ },
    times: "always",
    action: { status: 403, errorType: "insufficient_scope", message: "No permission for this." },
  });
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  clearFaults();
  assertEquals(res.status, 400);
  assertEquals(await res.json(), { code: 400, message: "No permission for this." });
  assertEquals((await childRow(child.id)).fitbitStatus, "none");
});

Deno.test("sync: Fitbit internal_error everywhere → the internal error pattern; status unchanged", async () => {
  const { child } = await childWithData();
  fake.fault({
    match: { path: /^\/1/ },
    times: "always",
    action: { status: 500, errorType: "internal_error", message: "oops" },
  });
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  clearFaults();
  assertEquals(res.status, 400);
  assertEquals(await res.json(), bodies.internal);
  assertEquals((await childRow(child.id)).fitbitStatus, "none");
});

for (
  const [name, action] of [
    ["HTML 502 answers", { httpError: 502 }],
    ["dropped connections", { drop: true }],
    ["malformed JSON", { malformed: true }],
  ] as const
) {
  Deno.test(`sync: ${name} on every data call → documented error, nothing stored`, async () => {
    const { child } = await childWithData();
    fake.fault({ match: { path: /^\/1/ }, times: "always", action });
    const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
    clearFaults();
    const expected = name === "malformed JSON" ? bodies.internal : bodies.unavailable;
    assertEquals(res.status, expected.code);
    assertEquals(await res.json(), expected);
    assertEquals(await trackingRows(t, child.id), {
      physical_activities: 0,
      sleep: 0,
      measurements: 0,
      daily_logs: 0,
    });
  });
}

Deno.test("sync: one failing branch is swallowed when others succeed (fitbit.md §4.1)", async () => {
  const { child } = await childWithData();
  fake.fault({ match: { path: /sleep/ }, times: "always", action: { httpError: 503 } });
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  clearFaults();
  assertEquals(res.status, 200);
  const body = await res.json();
  assertEquals([body.activities, body.sleep, body.weights], [1, 0, 1]);
});

const syncOf = async (child: { id: string; token: string }) => {
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  assertEquals(res.status, 200);
  return await res.json();
};

Deno.test("sync: an activity tracking failed to store is not remembered; the next sync hands it over again", async () => {
  const { child } = await childWithData();
  const undo = await failStoring(t, "physical_activities", `NEW.child_id = '${child.id}'`);
  const first = await syncOf(child);
  await undo();
  assertEquals([first.activities, first.sleep, first.weights], [0, 2, 1]);
  assertEquals(ingest.refused(child.id), [
    { kind: "activities", code: 500, message: "An internal server error has occurred." },
  ]);
  assertEquals((await trackingRows(t, child.id)).physical_activities, 0);
  const second = await syncOf(child);
  assertEquals([second.activities, second.sleep, second.weights], [1, 0, 0]);
  const { activities } = await trackedData(t, child.id, application.token);
  assertEquals(activities.items.map((a) => [a.name, a.start_time]), [
    ["Walk", "2020-09-01T13:00:00"],
  ]);
});

Deno.test("sync: daily values tracking failed to store are read again, whole window, by the next sync", async () => {
  const { child } = await connectedChild(bed, {
    user: { profile: RECIFE, series: { steps: { "2020-01-15": "5000", "2020-09-01": "8211" } } },
  });
  const steps = async (date: string) => {
    const res = await t.request("GET", `/v1/children/${child.id}/logs/steps/date/${date}/${date}`, {
      token: application.token,
    });
    return (await res.json())[0].value;
  };
  const undo = await failStoring(
    t,
    "daily_logs",
    `NEW.child_id = '${child.id}' AND NEW.resource = 'steps' AND NEW.date = '2020-01-15'`,
  );
  const first = await syncOf(child);
  await undo();
  assertEquals(first.logs.steps, 367);
  // Only that one day failed: the rest of the series was stored.
  assertEquals(ingest.refused(child.id), [
    { kind: "logs", code: 500, message: "An internal server error has occurred." },
  ]);
  assertEquals([await steps("2020-01-15"), await steps("2020-09-01")], [0, 8211]);
  assertEquals((await trackingRows(t, child.id)).daily_logs, 5 * 367 - 1);
  // The window did not move on: the whole year is read again, and the day is stored.
  assertEquals((await syncOf(child)).logs.steps, 367);
  assertEquals(await steps("2020-01-15"), 5000);
  // Once stored, the next sync reads only the last week again.
  assertEquals((await syncOf(child)).logs.steps, 8);
});

Deno.test("sync: daily series Fitbit failed to answer are read again, whole window, by the next sync", async () => {
  const { child } = await childWithData();
  fake.fault({
    match: { path: /activities\/tracker/ },
    times: "always",
    action: { httpError: 503 },
  });
  const first = await syncOf(child);
  clearFaults();
  assertEquals([first.activities, first.logs.steps], [1, 0]);
  assertEquals((await trackingRows(t, child.id)).daily_logs, 0);
  assertEquals((await syncOf(child)).logs.steps, 367);
  assertEquals((await trackingRows(t, child.id)).daily_logs, 5 * 367);
});

Deno.test("sync without stored tokens → 400; with a stored scope lacking data kinds → the scope body", async () => {
  const child = await t.login("child");
  let res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), bodies.noAuthData);
  const connected = await childWithData();
  await t.db.update(wearableConnections).set({ scope: "rpro rhr" })
    .where(eq(wearableConnections.childId, connected.child.id));
  res = await t.request("POST", path(connected.child.id, "/sync"), {
    token: connected.child.token,
  });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), bodies.scope);
});

Deno.test("sync without the profile scope uses the offset written on the newest activity", async () => {
  const { child } = await childWithData(["activity", "sleep", "weight"]);
  fake.requests = [];
  assertEquals(
    (await t.request("POST", path(child.id, "/sync"), { token: child.token })).status,
    200,
  );
  assertEquals(fake.calls(/profile/).length, 0);
  const { weights } = await trackedData(t, child.id, application.token);
  assertEquals(weights.items.map((w) => w.timestamp), ["2020-08-20T10:12:44"]);
});

Deno.test("sync: the 11th on-demand sync within the hour answers 429", async () => {
  const { child } = await connectedChild(bed, { scopes: ["weight"] });
  for (let i = 0; i < 10; i++) {
    const ok = await t.request("POST", path(child.id, "/sync"), { token: child.token });
    assertEquals(ok.status, 200);
    await ok.body?.cancel();
  }
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  assertEquals(res.status, 429);
  assertEquals(await res.json(), {
    code: 429,
    message: "Synchronization limit per hour exceeded for child. Please try again later...",
  });
  assertEquals(res.headers.get("Retry-After"), "3600");
});

// ---------------------------------------------------------------------------
// FB4

Deno.test("revoke: revokes at Fitbit with the access token, forgets the tokens, child none, synced data stays", async () => {
  const { child, tokens } = await childWithData();
  assertEquals(
    (await t.request("POST", path(child.id, "/sync"), { token: child.token })).status,
    200,
  );
  fake.requests = [];
  const res = await t.request("POST", path(child.id, "/auth/revoke"), { token: child.token });
  assertEquals(res.status, 204);
  assertEquals(fake.requests.map((r) => [r.path, r.form, r.headers.authorization]), [[
    "/oauth2/revoke",
    { token: tokens.access_token, token_type_hint: "access_token" },
    `Basic ${btoa(`${CLIENT.id}:${CLIENT.secret}`)}`,
  ]]);
  assertEquals(fake.grantOf(tokens.access_token)?.revoked, true);
  assertEquals(
    (await t.request("GET", path(child.id, "/auth"), { token: child.token })).status,
    404,
  );
  assertEquals((await childRow(child.id)).fitbitStatus, "none");
  assertEquals((await trackedData(t, child.id, application.token)).activities.total, 1);
  const pending = await t.db.select().from(wearableRevocations)
    .where(eq(wearableRevocations.childId, child.id));
  assertEquals(pending, []);
  const sync = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  assertEquals(await sync.json(), bodies.noAuthData);
});

Deno.test("revoke with nothing stored answers 204 without calling Fitbit", async () => {
  const child = await t.login("child");
  fake.requests = [];
  const res = await t.request("POST", path(child.id, "/auth/revoke"), { token: child.token });
  assertEquals(res.status, 204);
  assertEquals(fake.requests.length, 0);
});

Deno.test("revoke with an expired access token revokes the refresh token", async () => {
  const { child, tokens } = await childWithData();
  t.clock.advance(28_800_000);
  fake.requests = [];
  const res = await t.request("POST", path(child.id, "/auth/revoke"), { token: child.token });
  t.clock.time = Date.parse("2020-09-02T12:00:00Z");
  assertEquals(res.status, 204);
  assertEquals(fake.requests.map((r) => r.form), [
    { token: tokens.refresh_token, token_type_hint: "refresh_token" },
  ]);
  assertEquals(fake.grantOf(tokens.refresh_token)?.revoked, true);
});

Deno.test("revoke refused by Fitbit (invalid_client): documented error, tokens gone anyway, retried in the background", async () => {
  const { child, tokens } = await childWithData();
  fake.fault({ match: { path: /revoke/ }, action: { status: 401, errorType: "invalid_client" } });
  const res = await t.request("POST", path(child.id, "/auth/revoke"), { token: child.token });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), bodies.invalidClient);
  assertEquals(
    (await t.request("GET", path(child.id, "/auth"), { token: child.token })).status,
    404,
  );
  assertEquals((await childRow(child.id)).fitbitStatus, "none");
  // The queued entry is sealed too.
  const [queued] = await t.db.select().from(wearableRevocations)
    .where(eq(wearableRevocations.childId, child.id));
  assertEquals([queued.attempts, queued.lastError], [1, "client_invalid"]);
  assertTrue(!queued.tokens.includes(tokens.access_token));
  t.clock.advance(61_000);
  const done = await t.deps.wearables.revoker.processDue();
  t.clock.time = Date.parse("2020-09-02T12:00:00Z");
  assertEquals(done.confirmed >= 1, true);
  assertEquals(fake.grantOf(tokens.access_token)?.revoked, true);
});

Deno.test("(close the Fitbit testbed)", () => bed.close());
