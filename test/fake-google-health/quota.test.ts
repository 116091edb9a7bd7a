/**
 * Quotas (google-health.md §4.1–§4.2, §6.6): 300 calls per user in a sliding minute, then 429
 * `RESOURCE_EXHAUSTED` / `RATE_LIMIT_EXCEEDED` with a QuotaFailure detail; other users keep
 * their budget; the window slides with the clock; `Retry-After` only when switched on; the
 * per-project limit; OAuth calls counted only on request.
 */
import { assertEquals, assertTrue } from "../assert.ts";
import { api, refresh, testWithFake } from "./client.ts";
import type { FakeGoogleHealth } from "./server.ts";
import { connectedUser } from "./setup.ts";

const identity = (fake: FakeGoogleHealth, token: string) =>
  api(fake, token, "/v4/users/me/identity");

async function spend(fake: FakeGoogleHealth, token: string, n: number) {
  const statuses = await Promise.all(
    Array.from({ length: n }, async () => (await identity(fake, token)).status),
  );
  return statuses;
}

testWithFake("the 301st call in a minute is 429 with Google's quota body", async (fake) => {
  fake.now = () => Date.parse("2026-09-01T12:00:00Z");
  const { tokens } = connectedUser(fake);
  const statuses = await spend(fake, tokens.access_token, 300);
  assertEquals(statuses.filter((s) => s === 200).length, 300);
  const res = await identity(fake, tokens.access_token);
  assertEquals(res.status, 429);
  assertEquals(res.headers.get("Retry-After"), null, "no Retry-After by default");
  const { error } = res.body;
  assertEquals([error.code, error.status], [429, "RESOURCE_EXHAUSTED"]);
  assertEquals(error.details[0].reason, "RATE_LIMIT_EXCEEDED");
  assertEquals(error.details[0].domain, "googleapis.com");
  assertEquals(error.details[1]["@type"], "type.googleapis.com/google.rpc.QuotaFailure");
  assertTrue(error.details[1].violations.length > 0);
});

testWithFake("another user keeps a full budget", async (fake) => {
  fake.configure({ perUserPerMinute: 5 });
  const a = connectedUser(fake).tokens.access_token;
  const b = connectedUser(fake).tokens.access_token;
  await spend(fake, a, 5);
  assertEquals((await identity(fake, a)).status, 429);
  assertEquals((await identity(fake, b)).status, 200);
});

testWithFake(
  "the window slides: a slot frees 60 s after the oldest admitted call",
  async (fake) => {
    const clock = { now: Date.parse("2026-09-01T12:00:00Z") };
    fake.now = () => clock.now;
    fake.configure({ perUserPerMinute: 3 });
    const { tokens } = connectedUser(fake);
    await spend(fake, tokens.access_token, 1);
    clock.now += 30_000;
    await spend(fake, tokens.access_token, 2);
    assertEquals((await identity(fake, tokens.access_token)).status, 429);
    clock.now += 29_999;
    assertEquals((await identity(fake, tokens.access_token)).status, 429, "refusals take no slot");
    clock.now += 1;
    assertEquals((await identity(fake, tokens.access_token)).status, 200);
    assertEquals((await identity(fake, tokens.access_token)).status, 429);
  },
);

testWithFake("retryAfter on: 429 carries the seconds until a slot frees", async (fake) => {
  const clock = { now: Date.parse("2026-09-01T12:00:00Z") };
  fake.now = () => clock.now;
  fake.configure({ perUserPerMinute: 1, retryAfter: true });
  const { tokens } = connectedUser(fake);
  await spend(fake, tokens.access_token, 1);
  clock.now += 20_000;
  assertEquals((await identity(fake, tokens.access_token)).headers.get("Retry-After"), "40");
});

testWithFake("the per-project limit holds across users", async (fake) => {
  fake.configure({ perProjectPerMinute: 4 });
  const a = connectedUser(fake).tokens.access_token;
  const b = connectedUser(fake).tokens.access_token;
  await spend(fake, a, 2);
  await spend(fake, b, 2);
  assertEquals((await identity(fake, b)).status, 429);
});

testWithFake("OAuth calls do not count unless countOAuth is on", async (fake) => {
  fake.configure({ perUserPerMinute: 2 });
  const { tokens } = connectedUser(fake);
  for (let i = 0; i < 3; i++) assertEquals((await refresh(fake, tokens.refresh_token)).status, 200);
  fake.configure({ countOAuth: true });
  await refresh(fake, tokens.refresh_token);
  await refresh(fake, tokens.refresh_token);
  assertEquals((await refresh(fake, tokens.refresh_token)).status, 429);
});

testWithFake("calls refused before the quota (scope 403) take no slot", async (fake) => {
  fake.configure({ perUserPerMinute: 1 });
  const { tokens } = connectedUser(fake, { scopes: ["sleep.readonly"] });
  const refused = await api(fake, tokens.access_token, "/v4/users/me/dataTypes/steps/dataPoints");
  assertEquals(refused.status, 403);
  assertEquals((await identity(fake, tokens.access_token)).status, 200);
});

testWithFake(
  "the peak per user and minute counts every attempt, refused ones too",
  async (fake) => {
    fake.configure({ perUserPerMinute: 3 });
    const { tokens } = connectedUser(fake);
    await spend(fake, tokens.access_token, 5);
    assertEquals(fake.quota.peakPerUserMinute(), 5);
    assertEquals(fake.quota.refused, 2);
  },
);
