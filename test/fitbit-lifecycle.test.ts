import { eq } from "drizzle-orm";
import {
  wearableConnections,
  wearableRevocations,
  wearableSyncedItems,
} from "../src/db/schema/index.ts";
import { assertEquals, assertTrue } from "./assert.ts";
import { activity, stagesSleep, weight } from "./fake-fitbit/samples.ts";
import {
  connectedChild,
  startFitbitTestbed,
  trackedData,
  trackingRows,
  until,
} from "./fake-fitbit/setup.ts";

// A child's whole Fitbit life across the three parts: connect and sync (wearables), data
// stored and shown (tracking), deletion of the child (accounts) with its remote revoke.

const bed = await startFitbitTestbed();
const { t, fake } = bed;
const NOW = Date.parse("2020-09-02T12:00:00Z");
t.clock.time = NOW;
const admin = await t.login("admin");
const application = await t.login("application");

const noChild = (id: string) => ({
  code: 400,
  message: `There is no registered Child with ID: ${id} on the platform!`,
  description: "Please register the Child and try again...",
});

/** A connected child whose first sync stored activities, sleep, weights, body fats and logs. */
async function syncedChild() {
  const connected = await connectedChild(bed, {
    user: {
      profile: { timezone: "America/Recife", offsetFromUTCMillis: -10_800_000 },
      activities: [activity()],
      sleep: [stagesSleep()],
      weights: [weight()],
      series: { steps: { "2020-09-01": "8211" } },
    },
  });
  const res = await t.request("POST", `/v1/users/${connected.child.id}/fitbit/sync`, {
    token: connected.child.token,
  });
  assertEquals(res.status, 200);
  await res.body?.cancel();
  assertEquals(await trackingRows(t, connected.child.id), {
    physical_activities: 1,
    sleep: 1,
    measurements: 2,
    daily_logs: 5 * 367,
  });
  return connected;
}

/** The child's wearable rows: its connection, dedupe records and queued revocations. */
async function wearableRows(childId: string) {
  return {
    connections: await t.db.select().from(wearableConnections)
      .where(eq(wearableConnections.childId, childId)),
    synced: await t.db.select().from(wearableSyncedItems)
      .where(eq(wearableSyncedItems.childId, childId)),
    revocations: await t.db.select().from(wearableRevocations)
      .where(eq(wearableRevocations.childId, childId)),
  };
}

Deno.test("deleting a synced child as admin removes its tracking data and Fitbit connection; the revoke is queued, then completed by the background revoker", async () => {
  const { child, tokens } = await syncedChild();
  // Fitbit is down when the child is deleted: the prompt revoke attempt fails.
  fake.fault({ match: { path: /oauth2\/revoke/ }, action: { httpError: 503 } });
  const res = await t.request("DELETE", `/v1/users/${child.id}`, { token: admin.token });
  assertEquals(res.status, 204);
  await t.deps.wearables.revocationsSettled();

  assertEquals(await trackingRows(t, child.id), {
    physical_activities: 0,
    sleep: 0,
    measurements: 0,
    daily_logs: 0,
  });
  for (const resource of ["physicalactivities", "sleep", "weights", "bodyfats"]) {
    const list = await t.request("GET", `/v1/children/${child.id}/${resource}`, {
      token: application.token,
    });
    assertEquals([resource, list.status, await list.json()], [resource, 400, noChild(child.id)]);
  }
  const auth = await t.request("GET", `/v1/users/${child.id}/fitbit/auth`, {
    token: application.token,
  });
  assertEquals(auth.status, 400);
  assertEquals(await auth.json(), noChild(child.id));

  const rows = await wearableRows(child.id);
  assertEquals([rows.connections.length, rows.synced.length], [0, 0]);
  assertEquals(rows.revocations.map((r) => [r.attempts, r.lastError]), [[1, "unavailable"]]);
  assertTrue(!rows.revocations[0].tokens.includes(tokens.access_token), "tokens stay sealed");
  assertEquals(fake.grantOf(tokens.access_token)?.revoked, false);

  // Fitbit is back; the background revoker's next due run revokes the grant.
  t.clock.advance(61_000);
  fake.requests = [];
  assertEquals(await t.deps.wearables.revoker.processDue(), { confirmed: 1, waiting: 0 });
  t.clock.time = NOW;
  assertEquals(fake.requests.map((r) => [r.path, r.form]), [[
    "/oauth2/revoke",
    { token: tokens.access_token, token_type_hint: "access_token" },
  ]]);
  assertEquals(fake.grantOf(tokens.access_token)?.revoked, true);
  assertEquals((await wearableRows(child.id)).revocations, []);
});

Deno.test("deleting a connected child revokes at Fitbit right after the commit, without waiting for the revoker's loop", async () => {
  const { child, tokens } = await syncedChild();
  fake.requests = [];
  const res = await t.request("DELETE", `/v1/users/${child.id}`, { token: admin.token });
  assertEquals(res.status, 204);
  // Only the run the deletion started is awaited: no revoker tick is driven here.
  await t.deps.wearables.revocationsSettled();
  assertEquals(fake.requests.map((r) => [r.path, r.form]), [[
    "/oauth2/revoke",
    { token: tokens.access_token, token_type_hint: "access_token" },
  ]]);
  assertEquals(fake.grantOf(tokens.access_token)?.revoked, true);
  assertEquals((await wearableRows(child.id)).revocations, []);
});

Deno.test("deleting a child's data leaves other children's synced data alone", async () => {
  const kept = await syncedChild();
  const deleted = await syncedChild();
  const before = await trackedData(t, kept.child.id, application.token);
  const res = await t.request("DELETE", `/v1/users/${deleted.child.id}`, { token: admin.token });
  assertEquals(res.status, 204);
  await t.deps.wearables.revocationsSettled();
  assertEquals(await trackedData(t, kept.child.id, application.token), before);
  assertEquals((await wearableRows(kept.child.id)).connections.length, 1);
  assertEquals(fake.grantOf(kept.tokens.access_token)?.revoked, false);
});

Deno.test("a child deleted while its sync is fetching gets no data back: what the sync stored afterwards is removed", async () => {
  const { child, tokens } = await connectedChild(bed, {
    user: { activities: [activity()], weights: [weight()], sleep: [stagesSleep()] },
  });
  const hold = () => {
    let release!: () => void;
    return { until: new Promise<void>((resolve) => release = resolve), release: () => release() };
  };
  const fetching = hold(), revoking = hold();
  fake.fault({ match: { path: /activities\/list/ }, action: { waitFor: fetching.until } });
  fake.fault({ match: { path: /oauth2\/revoke/ }, action: { waitFor: revoking.until } });
  fake.requests = [];
  const syncing = t.request("POST", `/v1/users/${child.id}/fitbit/sync`, { token: child.token });
  await until(() => fake.calls(/activities\/list/).length === 1);
  const deleted = await t.request("DELETE", `/v1/users/${child.id}`, { token: admin.token });
  assertEquals(deleted.status, 204);
  // The grant is still alive at Fitbit (its revoke is held), so the sync goes on and hands
  // the child's records to tracking after the deletion committed.
  fetching.release();
  const res = await syncing;
  assertEquals(res.status, 200);
  assertEquals(await res.json(), {
    activities: 1,
    sleep: 1,
    weights: 1,
    logs: {
      steps: 367,
      calories: 367,
      active_minutes: 367,
      lightly_active_minutes: 367,
      sedentary_minutes: 367,
    },
  });
  // Tracking checks the child inside its writing transaction: it stores none of them.
  assertEquals(
    t.ingest.callsFor(child.id).map((c) => [c.kind, c.result.success.length]).sort(),
    [["activities", 0], ["logs", 0], ["sleep", 0], ["weights", 0]],
  );
  assertEquals(await trackingRows(t, child.id), {
    physical_activities: 0,
    sleep: 0,
    measurements: 0,
    daily_logs: 0,
  });
  const rows = await wearableRows(child.id);
  assertEquals([rows.connections.length, rows.synced.length], [0, 0]);
  revoking.release();
  await t.deps.wearables.revocationsSettled();
  assertEquals(fake.grantOf(tokens.access_token)?.revoked, true);
});

Deno.test("(close the Fitbit testbed)", () => bed.close());
