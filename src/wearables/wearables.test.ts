import { createClient } from "@libsql/client";
import { eq, getTableName, is } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { assertEquals, assertMatch, assertTrue } from "../../test/assert.ts";
import { activity, weight } from "../../test/fake-fitbit/samples.ts";
import {
  capturingLogger,
  connectedChild,
  failStoring,
  startFitbitTestbed,
  until,
} from "../../test/fake-fitbit/setup.ts";
import { deleteChildData } from "../db/cascade.ts";
import * as schema from "../db/schema/index.ts";
import {
  users,
  wearableConnections,
  wearableRevocations,
  wearableSyncedItems,
} from "../db/schema/index.ts";
import { createProviders } from "./providers/registry.ts";
import { Wearables } from "./wearables.service.ts";

const bed = await startFitbitTestbed();
const { t, fake, ingest } = bed;
t.clock.time = Date.parse("2020-09-02T12:00:00Z");
const EIGHT_HOURS = 28_800_000;
const path = (childId: string, rest = "") => `/v1/users/${childId}/fitbit${rest}`;

/** A second, separately constructed instance on the same database (another process). */
function otherInstance(log = capturingLogger().log) {
  return new Wearables({
    db: t.db,
    config: t.deps.config,
    cipher: t.deps.wearables.cipher,
    ingest,
    log,
    now: t.clock.now,
    providers: createProviders(t.deps.config, t.clock.now),
  });
}

async function pending(childId: string) {
  return await t.db.select().from(wearableRevocations)
    .where(eq(wearableRevocations.childId, childId));
}

Deno.test("two parallel syncs of a child with an expiring token make exactly one /oauth2/token call", async () => {
  const { child } = await connectedChild(bed, {
    user: { activities: [activity()], weights: [weight()] },
  });
  t.clock.advance(EIGHT_HOURS - 60_000);
  fake.requests = [];
  const [a, b] = await Promise.all([
    t.request("POST", path(child.id, "/sync"), { token: child.token }),
    t.request("POST", path(child.id, "/sync"), { token: child.token }),
  ]);
  t.clock.time = Date.parse("2020-09-02T12:00:00Z");
  assertEquals([a.status, b.status], [200, 200]);
  const bodies = [await a.json(), await b.json()];
  assertEquals(bodies.map((body) => body.activities).sort(), [0, 1]);
  assertEquals(fake.calls("/oauth2/token").length, 1);
});

Deno.test("parallel refreshes in one process share one call", async () => {
  const { child } = await connectedChild(bed);
  const keeper = t.deps.wearables.keeper;
  const connection = (await keeper.load(child.id))!;
  fake.requests = [];
  const results = await Promise.all([1, 2, 3].map(() => keeper.refresh(connection)));
  assertEquals(fake.calls("/oauth2/token").length, 1);
  assertEquals(new Set(results.map((r) => r.tokens.accessToken)).size, 1);
  assertEquals(results[0].row.tokenVersion, connection.row.tokenVersion + 1);
});

Deno.test("two instances sharing the database refresh once: the loser re-reads the persisted pair", async () => {
  const { child, tokens } = await connectedChild(bed);
  const first = t.deps.wearables, second = otherInstance();
  let release!: () => void;
  fake.fault({
    match: { path: /oauth2\/token/ },
    action: { waitFor: new Promise<void>((resolve) => release = resolve) },
  });
  fake.requests = [];
  const one = first.keeper.refresh((await first.keeper.load(child.id))!);
  await until(() => fake.calls("/oauth2/token").length === 1);
  const two = second.keeper.refresh((await second.keeper.load(child.id))!);
  // The second instance is now waiting on the first one's lease.
  release();
  const [a, b] = await Promise.all([one, two]);
  assertEquals(fake.calls("/oauth2/token").length, 1);
  assertEquals(a.tokens.accessToken, b.tokens.accessToken);
  assertEquals(a.tokens.refreshToken, b.tokens.refreshToken);
  assertTrue(a.tokens.refreshToken !== tokens.refresh_token);
  // And the pair is usable: a sync through the second instance needs no refresh.
  fake.requests = [];
  await second.sync.syncChild(child.id);
  assertEquals(fake.calls("/oauth2/token").length, 0);
});

Deno.test("revoke while Fitbit is down: 503, tokens forgotten at once, remote revoke completed in the background later", async () => {
  const { child, tokens } = await connectedChild(bed);
  await fake.pause();
  try {
    const res = await t.request("POST", path(child.id, "/auth/revoke"), { token: child.token });
    assertEquals(res.status, 503);
    assertEquals(await res.json(), {
      code: 503,
      message: "Could not connect with the Fitbit Server",
      description: "Please try again later.",
    });
    assertEquals(
      (await t.request("GET", path(child.id, "/auth"), { token: child.token })).status,
      404,
    );
    const [row] = await t.db.select().from(users).where(eq(users.id, child.id));
    assertEquals(row.fitbitStatus, "none");
    assertEquals((await pending(child.id)).map((r) => [r.attempts, r.lastError]), [[
      1,
      "unavailable",
    ]]);

    const revoker = t.deps.wearables.revoker;
    assertEquals(await revoker.processDue(), { confirmed: 0, waiting: 0 }); // not due yet
    t.clock.advance(61_000);
    assertEquals(await revoker.processDue(), { confirmed: 0, waiting: 1 }); // still down
    assertEquals((await pending(child.id))[0].attempts, 2);
  } finally {
    await fake.resume();
  }
  const revoker = t.deps.wearables.revoker;
  t.clock.advance(121_000);
  fake.requests = [];
  assertEquals(await revoker.processDue(), { confirmed: 1, waiting: 0 });
  assertEquals(fake.requests.map((r) => r.path), ["/oauth2/revoke"]);
  assertEquals(fake.grantOf(tokens.access_token)?.revoked, true);
  assertEquals(await pending(child.id), []);
  t.clock.time = Date.parse("2020-09-02T12:00:00Z");
});

Deno.test("a revocation queued by one instance survives it and is completed by another", async () => {
  const { child, tokens } = await connectedChild(bed);
  fake.fault({ match: { path: /revoke/ }, action: { httpError: 503 } });
  assertEquals(
    (await t.request("POST", path(child.id, "/auth/revoke"), { token: child.token })).status,
    503,
  );
  t.clock.advance(61_000);
  assertEquals(await otherInstance().revoker.processDue(), { confirmed: 1, waiting: 0 });
  assertEquals(fake.grantOf(tokens.access_token)?.revoked, true);
  t.clock.time = Date.parse("2020-09-02T12:00:00Z");
});

Deno.test("a pair refreshed while the child is revoked is never used, and its grant is revoked too", async () => {
  const { child } = await connectedChild(bed);
  const keeper = t.deps.wearables.keeper;
  let release!: () => void;
  fake.fault({
    match: { path: /oauth2\/token/ },
    action: { waitFor: new Promise<void>((resolve) => release = resolve) },
  });
  // Fitbit cannot confirm the revoke, so the grant lives on and the refresh succeeds.
  fake.fault({ match: { path: /revoke/ }, action: { httpError: 503 } });
  fake.requests = [];
  const refreshing = keeper.refresh((await keeper.load(child.id))!).then(
    () => "used",
    (error) => error.constructor.name,
  );
  await until(() => fake.calls("/oauth2/token").length === 1);
  assertEquals(
    (await t.request("POST", path(child.id, "/auth/revoke"), { token: child.token })).status,
    503,
  );
  release();
  assertEquals(await refreshing, "NoConnectionError");
  assertEquals(
    (await t.request("GET", path(child.id, "/auth"), { token: child.token })).status,
    404,
  );
  // Both the forgotten pair and the fresh one are queued; the revoker confirms them.
  assertEquals((await pending(child.id)).length, 2);
  const grant = fake.grants[fake.grants.length - 1];
  assertEquals(grant.revoked, false);
  t.clock.advance(61_000);
  fake.requests = [];
  assertEquals(await t.deps.wearables.revoker.processDue(), { confirmed: 2, waiting: 0 });
  assertEquals(grant.revoked, true);
  t.clock.time = Date.parse("2020-09-02T12:00:00Z");
});

Deno.test("deleting a child removes its tokens in the transaction and queues the remote revocation", async () => {
  const { child, tokens } = await connectedChild(bed, { user: { activities: [activity()] } });
  assertEquals(
    (await t.request("POST", path(child.id, "/sync"), { token: child.token })).status,
    200,
  );
  await t.db.transaction(async (tx) => await deleteChildData(tx, child.id));
  const connections = await t.db.select().from(wearableConnections)
    .where(eq(wearableConnections.childId, child.id));
  const synced = await t.db.select().from(wearableSyncedItems)
    .where(eq(wearableSyncedItems.childId, child.id));
  assertEquals([connections.length, synced.length, (await pending(child.id)).length], [0, 0, 1]);
  fake.requests = [];
  assertEquals(await t.deps.wearables.revoker.processDue(), { confirmed: 1, waiting: 0 });
  assertEquals(fake.requests.map((r) => r.form), [
    { token: tokens.access_token, token_type_hint: "access_token" },
  ]);
  assertEquals(fake.grantOf(tokens.access_token)?.revoked, true);
});

Deno.test("the deletion cascade finds a child's rows by index in every table that holds them", async () => {
  // The revocation queue is the one table the cascade writes to, not deletes from.
  const tables = Object.values(schema)
    .filter((value) => is(value, SQLiteTable) && "childId" in value)
    .map((table) => getTableName(table as SQLiteTable))
    .filter((name) => name !== "wearable_revocations");
  assertTrue(tables.includes("wearable_synced_items") && tables.length >= 10, String(tables));
  // On a connection of its own: an EXPLAIN left open on the app's would block its commits.
  const client = createClient({ url: t.deps.config.DATABASE_URL });
  try {
    for (const table of tables) {
      const plan = await client.execute(
        `EXPLAIN QUERY PLAN DELETE FROM "${table}" WHERE child_id = 'x'`,
      );
      const detail = String(plan.rows[0].detail);
      assertMatch(detail, /^SEARCH .* \(child_id=\?/, `${table}: ${detail}`);
    }
  } finally {
    client.close();
  }
});

Deno.test("what tracking refused is logged with codes and messages, never the records", async () => {
  const captured = capturingLogger();
  const { child } = await connectedChild(bed, { user: { activities: [activity()] } });
  const undo = await failStoring(t, "physical_activities", `NEW.child_id = '${child.id}'`);
  await otherInstance(captured.log).sync.syncChild(child.id);
  await undo();
  const refused = captured.lines.map((line) => JSON.parse(line))
    .filter((line) => line.msg === "tracking refused synced items");
  assertEquals(refused, [{
    level: "warn",
    msg: "tracking refused synced items",
    child_id: child.id,
    kind: "activities",
    stored: 0,
    refused: 1,
    errors: [{ code: 500, message: "An internal server error has occurred." }],
  }]);
});

Deno.test("tokens never reach the logs: connect, sync, refresh, failures and revoke", async () => {
  const captured = capturingLogger();
  const instance = otherInstance(captured.log);
  const child = await t.login("child");
  const user = fake.addUser({ activities: [activity()] });
  const tokens = await fake.grant({ userId: user.id });
  await instance.connectSubmitted(child.id, tokens);
  await instance.sync.syncChild(child.id);
  t.clock.advance(EIGHT_HOURS);
  await instance.sync.syncChild(child.id);
  fake.fault({
    match: { path: /^\/1/ },
    times: "always",
    action: { status: 401, errorType: "invalid_token" },
  });
  await instance.sync.syncChild(child.id).catch(() => {});
  fake.faults = [];
  const view = await instance.authView(child.id);
  fake.fault({ match: { path: /revoke/ }, action: { httpError: 503 } });
  await instance.revoke(child.id).catch(() => {});
  t.clock.time = Date.parse("2020-09-02T12:00:00Z");
  const text = captured.lines.join("\n");
  assertTrue(captured.lines.length > 4);
  for (
    const secret of [
      tokens.access_token,
      tokens.refresh_token,
      view.access_token,
    ]
  ) {
    assertTrue(!text.includes(secret), "a token was logged");
  }
});

Deno.test("(close the Fitbit testbed)", () => bed.close());
