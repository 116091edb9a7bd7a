import { eq } from "drizzle-orm";
import { assertEquals } from "../../test/assert.ts";
import { activity, stagesSleep, weight } from "../../test/fake-fitbit/samples.ts";
import { FakeFitbit } from "../../test/fake-fitbit/server.ts";
import { trackingRows } from "../../test/fake-fitbit/setup.ts";
import { wearableConnections, wearableRevocations } from "../db/schema/index.ts";
import { createProviders } from "./providers/registry.ts";
import { connectionOf, googleBed, googleSamples, submit, wearablePath } from "./testing.ts";
import { Wearables } from "./wearables.service.ts";

// A child connected to the legacy Fitbit Web API moves to Google Health (google-health.md
// §2.3): one google_health connection remains, the legacy grant's revoke is tried once (the
// legacy API answers 410), the child's history stays, and a period both providers report
// is stored once.

const fitbit = await FakeFitbit.start();
const bed = await googleBed({
  FITBIT_CLIENT_ID: "23ABCD",
  FITBIT_CLIENT_SECRET: "fake-secret",
  FITBIT_API_URL: fitbit.url,
  FITBIT_AUTHORIZE_URL: `${fitbit.url}/oauth2/authorize`,
});
const { t, fake } = bed;
fitbit.now = t.clock.now;

/** The same service still on Fitbit (the deployment before it switched providers). */
const legacyConfig = { ...t.deps.config, WEARABLE_PROVIDER: "fitbit" as const };
const legacy = new Wearables({
  db: t.db,
  config: legacyConfig,
  cipher: t.deps.wearables.cipher,
  ingest: t.ingest,
  log: t.deps.log,
  now: t.clock.now,
  providers: createProviders(legacyConfig, t.clock.now),
});

/**
 * A child synced through Fitbit, whose records are the ones Google reports too (same
 * instants: the activity at 13:00Z, the night from 02:00Z, the weight at 10:12:44Z).
 */
async function legacyChild() {
  const child = await t.login("child");
  const user = fitbit.addUser({
    profile: { timezone: "America/Recife", offsetFromUTCMillis: -10_800_000 },
    activities: [activity({ startTime: "2026-09-01T10:00:00.000-03:00" })],
    sleep: [stagesSleep({ dateOfSleep: "2026-09-01", startTime: "2026-08-31T23:00:00.000" })],
    weights: [weight({ date: "2026-08-20", time: "07:12:44" })],
    series: { steps: { "2026-09-01": "8211" } },
  });
  const tokens = await fitbit.grant({ userId: user.id });
  await legacy.connectSubmitted(child.id, tokens);
  const counts = await legacy.sync.syncChild(child.id);
  assertEquals([counts.activities, counts.sleep, counts.weights], [1, 1, 1]);
  return { child, fitbitUser: user.id, fitbitTokens: tokens };
}

const revocations = (childId: string) =>
  t.db.select().from(wearableRevocations).where(eq(wearableRevocations.childId, childId));

/** The two ways a child connects Google Health. */
const paths = {
  "submitted tokens": async (child: { id: string; token: string }, legacyUserId: string) => {
    const { tokens } = await bed.user({ legacyUserId });
    await submit(t, child, tokens);
  },
  "the platform flow": async (child: { id: string; token: string }, legacyUserId: string) => {
    const { userId } = await bed.user({ legacyUserId, noGrant: true });
    fake.setData(userId, googleSamples());
    const res = await t.request("POST", wearablePath(child.id, "/authorize"), {
      token: child.token,
    });
    const back = await bed.consent((await res.json()).authorization_url, { userId });
    const done = await t.request("GET", back);
    assertEquals(done.status, 200);
    await done.body?.cancel();
  },
};

for (const [how, connect] of Object.entries(paths)) {
  Deno.test(`migration by ${how}: one Google Health connection, the legacy revoke tried once, history kept, nothing stored twice`, async () => {
    const { child, fitbitUser, fitbitTokens } = await legacyChild();
    const history = await trackingRows(t, child.id);

    await connect(child, fitbitUser);
    const rows = await t.db.select().from(wearableConnections)
      .where(eq(wearableConnections.childId, child.id));
    assertEquals(rows.map((r) => [r.provider, r.legacyUserId]), [["google_health", fitbitUser]]);
    assertEquals((await revocations(child.id)).map((r) => r.provider), ["fitbit"]);

    // The legacy API is off: its revoke answers 410 once, which completes the revocation.
    fitbit.gone = true;
    fitbit.requests = [];
    try {
      assertEquals(await t.deps.wearables.revoker.processDue(), { confirmed: 1, waiting: 0 });
      await t.deps.wearables.revoker.processDue();
    } finally {
      fitbit.gone = false;
    }
    assertEquals(fitbit.requests.map((r) => [r.path, r.status]), [["/oauth2/revoke", 410]]);
    assertEquals(await revocations(child.id), []);
    assertEquals(fitbit.grantOf(fitbitTokens.access_token)?.revoked, false);

    // Google reports the same period: nothing new is stored, the history stays as it was.
    const res = await t.request("POST", wearablePath(child.id, "/sync"), { token: child.token });
    const body = await res.json();
    assertEquals(res.status, 200);
    assertEquals([body.activities, body.sleep, body.weights], [0, 0, 0]);
    assertEquals(await trackingRows(t, child.id), history);
  });
}

Deno.test("migration: a legacy account linked to another child is accepted for this child; the other child keeps its connection", async () => {
  const other = await legacyChild();
  const child = await t.login("child");
  const { tokens } = await bed.user({ legacyUserId: other.fitbitUser });
  await submit(t, child, tokens);
  assertEquals((await connectionOf(t, child.id)).provider, "google_health");
  const kept = await connectionOf(t, other.child.id);
  assertEquals([kept.provider, kept.externalUserId], ["fitbit", other.fitbitUser]);
  assertEquals(await revocations(other.child.id), []);
});

Deno.test("(close the testbed and the fake Fitbit)", async () => {
  await bed.close();
  await fitbit.close();
});
