import { assertEquals } from "../../test/assert.ts";
import { createProviders } from "./providers/registry.ts";
import type { ProviderCallEvent, SyncFinishedEvent, WearableTelemetry } from "./telemetry.ts";
import { googleBed } from "./testing.ts";
import { Wearables } from "./wearables.service.ts";

// The metrics hooks: every provider answer, every finished sync and the revocation queue go
// through one place each (src/wearables/telemetry.ts), whatever started them.

const bed = await googleBed();
const { t } = bed;

const seen = {
  calls: [] as ProviderCallEvent[],
  syncs: [] as SyncFinishedEvent[],
  queue: [] as { pending: number; failed: number }[],
};
const recording: WearableTelemetry = {
  providerCall: (event) => seen.calls.push(event),
  syncFinished: (event) => seen.syncs.push(event),
  revocationQueue: (event) => seen.queue.push(event),
};
const wearables = new Wearables({
  db: t.db,
  config: t.deps.config,
  cipher: t.deps.wearables.cipher,
  ingest: t.ingest,
  log: t.deps.log,
  now: t.clock.now,
  providers: createProviders(t.deps.config, t.clock.now),
  telemetry: recording,
});

Deno.test("every provider answer, 429s included, is reported once, with its status", async () => {
  const child = await t.login("child");
  const { tokens } = await bed.user();
  bed.resetCalls();
  await wearables.connectSubmitted(child.id, tokens);
  bed.fail("data", "rate_limit", 2);
  await wearables.syncNow(child.id);
  bed.clearFaults();
  assertEquals(seen.calls.length, bed.calls());
  assertEquals(seen.calls.filter((c) => c.status === 429).length, 2);
  assertEquals(seen.calls.every((c) => c.provider === "google_health"), true);
});

Deno.test("every finished sync is reported with its outcome and calls", async () => {
  seen.syncs.length = 0;
  const ok = await bed.connect();
  await wearables.syncNow(ok.child.id);
  const empty = await bed.connect({ empty: true });
  await wearables.syncNow(empty.child.id);
  const failing = await bed.connect();
  bed.fail("data", "unavailable", "always");
  await wearables.syncNow(failing.child.id).catch(() => {});
  bed.clearFaults();
  assertEquals(seen.syncs.map((s) => s.outcome), ["ok", "no_data", "unavailable"]);
  assertEquals(seen.syncs[0].calls > 60, true);
});

Deno.test("the revocation queue's depth is reported after each revoker pass", async () => {
  const { child } = await bed.connect();
  bed.fail("revoke", "unavailable", "always");
  await wearables.revoke(child.id).catch(() => {});
  seen.queue.length = 0;
  await wearables.revoker.processDue();
  bed.clearFaults();
  assertEquals(seen.queue.length, 1);
  assertEquals(seen.queue[0].pending >= 1, true);
});

Deno.test("(close the Google Health testbed)", () => bed.close());
