import { eq } from "drizzle-orm";
import { assertEquals, assertTrue } from "../../../../test/assert.ts";
import {
  activity,
  classicSleep,
  stagesSleep,
  weight,
} from "../../../../test/fake-fitbit/samples.ts";
import {
  CLIENT,
  connectedChild,
  startFitbitTestbed,
  trackedData,
} from "../../../../test/fake-fitbit/setup.ts";
import { users, wearableConnections, wearableRevocations } from "../../../db/schema/index.ts";
import { SignJWT } from "jose";
import { maskToken } from "../../errors.ts";

// The legacy Fitbit adapter's own ways of FB2 and FB4 (fitbit.md §1.3, §1.5, §3.2): the
// introspect call, JWT claims, transport failures, and which token revokes. The scenarios
// shared with Google Health are in src/wearables/*.test.ts.
const bed = await startFitbitTestbed();
const { t, fake } = bed;
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
