import { eq } from "drizzle-orm";
import { assertEquals, assertTrue } from "../../../../test/assert.ts";
import { CLIENT, trackedData } from "../../../../test/fake-fitbit/setup.ts";
import { wearableConnections, wearableRevocations } from "../../../db/schema/index.ts";
import { SignJWT } from "jose";
import { fitbitSuite } from "./testing.ts";
import { patterns } from "../../testing.ts";

// The legacy Fitbit adapter's own ways of FB2 and FB4 (fitbit.md §1.3, §1.5, §3.2): the
// introspect call, JWT claims, transport failures, and which token revokes. The scenarios
// shared with Google Health are in src/wearables/*.test.ts.
const { bed, t, fake, application, path, childRow, childWithData, clearFaults } =
  await fitbitSuite();

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

Deno.test("POST auth: expired token → Access token expired; revoked → Access token invalid; other client → invalid", async () => {
  const child = await t.login("child");
  const user = fake.addUser();
  const expired = await fake.grant({ userId: user.id, lifetimeSeconds: -60 });
  let res = await t.request("POST", path(child.id, "/auth"), { token: child.token, body: expired });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), patterns.accessExpired(expired.access_token));

  const revoked = await fake.grant({ userId: user.id });
  fake.grantOf(revoked.access_token)!.revoked = true;
  res = await t.request("POST", path(child.id, "/auth"), { token: child.token, body: revoked });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), patterns.accessInvalid(revoked.access_token));

  const foreign = await new SignJWT({ aud: "OTHER1", sub: user.id, scopes: "ract", exp: 2e9 })
    .setProtectedHeader({ alg: "HS256" }).sign(new Uint8Array(32));
  res = await t.request("POST", path(child.id, "/auth"), {
    token: child.token,
    body: { access_token: foreign, refresh_token: "abc" },
  });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), patterns.accessInvalid(foreign));
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
    assertEquals(await res.json(), patterns.unavailable);
  });
}

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
  assertEquals(await sync.json(), patterns.noAuthData);
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
  assertEquals(await res.json(), patterns.invalidClient);
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
