/**
 * The common checks before every Health call (google-health.md §6.3 steps 1–5), in order, with the
 * error bodies of §4.3–§4.4; and the identity, settings and profile answers (§2, §3.6).
 */
import { assertEquals, assertMatch } from "../assert.ts";
import { api, testWithFake } from "./client.ts";
import type { FakeGoogleHealth } from "./server.ts";
import { connectedUser } from "./setup.ts";

const METHOD = "google.devicesandservices.health.v4.DataPointsService.ListDataPoints";
const SLEEP = "/v4/users/me/dataTypes/sleep/dataPoints";

const cases: {
  name: string;
  setup: (fake: FakeGoogleHealth, clock: { now: number }) => string | undefined;
  status: number;
  code: string;
  reason?: string;
}[] = [
  {
    name: "no bearer",
    setup: () => undefined,
    status: 401,
    code: "UNAUTHENTICATED",
    reason: "CREDENTIALS_MISSING",
  },
  {
    name: "an expired token",
    setup: (fake, clock) => {
      const t = connectedUser(fake).tokens.access_token;
      clock.now += 3_600_000;
      return t;
    },
    status: 401,
    code: "UNAUTHENTICATED",
    reason: "ACCESS_TOKEN_EXPIRED",
  },
  { name: "an unknown token", setup: () => "ya29.unknown", status: 401, code: "UNAUTHENTICATED" },
  {
    name: "a user without a Health profile",
    setup: (fake) => connectedUser(fake, { user: { hasHealthProfile: false } }).tokens.access_token,
    status: 400,
    code: "FAILED_PRECONDITION",
    reason: "ACCOUNT_NOT_LINKED",
  },
  {
    name: "a legacy Fitbit login",
    setup: (fake) => connectedUser(fake, { user: { legacyFitbitLogin: true } }).tokens.access_token,
    status: 403,
    code: "PERMISSION_DENIED",
  },
  {
    name: "a token without the sleep scope",
    setup: (fake) =>
      connectedUser(fake, { scopes: ["activity_and_fitness.readonly"] }).tokens.access_token,
    status: 403,
    code: "PERMISSION_DENIED",
    reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
  },
];

for (const c of cases) {
  testWithFake(`${c.name}: ${c.status} ${c.code} ${c.reason ?? "(no reason)"}`, async (fake) => {
    const clock = { now: Date.parse("2026-09-01T12:00:00Z") };
    fake.now = () => clock.now;
    const res = await api(fake, c.setup(fake, clock), SLEEP);
    assertEquals(res.status, c.status);
    assertEquals(res.body.error.code, c.status);
    assertEquals(res.body.error.status, c.code);
    assertEquals(typeof res.body.error.message, "string");
    const details = c.reason === undefined ? undefined : [{
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: c.reason,
      domain: "googleapis.com",
      metadata: { service: "health.googleapis.com", method: METHOD },
    }];
    assertEquals(res.body.error.details, details);
  });
}

testWithFake("a scope error names the scope in WWW-Authenticate", async (fake) => {
  const { tokens } = connectedUser(fake, { scopes: ["sleep.readonly"] });
  const res = await api(fake, tokens.access_token, "/v4/users/me/dataTypes/weight/dataPoints");
  assertMatch(
    res.headers.get("WWW-Authenticate") ?? "",
    /error="insufficient_scope".*googlehealth\.health_metrics_and_measurements\.readonly/,
  );
});

testWithFake("the legacy-login message names UberMint", async (fake) => {
  const { tokens } = connectedUser(fake, { user: { legacyFitbitLogin: true } });
  const res = await api(fake, tokens.access_token, SLEEP);
  assertMatch(res.body.error.message, /Could not mint UberMint from GaiaMint/);
});

const identities = [
  { legacyUserId: "7QX9KP", expected: { legacyUserId: "7QX9KP" } },
  { legacyUserId: null, expected: {} },
];

for (const c of identities) {
  testWithFake(`identity with legacyUserId ${c.legacyUserId}`, async (fake) => {
    const { tokens } = connectedUser(fake, {
      user: { healthUserId: "314159265358979323", legacyUserId: c.legacyUserId },
      scopes: ["sleep.readonly"],
    });
    const res = await api(fake, tokens.access_token, "/v4/users/me/identity");
    assertEquals(res.body, {
      name: "users/me/identity",
      healthUserId: "314159265358979323",
      ...c.expected,
    });
  });
}

testWithFake("settings give the time zone and its current offset", async (fake) => {
  fake.now = () => Date.parse("2026-09-01T12:00:00Z");
  const { tokens } = connectedUser(fake, { user: { timeZone: "America/Recife" } });
  const res = await api(fake, tokens.access_token, "/v4/users/me/settings");
  assertEquals(res.body, {
    name: "users/me/settings",
    timeZone: "America/Recife",
    utcOffset: "-10800s",
  });
});

testWithFake("settings need settings.readonly", async (fake) => {
  const { tokens } = connectedUser(fake, { scopes: ["sleep.readonly"] });
  const res = await api(fake, tokens.access_token, "/v4/users/me/settings");
  assertEquals(res.body.error.details[0].reason, "ACCESS_TOKEN_SCOPE_INSUFFICIENT");
});

testWithFake("another user's id in the path is refused; the own id works", async (fake) => {
  const { user, tokens } = connectedUser(fake);
  const own = await api(fake, tokens.access_token, `/v4/users/${user.healthUserId}/identity`);
  assertEquals(own.status, 200);
  const other = await api(fake, tokens.access_token, "/v4/users/999/identity");
  assertEquals([other.status, other.body.error.status], [403, "PERMISSION_DENIED"]);
});

testWithFake("unknown paths under /v4 are 404 NOT_FOUND in the JSON envelope", async (fake) => {
  const { tokens } = connectedUser(fake);
  const res = await api(fake, tokens.access_token, "/v4/users/me/nothing");
  assertEquals([res.status, res.body.error.status], [404, "NOT_FOUND"]);
});
