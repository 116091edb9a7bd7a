import { scrape } from "../src/metrics/server.ts";
import { assertEquals, assertMatch, assertTrue } from "./assert.ts";
import { connectedChild, startFitbitTestbed } from "./fake-fitbit/setup.ts";
import { login, startService, withTempDir } from "./service-process.ts";

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

Deno.test("metrics: a scrape after traffic counts requests by route id and status, with latencies, and holds no user data", async () => {
  await withTempDir(async (dataDir) => {
    const service = await startService({
      DATA_DIR: dataDir,
      ADMIN_USERNAME: "root-admin",
      ADMIN_PASSWORD: "secret-admin-pass",
      METRICS_PORT: "0",
    });
    try {
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
    } finally {
      await service.stop();
    }
  });
});

Deno.test("metrics: wearable syncs by provider and outcome, provider calls and 429s", async () => {
  const bed = await startFitbitTestbed();
  try {
    const before = await scrape(bed.t.db);
    const ok = await connectedChild(bed);
    const synced = await bed.t.request("POST", `/v1/users/${ok.child.id}/fitbit/sync`, {
      token: ok.child.token,
    });
    assertEquals(synced.status, 200);
    await synced.body?.cancel();
    const limited = await connectedChild(bed);
    bed.fake.fault({ match: { path: /^\/1/ }, times: "always", action: { rateLimit: true } });
    const refused = await bed.t.request("POST", `/v1/users/${limited.child.id}/fitbit/sync`, {
      token: limited.child.token,
    });
    assertEquals(refused.status, 400);
    await refused.body?.cancel();

    const after = await scrape(bed.t.db);
    const moved = (name: string, labels: Record<string, string>) =>
      sample(after, name, labels) - sample(before, name, labels);
    assertEquals(moved("ocariot_wearable_syncs_total", { provider: "fitbit", outcome: "ok" }), 1);
    assertEquals(
      moved("ocariot_wearable_syncs_total", { provider: "fitbit", outcome: "rate_limited" }),
      1,
    );
    assertEquals(moved("ocariot_wearable_provider_rate_limited_total", { provider: "fitbit" }), 1);
    // Every request the fake received was counted (connect checks, profile, data calls).
    assertEquals(
      moved("ocariot_wearable_provider_calls_total", { provider: "fitbit" }),
      bed.fake.requests.filter((r) => !r.path.startsWith("/__fake")).length,
    );
    for (const value of labelValues(after)) {
      assertTrue(!/[0-9a-f]{24}/.test(value) && !value.includes(ok.user.id), `label ${value}`);
    }
  } finally {
    await bed.close();
  }
});
