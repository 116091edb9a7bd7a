import { eq } from "drizzle-orm";
import { assertEquals } from "../../test/assert.ts";
import { wearableRevocations } from "../db/schema/index.ts";
import { childStatus, connectionOf, fitbitBed, patterns, wearablePath } from "./testing.ts";

// The legacy Fitbit Web API is off (google-health.md §4.5, §7.1): a 410 from any of its
// endpoints (data, introspect, token, revoke) means the grant is gone. Nothing retries.

const bed = await fitbitBed();
const { t, fake } = bed;
const refusedBed = await fitbitBed({ FITBIT_REFUSED_MEANS_GONE: "true" });

const revocations = (childId: string) =>
  t.db.select().from(wearableRevocations).where(eq(wearableRevocations.childId, childId));

/** Runs `work` while the fake Fitbit answers 410 to everything. */
async function whileGone<T>(work: () => Promise<T>): Promise<T> {
  fake.gone = true;
  try {
    return await work();
  } finally {
    fake.gone = false;
  }
}

for (
  const [name, expired] of [
    ["a data call", false],
    ["the refresh", true],
  ] as const
) {
  Deno.test(`legacy 410 on ${name}: FB5 answers Refresh token invalid, tokens deleted, child invalid_grant, no retry`, async () => {
    const { child, tokens } = await bed.connect();
    if (expired) t.clock.advance(bed.tokenLifetimeMs);
    bed.resetCalls();
    const res = await whileGone(() =>
      t.request("POST", wearablePath(child.id, "/sync"), { token: child.token })
    );
    t.clock.time = bed.today;
    assertEquals([res.status, await res.json()], [
      400,
      patterns.refreshInvalid(tokens.refresh_token),
    ]);
    assertEquals(await connectionOf(t, child.id), undefined);
    assertEquals(await childStatus(t, child.id), "invalid_grant");
    const answered = fake.requests.map((r) => r.status);
    assertEquals(answered.every((status) => status === 410), true);
    // Nothing is left to retry: no connection for the scheduler, no queued revocation.
    assertEquals(await revocations(child.id), []);
    const again = await t.request("POST", wearablePath(child.id, "/sync"), {
      token: child.token,
    });
    assertEquals(again.status, 400);
    await again.body?.cancel();
  });
}

Deno.test("legacy 410 on introspect: FB2 answers Refresh token invalid and stores nothing", async () => {
  const child = await t.login("child");
  const { tokens } = await bed.user();
  const res = await whileGone(() =>
    t.request("POST", wearablePath(child.id, "/auth"), { token: child.token, body: tokens })
  );
  assertEquals([res.status, await res.json()], [
    400,
    patterns.refreshInvalid(tokens.refresh_token),
  ]);
  assertEquals(await connectionOf(t, child.id), undefined);
  assertEquals(await childStatus(t, child.id), "none");
});

Deno.test("legacy 410 on revoke: FB4 answers 204, tokens removed, the revocation counts as done", async () => {
  const { child } = await bed.connect();
  bed.resetCalls();
  const res = await whileGone(() =>
    t.request("POST", wearablePath(child.id, "/auth/revoke"), { token: child.token })
  );
  assertEquals(res.status, 204);
  assertEquals(bed.calls("revoke"), 1);
  assertEquals(await connectionOf(t, child.id), undefined);
  assertEquals(await childStatus(t, child.id), "none");
  assertEquals(await revocations(child.id), []);
});

Deno.test("legacy 410 on a queued revoke (a deleted child): tried once, counted done", async () => {
  const admin = await t.login("admin");
  const { child } = await bed.connect();
  bed.fail("revoke", "unavailable");
  const deleted = await t.request("DELETE", `/v1/users/${child.id}`, { token: admin.token });
  assertEquals(deleted.status, 204);
  await t.deps.wearables.revocationsSettled();
  assertEquals((await revocations(child.id)).map((r) => r.state), ["pending"]);
  t.clock.advance(61_000);
  bed.resetCalls();
  const outcome = await whileGone(() => t.deps.wearables.revoker.processDue());
  t.clock.time = bed.today;
  assertEquals(outcome, { confirmed: 1, waiting: 0 });
  assertEquals(bed.calls("revoke"), 1);
  assertEquals(await revocations(child.id), []);
});

Deno.test("FITBIT_REFUSED_MEANS_GONE: a refused connection to the legacy hosts counts as grant gone", async () => {
  const { t: rt } = refusedBed;
  const { child, tokens } = await refusedBed.connect();
  await refusedBed.pause();
  let res;
  try {
    res = await rt.request("POST", wearablePath(child.id, "/sync"), { token: child.token });
  } finally {
    await refusedBed.resume();
  }
  assertEquals([res.status, await res.json()], [
    400,
    patterns.refreshInvalid(tokens.refresh_token),
  ]);
  assertEquals(await connectionOf(rt, child.id), undefined);
  assertEquals(await childStatus(rt, child.id), "invalid_grant");
});

Deno.test("(close the Fitbit testbeds)", async () => {
  await bed.close();
  await refusedBed.close();
});
