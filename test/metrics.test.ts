import { registry } from "../src/metrics/metrics.ts";
import { scrape } from "../src/metrics/server.ts";
import { providerBeds, wearablePath } from "../src/wearables/testing.ts";
import { assertEquals, assertMatch, assertTrue } from "./assert.ts";
import { FakeGoogleHealth } from "./fake-google-health/server.ts";
import { connectedUser, googleHealthEnv } from "./fake-google-health/setup.ts";
import { login, type RunningService, startService, withTempDir } from "./service-process.ts";

// The Prometheus endpoint, scraped after real traffic: counters move, labels hold route
// ids, status codes, provider ids and outcome kinds only (no ids, names, tokens).

/** The value of one sample, or 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = /^([a-z_]+)(?:\{(.*)\})? (.+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2]?.split(",") ?? [];
    if (wanted.every((label) => have.includes(label))) return Number(match[3]);
  }
  return 0;
}

/** Every label value of the exposition. */
function labelValues(text: string): string[] {
  return [...text.matchAll(/[a-z_]+="([^"]*)"/g)].map((m) => m[1]);
}

/** Runs `body` against a service started with a metrics listener and a known admin. */
function withMetricsService(
  env: Record<string, string>,
  body: (service: RunningService) => Promise<void>,
): Promise<void> {
  return withTempDir(async (dataDir) => {
    const service = await startService({
      DATA_DIR: dataDir,
      ADMIN_USERNAME: "root-admin",
      ADMIN_PASSWORD: "secret-admin-pass",
      METRICS_PORT: "0",
      ...env,
    });
    try {
      await body(service);
    } finally {
      await service.stop();
    }
  });
}

Deno.test("metrics: a scrape after traffic counts requests by route id and status, with latencies, and holds no user data", async () => {
  await withMetricsService({}, async (service) => {
    assertMatch(service.startLine.metrics, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const metricsUrl = service.startLine.metrics;
    const before = await (await fetch(metricsUrl)).text();

    const token = await login(service.url, "root-admin", "secret-admin-pass");
    const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const created = await fetch(`${service.url}/institutions`, {
      method: "POST",
      headers,
      body: JSON.stringify({ type: "School", name: "Metrics School" }),
    });
    const { id } = await created.json();
    const answers = await Promise.all([
      fetch(`${service.url}/institutions/${id}`, { headers }),
      fetch(`${service.url}/institutions`),
      fetch(`${service.url}/no/such/route/${id}`),
    ]);
    await Promise.all(answers.map((r) => r.body?.cancel()));
    assertEquals(answers.map((r) => r.status), [200, 401, 404]);

    const res = await fetch(metricsUrl);
    assertEquals(res.status, 200);
    assertMatch(res.headers.get("Content-Type")!, /^text\/plain; version=0\.0\.4/);
    const after = await res.text();
    const moved = (labels: Record<string, string>) =>
      sample(after, "ocariot_http_requests_total", labels) -
      sample(before, "ocariot_http_requests_total", labels);
    assertEquals(moved({ route: "AU1", method: "post", status: "200" }), 1);
    assertEquals(moved({ route: "AC38", method: "post", status: "201" }), 1);
    assertEquals(moved({ route: "AC40", method: "get", status: "200" }), 1);
    assertEquals(moved({ route: "AC39", method: "get", status: "401" }), 1);
    assertEquals(moved({ route: "unmatched", method: "get", status: "404" }), 1);
    assertEquals(
      sample(after, "ocariot_http_request_duration_seconds_count", { route: "AC38" }),
      1,
    );
    assertTrue(
      sample(after, "ocariot_http_request_duration_seconds_bucket", {
        route: "AC38",
        le: "+Inf",
      }) ===
        1,
      "latency histogram",
    );
    assertEquals(sample(after, "ocariot_wearable_revocation_queue_depth"), 0);
    assertTrue(sample(after, "ocariot_database_size_bytes") > 0, "database size");

    for (const value of labelValues(after)) {
      assertTrue(!/[0-9a-f]{24}/.test(value), `an id in a label: ${value}`);
      assertTrue(!/root-admin|secret|Metrics School|eyJ/.test(value), `user data: ${value}`);
    }
    assertTrue(!after.includes(id) && !after.includes(token), "no id or token anywhere");

    // The API port does not serve metrics; the metrics port serves nothing else.
    const onApi = await fetch(new URL("/metrics", service.url));
    assertEquals(onApi.status, 404);
    await onApi.body?.cancel();
    const other = await fetch(new URL("/v1", metricsUrl));
    assertEquals(other.status, 404);
    await other.body?.cancel();
  });
});

Deno.test("metrics: the service records its wearable traffic (the start-up wires the telemetry)", async () => {
  const fake = await FakeGoogleHealth.start();
  try {
    await withMetricsService(googleHealthEnv(fake), async (service) => {
      const call = async (method: string, path: string, token: string, body?: unknown) => {
        const res = await fetch(`${service.url}${path}`, {
          method,
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : undefined };
      };
      const admin = await login(service.url, "root-admin", "secret-admin-pass");
      const school = await call("POST", "/institutions", admin, { type: "School", name: "S" });
      const child = await call("POST", "/children", admin, {
        username: "BR0001",
        password: "child-pass",
        institution_id: school.body.id,
        gender: "male",
        age: 10,
        age_calc_date: "2024-09-01",
      });
      assertEquals(child.status, 201);
      const token = await login(service.url, "BR0001", "child-pass");
      // A Google Health user without any data: connected, then a sync reporting no data.
      const { tokens } = connectedUser(fake);
      const path = `/users/${child.body.id}/fitbit`;
      assertEquals((await call("POST", `${path}/auth`, token, tokens)).status, 204);
      assertEquals((await call("POST", `${path}/sync`, token)).status, 200);

      const text = await (await fetch(service.startLine.metrics)).text();
      const provider = "google_health";
      assertEquals(
        sample(text, "ocariot_wearable_syncs_total", { provider, outcome: "no_data" }),
        1,
      );
      const received = fake.calls({}).length;
      assertTrue(received > 0, "the fake was called");
      assertEquals(sample(text, "ocariot_wearable_provider_calls_total", { provider }), received);
    });
  } finally {
    await fake.close();
  }
});

// Both providers, through the telemetry hooks the composition root wires (the harness
// passes the same `wearableMetrics` as main.ts).
for (const bed of await providerBeds({ WEARABLE_REVOKE_MAX_ATTEMPTS: "2" })) {
  const { t } = bed;
  const provider = bed.id;
  const sync = async (child: { id: string; token: string }) => {
    const res = await t.request("POST", wearablePath(child.id, "/sync"), { token: child.token });
    await res.body?.cancel();
    return res.status;
  };

  Deno.test(`[${provider}] metrics: wearable syncs by provider and outcome, provider calls and 429s`, async () => {
    const before = await scrape(t.db);
    bed.resetCalls();
    const ok = await bed.connect();
    assertEquals(await sync(ok.child), 200);
    const empty = await bed.connect({ empty: true });
    assertEquals(await sync(empty.child), 200);
    const limited = await bed.connect();
    const dataCallsBefore = bed.calls("data");
    bed.fail("data", "rate_limit", "always");
    try {
      assertEquals(await sync(limited.child), 400);
    } finally {
      bed.clearFaults();
    }
    const refused = bed.calls("data") - dataCallsBefore;

    const after = await scrape(t.db);
    const moved = (name: string, labels: Record<string, string>) =>
      sample(after, name, labels) - sample(before, name, labels);
    const syncs = (outcome: string) => moved("ocariot_wearable_syncs_total", { provider, outcome });
    // Google Health reports a user without any data (a Fitbit Ace); Fitbit answers zeros.
    assertEquals(
      [syncs("ok"), syncs("no_data"), syncs("rate_limited")],
      provider === "google_health" ? [1, 1, 1] : [2, 0, 1],
    );
    // Every answer of the rate-limited sync's data calls was a 429, each counted once.
    assertTrue(refused >= 1, "the rate-limited sync called the provider");
    assertEquals(moved("ocariot_wearable_provider_rate_limited_total", { provider }), refused);
    // Every request the fake received was counted (connect checks, identity, data calls).
    assertEquals(moved("ocariot_wearable_provider_calls_total", { provider }), bed.calls());
    for (const value of labelValues(after)) {
      assertTrue(!/[0-9a-f]{24}/.test(value) && !value.includes(ok.userId), `label ${value}`);
    }
  });

  Deno.test(`[${provider}] metrics: the revocation queue's depth moves with each revoker pass and each scrape`, async () => {
    const gauges = async () => {
      const text = await registry.metrics();
      return [
        sample(text, "ocariot_wearable_revocation_queue_depth"),
        sample(text, "ocariot_wearable_revocations_failed"),
      ];
    };
    await t.deps.wearables.revoker.processDue();
    const [pending0, failed0] = await gauges();
    const { child } = await bed.connect();
    bed.fail("revoke", "unavailable", "always");
    try {
      const res = await t.request("POST", wearablePath(child.id, "/auth/revoke"), {
        token: child.token,
      });
      assertEquals(res.status, 503);
      await res.body?.cancel();
      // Read from the database at a scrape: one more pending.
      assertEquals(
        sample(await scrape(t.db), "ocariot_wearable_revocation_queue_depth"),
        pending0 + 1,
      );
      // Its last allowed attempt fails: the revoker's pass reports it given up.
      t.clock.advance(7 * 3_600_000);
      await t.deps.wearables.revoker.processDue();
      assertEquals(await gauges(), [pending0, failed0 + 1]);
    } finally {
      bed.clearFaults();
      t.clock.time = bed.today;
    }
  });

  Deno.test(`[${provider}] (close the testbed)`, () => bed.close());
}
