import { eq, sql } from "drizzle-orm";
import { assertEquals, assertTrue } from "../../test/assert.ts";
import { activity, classicSleep, stagesSleep, weight } from "../../test/fake-fitbit/samples.ts";
import { CLIENT, connectedChild, startFitbitTestbed } from "../../test/fake-fitbit/setup.ts";
import { startTestApp } from "../../test/harness.ts";
import { dailyLogs, users, wearableConnections, wearableRevocations } from "../db/schema/index.ts";
import { SignJWT } from "jose";

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
    description: `The access token ${at} has been expired and needs to be refreshed.`,
  }),
  invalid: (at: string) => ({
    code: 400,
    message: "Access token invalid.",
    description:
      `The access token ${at} is invalid. Please make a new Fitbit Auth Data request and try again.`,
  }),
  refreshInvalid: (rt: string) => ({
    code: 400,
    message: "Refresh token invalid.",
    description:
      `The refresh token ${rt} is invalid. Please make a new Fitbit Auth Data request and try again.`,
  }),
  rateLimit: (at: string) => ({
    code: 400,
    message: `Data request limit for access token ${at} has expired.`,
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

Deno.test("POST auth checks the token with Fitbit, stores it sealed; GET auth shows it (refresh token to applications only)", async () => {
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
  assertEquals(await asApp.json(), {
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    status: "valid_token",
  });
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
  const got = ingest.of(child.id);
  assertEquals(got.activities, [{
    child_id: child.id,
    name: "Walk",
    start_time: "2020-09-01T13:00:00.000Z",
    end_time: "2020-09-01T13:30:00.000Z",
    duration: 1800000,
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
  // Local times read in America/Recife (UTC−3), not relabelled as UTC.
  assertEquals(got.sleep, [
    {
      child_id: child.id,
      start_time: "2020-09-01T02:00:00.000Z",
      end_time: "2020-09-01T09:30:00.000Z",
      duration: 27000000,
      type: "stages",
      pattern: {
        data_set: [
          { start_time: "2020-09-01T02:00:00.000Z", name: "awake", duration: 600000 },
          { start_time: "2020-09-01T02:10:00.000Z", name: "light", duration: 26400000 },
        ],
      },
    },
    {
      child_id: child.id,
      start_time: "2020-08-20T01:00:00.000Z",
      end_time: "2020-08-20T09:00:00.000Z",
      duration: 28800000,
      type: "classic",
      pattern: {
        data_set: [
          { start_time: "2020-08-20T01:00:00.000Z", name: "awake", duration: 300000 },
          { start_time: "2020-08-20T01:05:00.000Z", name: "asleep", duration: 27000000 },
          { start_time: "2020-08-20T08:35:00.000Z", name: "restless", duration: 1500000 },
        ],
      },
    },
  ]);
  assertEquals(got.weights, [{
    child_id: child.id,
    timestamp: "2020-08-20T10:12:44.000Z",
    value: 38.2,
    unit: "kg",
    body_fat: 18.5,
  }]);
  const day = (type: string) => got.logs.find((l) => l.type === type && l.date === "2020-09-01");
  assertEquals(day("steps"), { type: "steps", date: "2020-09-01", value: 8211 });
  assertEquals(day("active_minutes")?.value, 15);
  // Tracking stored every item it was handed (nothing refused by its validation).
  assertEquals(
    ingest.calls.filter((c) => c.childId === child.id).every((c) => c.stored === c.count),
    true,
  );

  // And the child's data reads back through the tracking routes, in their own formats.
  const read = async (resource: string) => {
    const res = await t.request("GET", `/v1/children/${child.id}/${resource}`, {
      token: child.token,
    });
    assertEquals(res.status, 200, resource);
    return await res.json();
  };
  const [activity] = await read("physicalactivities");
  assertEquals([activity.start_time, activity.end_time, activity.distance], [
    "2020-09-01T13:00:00",
    "2020-09-01T13:30:00",
    2100,
  ]);
  assertEquals(activity.heart_rate.fat_burn_zone, { min: 94, max: 131, duration: 1200000 });
  const sleeps = await read("sleep?sort=start_time");
  assertEquals(sleeps.map((z: { start_time: string }) => z.start_time), [
    "2020-08-20T01:00:00",
    "2020-09-01T02:00:00",
  ]);
  assertEquals(sleeps[1].pattern.summary.awake, { count: 1, duration: 600000 });
  const [stored] = await read("weights");
  assertEquals([stored.timestamp, stored.value, stored.unit, stored.body_fat], [
    "2020-08-20T10:12:44",
    38.2,
    "kg",
    18.5,
  ]);
  const [fat] = await read("bodyfats");
  assertEquals([fat.timestamp, fat.value, fat.unit], ["2020-08-20T10:12:44.000Z", 18.5, "%"]);
  const steps = await read("logs/steps/date/2020-08-31/2020-09-01");
  assertEquals(steps, [{ date: "2020-08-31", value: 0 }, { date: "2020-09-01", value: 8211 }]);

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

/** Rows the child has in each tracking table (the tracking lists' X-Total-Count and the logs). */
async function totals(childId: string): Promise<number[]> {
  const token = await t.tokenFor({ id: childId, type: "child" });
  const counts = await Promise.all(
    ["physicalactivities", "sleep", "weights", "bodyfats"].map(async (resource) => {
      const res = await t.request("GET", `/v1/children/${childId}/${resource}?limit=1`, { token });
      await res.body?.cancel();
      return Number(res.headers.get("X-Total-Count"));
    }),
  );
  const [{ logs }] = await t.db.select({ logs: sql<number>`count(*)` }).from(dailyLogs)
    .where(eq(dailyLogs.childId, childId));
  return [...counts, logs];
}

Deno.test("a second sync stores nothing new and re-reads only the last week of daily series", async () => {
  const { child } = await childWithData();
  assertEquals(
    (await t.request("POST", path(child.id, "/sync"), { token: child.token })).status,
    200,
  );
  const before = ingest.calls.filter((c) => c.childId === child.id && c.kind !== "logs").length;
  const stored = await totals(child.id);
  assertEquals(stored.slice(0, 4), [1, 2, 1, 1]);
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
  assertEquals(
    ingest.calls.filter((c) => c.childId === child.id && c.kind !== "logs").length,
    before,
  );
  assertEquals(ingest.of(child.id).activities.length, 1);
  assertEquals(await totals(child.id), stored);
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
  const grant = fake.grantOf(tokens.refresh_token) ?? fake.grantOf(view.refresh_token)!;
  assertEquals(view.refresh_token, grant.refreshToken);
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
    assertEquals(ingest.of(child.id).activities, []);
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
  assertEquals(ingest.of(child.id).weights[0].timestamp, "2020-08-20T10:12:44.000Z");
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
  assertEquals(ingest.of(child.id).activities.length, 1);
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
