/**
 * Audit trail benchmark: what recording a read costs. The same child-data read
 * (`GET /v1/children/:id/sleep?limit=10`, token check, ownership rule, SQL page) runs
 * through three apps built from the real middleware and routes on one database:
 * - `none`: no audit middleware (the reference);
 * - `awaited`: the audit middleware as mounted, the answer waits for its row's commit
 *   (group commit);
 * - `after`: the row is written after the answer without waiting (what the service does
 *   not do: it can lose the row of an answered request to a crash), for comparison.
 * Figures: sequential latency (median, p99), throughput with 32 requests in flight, and
 * sequential latency while a writer stores bulk sleep records without pause.
 *
 * deno task bench:audit [--requests=2000]
 */
import { Hono } from "hono";
import { accessGuard } from "../src/access/guard.ts";
import { auditTrail } from "../src/audit/audit.middleware.ts";
import { AuditRecorder } from "../src/audit/audit.recorder.ts";
import { appendAuditEntries } from "../src/audit/audit.store.ts";
import type { AppEnv } from "../src/core/context.ts";
import { requestLog } from "../src/core/middleware.ts";
import { indexEndpoints, mountEndpoints } from "../src/api/mount.ts";
import { sleepEndpoints } from "../src/tracking/sleep/sleep.routes.ts";
import { sleepBody } from "../src/tracking/testing.ts";
import { startTestApp } from "../test/harness.ts";

const requestsArg = Deno.args.find((arg) => arg.startsWith("--requests="));
const REQUESTS = Number(requestsArg?.split("=")[1] ?? 2000);
const BLOCK = 100;

const t = await startTestApp();
const deps = t.deps;
const inst = await t.createInstitution();
const child = await t.login("child", { institutionId: inst.id });
const path = `/v1/children/${child.id}/sleep?limit=10`;
let instant = Date.UTC(2015, 0, 1);
const nextSleeps = (n: number) =>
  Array.from({ length: n }, () => sleepBody(new Date(instant += 86_400_000).toISOString()));

type Variant = "none" | "awaited" | "after";

function appOf(variant: Variant) {
  const app = new Hono<AppEnv>();
  app.use(requestLog(deps.log));
  app.use(accessGuard(deps, indexEndpoints(sleepEndpoints)));
  if (variant !== "none") {
    const recorder = new AuditRecorder((entries) => appendAuditEntries(deps.db, entries));
    app.use(auditTrail(
      deps,
      variant === "awaited" ? recorder : {
        record: (entry) => {
          recorder.record(entry).catch(() => {});
          return Promise.resolve();
        },
      },
    ));
  }
  mountEndpoints(app, sleepEndpoints, deps);
  return app;
}

const apps: Record<Variant, Hono<AppEnv>> = {
  none: appOf("none"),
  awaited: appOf("awaited"),
  after: appOf("after"),
};
const headers = { Authorization: `Bearer ${child.token}` };
const get = async (variant: Variant) => {
  const res = await apps[variant].request(path, { headers });
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  await res.arrayBuffer();
};

await apps.none.request(`/v1/children/${child.id}/sleep`, {
  method: "POST",
  headers: { ...headers, "Content-Type": "application/json" },
  body: JSON.stringify(nextSleeps(30)),
});

const quantile = (sorted: number[], q: number) => sorted[Math.floor((sorted.length - 1) * q)];
const ms = (value: number) => Math.round(value * 1000) / 1000;

/** Sequential latencies, the variants interleaved in blocks so drift hits all alike. */
async function sequential(): Promise<Record<Variant, { median: number; p99: number }>> {
  const samples: Record<Variant, number[]> = { none: [], awaited: [], after: [] };
  for (let done = 0; done < REQUESTS; done += BLOCK) {
    for (const variant of Object.keys(apps) as Variant[]) {
      for (let i = 0; i < BLOCK; i++) {
        const started = performance.now();
        await get(variant);
        samples[variant].push(performance.now() - started);
      }
    }
  }
  const summary = {} as Record<Variant, { median: number; p99: number }>;
  for (const [variant, values] of Object.entries(samples) as [Variant, number[]][]) {
    values.sort((a, b) => a - b);
    summary[variant] = { median: ms(quantile(values, 0.5)), p99: ms(quantile(values, 0.99)) };
  }
  return summary;
}

/** Requests per second with `inFlight` requests at a time. */
async function throughput(variant: Variant, inFlight = 32): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next++ < REQUESTS) await get(variant);
  }));
  return Math.round(REQUESTS / ((performance.now() - started) / 1000));
}

for (const variant of Object.keys(apps) as Variant[]) await get(variant); // warm-up

const idle = await sequential();
const concurrent: Record<string, number> = {};
for (const variant of Object.keys(apps) as Variant[]) {
  concurrent[variant] = await throughput(variant);
}

// A writer storing 20 sleep records per request, without pause.
let writing = true;
let writes = 0;
const writer = (async () => {
  while (writing) {
    await apps.none.request(`/v1/children/${child.id}/sleep`, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify(nextSleeps(20)),
    });
    writes++;
  }
})();
const underWrites = await sequential();
writing = false;
await writer;

console.log(JSON.stringify({
  bench: "audit",
  requests_per_figure: REQUESTS,
  idle_latency_ms: idle,
  throughput_32_in_flight_rps: concurrent,
  latency_during_bulk_writes_ms: underWrites,
  bulk_writes_meanwhile: writes,
}));
await t.close();
