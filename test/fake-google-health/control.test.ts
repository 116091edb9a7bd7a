/**
 * The `/__fake` control surface over HTTP (google-health.md §6.7), for a fake in another process:
 * seeding users, data and grants, consent, clock, configuration, faults, the log, notifications,
 * reset; bad bodies answer 400 and change nothing; control calls are never logged.
 */
import { assertEquals, assertMatch } from "../assert.ts";
import { api, list, testWithFake } from "./client.ts";
import type { FakeGoogleHealth } from "./server.ts";
import { authorizationUrl } from "./setup.ts";
import { steps } from "./samples.ts";

async function control(fake: FakeGoogleHealth, method: string, path: string, body?: unknown) {
  const res = await fetch(`${fake.url}/__fake${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

testWithFake("seed a user, data and a grant over HTTP, then read the data", async (fake) => {
  const user = await control(fake, "POST", "/users", {
    healthUserId: "42",
    legacyUserId: "7QX9KP",
  });
  assertEquals([user.status, user.body.healthUserId, user.body.legacyUserId], [
    200,
    "42",
    "7QX9KP",
  ]);
  const data = await control(fake, "PUT", "/users/42/data", {
    dataPoints: [steps("2026-09-01", 5)],
  });
  assertEquals(data.status, 200);
  const grant = await control(fake, "POST", "/grants", {
    healthUserId: "42",
    scopes: ["activity_and_fitness.readonly"],
  });
  assertEquals(Object.keys(grant.body).sort(), [
    "access_token",
    "expires_in",
    "grantId",
    "refresh_token",
    "scope",
  ]);
  const res = await list(fake, grant.body.access_token, "steps");
  assertEquals(res.body.dataPoints.length, 1);
  assertEquals(fake.calls().length, 1, "control calls are not logged");
});

testWithFake("POST data appends, PUT replaces", async (fake) => {
  await control(fake, "POST", "/users", { healthUserId: "42" });
  await control(fake, "PUT", "/users/42/data", { dataPoints: [steps("2026-09-01", 1)] });
  await control(fake, "POST", "/users/42/data", { dataPoints: [steps("2026-09-02", 2)] });
  assertEquals(fake.state.user("42").data.points.get("steps")?.length, 2);
  await control(fake, "PUT", "/users/42/data", { dataPoints: [] });
  assertEquals(fake.state.user("42").data.points.get("steps"), undefined);
});

const badBodies: { name: string; method: string; path: string; body: unknown; error: RegExp }[] = [
  {
    name: "a user with an unknown key",
    method: "POST",
    path: "/users",
    body: { constructor: 1 },
    error: /constructor/,
  },
  {
    name: "a user id with a slash",
    method: "POST",
    path: "/users",
    body: { healthUserId: "a/b" },
    error: /healthUserId/,
  },
  {
    name: "data for an unknown user",
    method: "PUT",
    path: "/users/nobody/data",
    body: {},
    error: /unknown healthUserId/,
  },
  {
    name: "a point without payload",
    method: "PUT",
    path: "/users/42/data",
    body: { dataPoints: [{ x: 1 }] },
    error: /payload key/,
  },
  {
    name: "a grant for an unknown user",
    method: "POST",
    path: "/grants",
    body: { healthUserId: "nobody" },
    error: /unknown/,
  },
  {
    name: "a fault without action",
    method: "POST",
    path: "/faults",
    body: { match: {} },
    error: /action/,
  },
  {
    name: "a clock with text",
    method: "PUT",
    path: "/clock",
    body: { now: "yesterday" },
    error: /epoch/,
  },
  {
    name: "a config with a wrong type",
    method: "PUT",
    path: "/config",
    body: { latencyMs: "50" },
    error: /latencyMs/,
  },
  { name: "no JSON", method: "POST", path: "/consent", body: undefined, error: /./ },
];

for (const c of badBodies) {
  testWithFake(`${c.name}: 400 {error}`, async (fake) => {
    fake.addUser({ healthUserId: "42" });
    const before = JSON.stringify(fake.config);
    const res = await control(fake, c.method, c.path, c.body);
    assertEquals(res.status, 400);
    assertMatch(res.body.error, c.error);
    assertEquals(JSON.stringify(fake.config), before);
    assertEquals(fake.faults.length, 0);
  });
}

testWithFake("consent over HTTP: refuse, then approve", async (fake) => {
  await control(fake, "POST", "/users", { healthUserId: "42" });
  const url = authorizationUrl(fake, { redirectUri: "http://127.0.0.1:9/cb" });
  const location = async () => {
    const res = await fetch(url, { redirect: "manual" });
    await res.body?.cancel();
    return new URL(res.headers.get("Location")!).searchParams;
  };
  await control(fake, "POST", "/consent", { refuse: true });
  assertEquals((await location()).get("error"), "access_denied");
  await control(fake, "POST", "/consent", {
    approve: true,
    healthUserId: "42",
    scopes: ["sleep.readonly"],
  });
  assertMatch((await location()).get("scope") ?? "", /sleep\.readonly$/);
});

testWithFake("clock: set, then advance; tokens expire with it", async (fake) => {
  await control(fake, "PUT", "/clock", { now: "2026-09-01T12:00:00Z" });
  await control(fake, "POST", "/users", { healthUserId: "42" });
  const { body: grant } = await control(fake, "POST", "/grants", { healthUserId: "42" });
  const moved = await control(fake, "PUT", "/clock", { advanceMs: 3_600_000 });
  assertEquals(moved.body.now, Date.parse("2026-09-01T13:00:00Z"));
  const res = await api(fake, grant.access_token, "/v4/users/me/identity");
  assertEquals(res.body.error.details[0].reason, "ACCESS_TOKEN_EXPIRED");
});

testWithFake("faults and config over HTTP; the log filtered by endpoint; reset", async (fake) => {
  await control(fake, "POST", "/users", { healthUserId: "42" });
  const { body: grant } = await control(fake, "POST", "/grants", { healthUserId: "42" });
  await control(fake, "PUT", "/config", { perUserPerMinute: 1 });
  await control(fake, "POST", "/faults", {
    match: { endpoint: "identity", pathRegex: "identity$" },
    times: "always",
    action: { apiError: "UNAVAILABLE" },
  });
  assertEquals((await api(fake, grant.access_token, "/v4/users/me/identity")).status, 503);
  assertEquals((await api(fake, grant.access_token, "/v4/users/me/settings")).status, 200);
  assertEquals((await api(fake, grant.access_token, "/v4/users/me/settings")).status, 429);
  const log = await control(fake, "GET", "/requests?endpoint=identity");
  assertEquals(log.body.map((e: { status: number }) => e.status), [503]);
  const stats = await control(fake, "GET", "/stats");
  assertEquals(stats.body, { calls: 3, peakPerUserMinute: 2, quotaRefusals: 1 });
  await control(fake, "POST", "/reset");
  assertEquals([
    fake.log.length,
    fake.faults.length,
    fake.state.users.size,
    fake.config.perUserPerMinute,
  ], [0, 0, 0, 300]);
});
