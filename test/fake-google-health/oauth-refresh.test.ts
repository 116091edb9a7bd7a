/**
 * Refresh at `POST /token` (google-health.md §1.4, §1.5, §6.2): the refresh token stays (it is
 * absent from the answer and keeps working), a grant of another client is `unauthorized_client`,
 * and every way a grant dies answers `invalid_grant`.
 */
import { assertEquals, assertTrue } from "../assert.ts";
import { api, refresh, testWithFake } from "./client.ts";
import type { FakeGoogleHealth } from "./server.ts";
import { connectedUser } from "./setup.ts";

const DAY = 86_400_000;

testWithFake("a refresh answers a new access token and keeps the refresh token", async (fake) => {
  const { tokens } = connectedUser(fake);
  const first = await refresh(fake, tokens.refresh_token);
  assertEquals(first.status, 200);
  assertEquals(Object.keys(first.body).sort(), [
    "access_token",
    "expires_in",
    "scope",
    "token_type",
  ]);
  assertTrue(first.body.access_token !== tokens.access_token);
  assertEquals(first.body.scope, tokens.scope);
  const second = await refresh(fake, tokens.refresh_token);
  assertEquals(second.status, 200, "the same refresh token works again");
  const identity = await api(fake, second.body.access_token, "/v4/users/me/identity");
  assertEquals(identity.status, 200);
});

testWithFake(
  "rotateRefreshTokens: the answer carries a new one and the old stays valid",
  async (fake) => {
    fake.configure({ rotateRefreshTokens: true });
    const { tokens } = connectedUser(fake);
    const first = await refresh(fake, tokens.refresh_token);
    assertTrue(typeof first.body.refresh_token === "string");
    assertTrue(first.body.refresh_token !== tokens.refresh_token);
    assertEquals((await refresh(fake, tokens.refresh_token)).status, 200);
  },
);

testWithFake("a refresh by another client is 401 unauthorized_client", async (fake) => {
  fake.addClient({ clientId: "other.apps.googleusercontent.com", clientSecret: "s2" });
  const { tokens } = connectedUser(fake);
  const res = await refresh(fake, tokens.refresh_token, {
    client_id: "other.apps.googleusercontent.com",
    client_secret: "s2",
  });
  assertEquals(res.status, 401);
  assertEquals(res.body, { error: "unauthorized_client", error_description: "Unauthorized" });
});

/** Ways a grant dies, each applied after the grant was issued at `now`. */
const deaths: {
  name: string;
  kill: (fake: FakeGoogleHealth, grantId: string, clock: { now: number }) => void;
  testing?: boolean;
}[] = [
  { name: "revoked by the user", kill: (fake, id) => fake.revokeGrant(id) },
  { name: "unused for 180 days", kill: (_, __, clock) => void (clock.now += 180 * DAY) },
  {
    name: "7 days old on a testing-mode client",
    testing: true,
    kill: (_, __, clock) => void (clock.now += 7 * DAY),
  },
];

for (const death of deaths) {
  testWithFake(`a grant ${death.name} answers 400 invalid_grant`, async (fake) => {
    const clock = { now: Date.parse("2026-09-01T12:00:00Z") };
    fake.now = () => clock.now;
    if (death.testing) {
      fake.addClient({
        clientId: "t.apps.googleusercontent.com",
        clientSecret: "t",
        mode: "testing",
      });
    }
    const { tokens } = connectedUser(fake, {
      clientId: death.testing ? "t.apps.googleusercontent.com" : undefined,
    });
    const form = death.testing
      ? { client_id: "t.apps.googleusercontent.com", client_secret: "t" }
      : {};
    assertEquals((await refresh(fake, tokens.refresh_token, form)).status, 200, "alive at first");
    death.kill(fake, tokens.grantId, clock);
    const res = await refresh(fake, tokens.refresh_token, form);
    assertEquals(res.status, 400);
    assertEquals(res.body, {
      error: "invalid_grant",
      error_description: "Token has been expired or revoked.",
    });
  });
}

testWithFake(
  "badRequestAfterDeath: 12 h after death the description is Bad Request",
  async (fake) => {
    const clock = { now: Date.parse("2026-09-01T12:00:00Z") };
    fake.now = () => clock.now;
    fake.configure({ badRequestAfterDeath: true });
    const { tokens } = connectedUser(fake);
    fake.revokeGrant(tokens.grantId);
    assertEquals(
      (await refresh(fake, tokens.refresh_token)).body.error_description,
      "Token has been expired or revoked.",
    );
    clock.now += 12 * 3_600_000 + 1;
    assertEquals((await refresh(fake, tokens.refresh_token)).body, {
      error: "invalid_grant",
      error_description: "Bad Request",
    });
  },
);

testWithFake("the per-client cap evicts the oldest refresh token", async (fake) => {
  fake.configure({ refreshTokenCap: 2 });
  const { user, tokens: oldest } = connectedUser(fake);
  fake.grant({ healthUserId: user.healthUserId });
  fake.grant({ healthUserId: user.healthUserId });
  assertEquals((await refresh(fake, oldest.refresh_token)).body.error, "invalid_grant");
});

testWithFake("an unknown refresh token or none: invalid_grant / invalid_request", async (fake) => {
  const unknown = await refresh(fake, "1//nothing");
  assertEquals(unknown.status, 400);
  assertEquals(unknown.body, { error: "invalid_grant", error_description: "Bad Request" });
  const none = await refresh(fake, "");
  assertEquals(none.status, 400);
  assertEquals(none.body.error, "invalid_request");
});

testWithFake("an access token expires after one hour (401 ACCESS_TOKEN_EXPIRED)", async (fake) => {
  const clock = { now: Date.parse("2026-09-01T12:00:00Z") };
  fake.now = () => clock.now;
  const { tokens } = connectedUser(fake);
  clock.now += 3_599_000;
  assertEquals((await api(fake, tokens.access_token, "/v4/users/me/identity")).status, 200);
  clock.now += 1_000;
  const res = await api(fake, tokens.access_token, "/v4/users/me/identity");
  assertEquals(res.status, 401);
  assertEquals(res.body.error.details[0].reason, "ACCESS_TOKEN_EXPIRED");
});
