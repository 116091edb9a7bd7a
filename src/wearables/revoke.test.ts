import { eq } from "drizzle-orm";
import { assertEquals, assertTrue } from "../../test/assert.ts";
import { trackingRows } from "../../test/fake-fitbit/setup.ts";
import { wearableRevocations } from "../db/schema/index.ts";
import { childStatus, connectionOf, patterns, providerBeds, wearablePath } from "./testing.ts";

// FB4 (POST …/fitbit/auth/revoke) and the background revoker against Google Health and the
// legacy Fitbit Web API: forget at once, revoke remotely, retry within bounds, keep what
// was given up visible to admins (GH2 GET /v1/wearables/revocations).

const MAX_ATTEMPTS = 3;
const beds = await providerBeds({
  WEARABLE_REVOKE_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
  WEARABLE_REVOKE_MAX_AGE_HOURS: "24",
});

for (const bed of beds) {
  const { t } = bed;
  const admin = await t.login("admin");
  const revoke = (child: { id: string; token: string }) =>
    t.request("POST", wearablePath(child.id, "/auth/revoke"), { token: child.token });
  const queued = (childId: string) =>
    t.db.select().from(wearableRevocations).where(eq(wearableRevocations.childId, childId));
  const listed = async (query = "") => {
    const res = await t.request("GET", `/v1/wearables/revocations${query}`, {
      token: admin.token,
    });
    return { status: res.status, body: await res.json() };
  };

  Deno.test(`[${bed.id}] revoke: the grant is revoked at the provider, tokens forgotten, child none, data kept`, async () => {
    const { child, tokens } = await bed.connect();
    await t.request("POST", wearablePath(child.id, "/sync"), { token: child.token });
    const data = await trackingRows(t, child.id);
    bed.resetCalls();
    const res = await revoke(child);
    assertEquals(res.status, 204);
    assertEquals(bed.calls("revoke"), 1);
    assertEquals(bed.grantAlive(tokens), false);
    assertEquals(await connectionOf(t, child.id), undefined);
    assertEquals(await childStatus(t, child.id), "none");
    assertEquals(await trackingRows(t, child.id), data);
    assertEquals(await queued(child.id), []);
  });

  Deno.test(`[${bed.id}] revoke with nothing stored answers 204 without calling the provider`, async () => {
    const child = await t.login("child");
    bed.resetCalls();
    assertEquals((await revoke(child)).status, 204);
    assertEquals(bed.calls(), 0);
  });

  Deno.test(`[${bed.id}] revoke of a grant the user already removed at the provider: 204`, async () => {
    const { child, tokens } = await bed.connect();
    bed.revokeAtProvider(tokens);
    assertEquals((await revoke(child)).status, 204);
    assertEquals(await queued(child.id), []);
  });

  Deno.test(`[${bed.id}] revoke with the provider down: 503, tokens forgotten at once, revoked in the background later`, async () => {
    const { child, tokens } = await bed.connect();
    await bed.pause();
    let res;
    try {
      res = await revoke(child);
    } finally {
      await bed.resume();
    }
    assertEquals([res.status, await res.json()], [503, patterns.unavailable]);
    assertEquals(await connectionOf(t, child.id), undefined);
    assertEquals(await childStatus(t, child.id), "none");
    const [entry] = await queued(child.id);
    assertEquals([entry.state, entry.attempts, entry.lastError], ["pending", 1, "unavailable"]);
    assertTrue(!entry.tokens.includes(tokens.refresh_token), "queued tokens stay sealed");
    assertEquals(bed.grantAlive(tokens), true);

    t.clock.advance(61_000);
    try {
      assertEquals(await t.deps.wearables.revoker.processDue(), { confirmed: 1, waiting: 0 });
    } finally {
      t.clock.time = bed.today;
    }
    assertEquals(bed.grantAlive(tokens), false);
    assertEquals(await queued(child.id), []);
  });

  Deno.test(`[${bed.id}] a revocation is retried a bounded number of times, then given up and shown to admins`, async () => {
    const { child, tokens } = await bed.connect();
    bed.fail("revoke", "unavailable", "always");
    try {
      assertEquals((await revoke(child)).status, 503);
      for (let i = 1; i < MAX_ATTEMPTS + 2; i++) {
        t.clock.advance(7 * 3_600_000);
        await t.deps.wearables.revoker.processDue();
      }
    } finally {
      bed.clearFaults();
      t.clock.time = bed.today;
    }
    const [entry] = await queued(child.id);
    assertEquals([entry.state, entry.attempts, entry.tokens], ["failed", MAX_ATTEMPTS, ""]);
    assertEquals(bed.calls("revoke") >= MAX_ATTEMPTS, true);
    bed.resetCalls();
    await t.deps.wearables.revoker.processDue();
    assertEquals(bed.calls("revoke"), 0);
    assertEquals(bed.grantAlive(tokens), true);

    const { status, body } = await listed("?state=failed");
    assertEquals(status, 200);
    const mine = body.find((r: { child_id: string }) => r.child_id === child.id);
    assertEquals(Object.keys(mine), [
      "id",
      "provider",
      "child_id",
      "state",
      "attempts",
      "last_error",
      "queued_at",
      "last_attempt_at",
      "next_attempt_at",
    ]);
    assertEquals([mine.provider, mine.state, mine.attempts, mine.last_error], [
      bed.id,
      "failed",
      MAX_ATTEMPTS,
      "unavailable",
    ]);
    assertEquals(mine.next_attempt_at, null);
    assertTrue(!JSON.stringify(body).includes(tokens.access_token));
  });

  Deno.test(`[${bed.id}] a revocation older than the age bound is given up after its next failure`, async () => {
    const { child } = await bed.connect();
    bed.fail("revoke", "unavailable", "always");
    try {
      assertEquals((await revoke(child)).status, 503);
      t.clock.advance(25 * 3_600_000);
      await t.deps.wearables.revoker.processDue();
    } finally {
      bed.clearFaults();
      t.clock.time = bed.today;
    }
    const [entry] = await queued(child.id);
    assertEquals([entry.state, entry.attempts], ["failed", 2]);
  });
}

Deno.test("GH2 lists revocations for admins only; the state filter is validated", async () => {
  const { t } = beds[0];
  for (const type of ["application", "child", "educator", "family"] as const) {
    const caller = await t.login(type);
    const res = await t.request("GET", "/v1/wearables/revocations", { token: caller.token });
    assertEquals([type, res.status], [type, 403]);
  }
  const admin = await t.login("admin");
  const bad = await t.request("GET", "/v1/wearables/revocations?state=gone", {
    token: admin.token,
  });
  assertEquals([bad.status, await bad.json()], [400, {
    code: 400,
    message: "One or more request fields are invalid...",
    description: "state must be one of: pending, failed!",
  }]);
  const all = await t.request("GET", "/v1/wearables/revocations", { token: admin.token });
  assertEquals(all.status, 200);
});

Deno.test("(close the provider testbeds)", async () => {
  for (const bed of beds) await bed.close();
});
