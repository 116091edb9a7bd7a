import { eq } from "drizzle-orm";
import { assertEquals } from "../../test/assert.ts";
import { assertDocumented } from "../../test/documented.ts";
import { closedPortUrl } from "../../test/fake-google-health/setup.ts";
import { startTestApp } from "../../test/harness.ts";
import { wearableConnections, wearableNotifications } from "../db/schema/index.ts";
import { connectionOf, googleBed } from "./testing.ts";

// GH1 POST /v1/google-health/notifications (google-health.md §5), reached over loopback HTTP
// by the fake's webhook emitter, as Google would: the secret first, the ECDSA signature,
// the verification probe, notifications that make a child due, replays and unknown users.

const SECRET = "Bearer webhook-secret-0123456789";
const bed = await googleBed({
  GOOGLE_HEALTH_WEBHOOK_SECRET: SECRET,
  FITBIT_SYNC_INTERVAL: "3600",
});
const { t, fake } = bed;
// The keyset URL is the fake's own: set after start (the fake's port is known only then).
const keyed = await startTestApp({
  ...Object.fromEntries(
    Object.entries(t.deps.config)
      .filter(([k, v]) => k.startsWith("GOOGLE_") && v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ),
  GOOGLE_HEALTH_WEBHOOK_KEYSET_URL: fake.urls.keyset,
  DATABASE_URL: t.deps.config.DATABASE_URL,
  FITBIT_SYNC_INTERVAL: "3600",
  WEARABLE_PROVIDER: "google_health",
});
keyed.clock.time = bed.today;
fake.now = t.clock.now;

/** Answers GH1 gave that its definition does not document (checked by the last test). */
const undocumented: string[] = [];

/** Serves an app on loopback, checking each answer against GH1's definition; returns its URL. */
function serve(app: typeof t) {
  const handler = async (request: Request) => {
    const response = await app.app.fetch(request);
    await assertDocumented(request.method, new URL(request.url).pathname, response)
      .catch((error) => undocumented.push(String(error)));
    return response;
  };
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler);
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1/google-health/notifications`,
    close: () => server.shutdown(),
  };
}
const plain = serve(t);
const signed = serve(keyed);
const target = (url: string) => ({ endpointUri: url, secret: SECRET });

/** A child connected and synced (so it is not due), and its health user id. */
async function syncedChild() {
  const { child, userId } = await bed.connect();
  const res = await t.request("POST", `/v1/users/${child.id}/fitbit/sync`, { token: child.token });
  assertEquals(res.status, 200);
  await res.body?.cancel();
  return { child, userId };
}

const nextSync = async (childId: string) => (await connectionOf(t, childId)).nextSyncAt;

Deno.test("verification: 201 with the secret, 401 without it (Google then accepts the endpoint)", async () => {
  assertEquals(await fake.webhooks.verify(target(plain.url)), {
    withSecret: 201,
    withoutSecret: 401,
    ok: true,
  });
});

for (
  const [name, variant, status] of [
    ["no Authorization", { missingAuth: true }, 401],
    ["a wrong secret", { wrongSecret: "Bearer guessed" }, 403],
  ] as const
) {
  Deno.test(`a notification with ${name} → ${status}, nothing changes`, async () => {
    const { child, userId } = await syncedChild();
    const before = await nextSync(child.id);
    const [delivery] = await fake.webhooks.notify(target(plain.url), [{
      healthUserId: userId,
      dataType: "steps",
    }], { variant });
    assertEquals(delivery.status, status);
    assertEquals(await nextSync(child.id), before);
  });
}

Deno.test("a notification makes the child with that health user due now; the scheduler then syncs it", async () => {
  const { child, userId } = await syncedChild();
  assertEquals(await nextSync(child.id) > t.clock.now(), true);
  const [delivery] = await fake.webhooks.notify(target(plain.url), [{
    healthUserId: userId,
    dataType: "sleep",
  }]);
  assertEquals(delivery.status, 204);
  assertEquals(await nextSync(child.id), t.clock.now());
  const report = await t.deps.wearables.scheduler.runRound();
  assertEquals(report.failed, 0);
  assertEquals(await nextSync(child.id) > t.clock.now(), true);
});

Deno.test("a batch names several users: each child becomes due", async () => {
  const a = await syncedChild(), b = await syncedChild();
  const [delivery] = await fake.webhooks.notify(target(plain.url), [
    { healthUserId: a.userId, dataType: "steps", intervalForm: "civil" },
    { healthUserId: b.userId, dataType: "weight", intervalForm: "civilIsoString" },
  ], { batch: true });
  assertEquals(delivery.status, 204);
  assertEquals(
    [await nextSync(a.child.id), await nextSync(b.child.id)],
    [t.clock.now(), t.clock.now()],
  );
});

Deno.test("a replayed notification changes nothing", async () => {
  const { child, userId } = await syncedChild();
  const notification = fake.webhooks.notification({ healthUserId: userId, dataType: "steps" });
  const first = await fake.webhooks.deliver(target(plain.url), "notification", notification);
  assertEquals(first.status, 204);
  const res = await t.request("POST", `/v1/users/${child.id}/fitbit/sync`, { token: child.token });
  await res.body?.cancel();
  const synced = await nextSync(child.id);
  const replay = await fake.webhooks.deliver(target(plain.url), "notification", notification);
  assertEquals(replay.status, 204);
  assertEquals(await nextSync(child.id), synced);
});

Deno.test("a notification for an unknown user is answered 204 and changes nothing", async () => {
  const before = await t.db.select().from(wearableConnections);
  const remembered = await t.db.select().from(wearableNotifications);
  const [delivery] = await fake.webhooks.notify(target(plain.url), [{
    healthUserId: "999999999999999999",
    dataType: "steps",
  }]);
  assertEquals(delivery.status, 204);
  assertEquals(await t.db.select().from(wearableConnections), before);
  assertEquals(await t.db.select().from(wearableNotifications), remembered);
});

Deno.test("malformed JSON with the right secret → the 400 envelope", async () => {
  const res = await fetch(plain.url, {
    method: "POST",
    headers: { Authorization: SECRET, "Content-Type": "application/json" },
    body: "{not json",
  });
  assertEquals([res.status, (await res.json()).message], [400, "Unable to process request body!"]);
});

for (
  const [name, variant, status] of [
    ["a valid signature", {}, 204],
    ["the signature under its old header name", { oldHeaderName: true }, 204],
    ["a bad signature", { badSignature: true }, 403],
    ["no signature", { unsigned: true }, 403],
  ] as const
) {
  Deno.test(`with a keyset configured, ${name} → ${status}`, async () => {
    const { child, userId } = await syncedChild();
    const before = await nextSync(child.id);
    const [delivery] = await fake.webhooks.notify(target(signed.url), [{
      healthUserId: userId,
      dataType: "steps",
    }], { variant });
    assertEquals(delivery.status, status);
    const after = (await t.db.select().from(wearableConnections)
      .where(eq(wearableConnections.childId, child.id)))[0].nextSyncAt;
    assertEquals(after, status === 204 ? keyed.clock.now() : before);
  });
}

Deno.test("with a keyset configured that cannot be read, a signed notification → 503, nothing changes", async () => {
  const unreachable = await startTestApp({
    GOOGLE_HEALTH_WEBHOOK_SECRET: SECRET,
    GOOGLE_HEALTH_WEBHOOK_KEYSET_URL: closedPortUrl(),
    WEARABLE_PROVIDER: "google_health",
  });
  try {
    const res = await unreachable.request("POST", "/v1/google-health/notifications", {
      headers: { Authorization: SECRET, "GOOGLE-HEALTH-API-SIGNATURE": "AQAAAAEw" },
      raw: JSON.stringify({ data: { healthUserId: "1", dataType: "steps" } }),
    });
    assertEquals(res.status, 503);
    assertEquals((await res.json()).message, "The notification signing keys could not be read.");
    assertEquals(await unreachable.db.select().from(wearableNotifications), []);
  } finally {
    await unreachable.close();
  }
});

Deno.test("without a configured secret every notification is refused", async () => {
  const bare = await startTestApp({ WEARABLE_PROVIDER: "google_health" });
  const server = serve(bare);
  try {
    const probe = await fake.webhooks.verify(target(server.url));
    assertEquals([probe.withSecret, probe.withoutSecret, probe.ok], [403, 401, false]);
  } finally {
    await server.close();
    await bare.close();
  }
});

Deno.test("every answer the receiver gave is one its definition documents", () => {
  assertEquals(undocumented, []);
});

Deno.test("(close the servers and testbeds)", async () => {
  await plain.close();
  await signed.close();
  await keyed.close();
  await bed.close();
});
