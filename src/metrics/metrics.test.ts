import { Counter, Histogram, Registry } from "prom-client";
import { assertEquals } from "../../test/assert.ts";
import { recordRequest, registry } from "./metrics.ts";

// The request metrics are gathered in plain numbers and written at each scrape; the
// exposition must be what prom-client's own Counter and Histogram write for the same
// requests, scrape after scrape.

const reference = new Registry();
const counter = new Counter({
  name: "ocariot_http_requests_total",
  help: "HTTP requests answered, by route id (gateway.md §1), method and status code",
  labelNames: ["route", "method", "status"],
  registers: [reference],
});
const histogram = new Histogram({
  name: "ocariot_http_request_duration_seconds",
  help: "Time to answer an HTTP request, by route id and status code",
  labelNames: ["route", "status"],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [reference],
});

/** What the metrics recorded before this change did with one request. */
function recordReference(route: string, method: string, status: number, seconds: number) {
  const lower = method.toLowerCase();
  const label = /^[a-z][a-z0-9_]{0,39}$/.test(lower) ? lower : "other";
  counter.inc({ route, method: label, status: String(status) });
  histogram.observe({ route, status: String(status) }, seconds);
}

/** The blocks of the two request metrics in an exposition. */
function requestBlocks(text: string): string {
  return text.split("\n\n").filter((block) => block.includes("ocariot_http_"))
    .map((block) => block.trimEnd()).join("\n\n");
}

// Every bucket edge, just above it, below the first, above the last; odd methods; the
// same route with several statuses and methods (one histogram series for both methods).
const BATCHES: [string, string, number, number][][] = [
  [
    ["AC40", "GET", 200, 0.0004],
    ["AC40", "GET", 200, 0.001],
    ["AC40", "GET", 200, 0.0010001],
    ["AC40", "HEAD", 200, 0.0025],
    ["AC40", "GET", 403, 0.003],
  ],
  [
    ["AU1", "POST", 200, 0.31],
    ["unmatched", "PROPFIND", 404, 0.00002],
    ["unmatched", "Weird-Method", 404, 0.002],
    ["AC40", "GET", 200, 10],
    ["AC40", "GET", 200, 12.5],
  ],
  [],
  [
    ["AC38", "POST", 201, 0.05],
    ...[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].map((
      s,
    ) => ["AC39", "GET", 200, s + 1e-9] as [string, string, number, number]),
    ["AC40", "get", 200, 0.0017],
  ],
];

Deno.test("metrics: the request counter and latency histogram write what prom-client's own would, scrape after scrape", async () => {
  for (const batch of BATCHES) {
    for (const [route, method, status, seconds] of batch) {
      recordRequest(route, method, status, seconds);
      recordReference(route, method, status, seconds);
    }
    assertEquals(requestBlocks(await registry.metrics()), requestBlocks(await reference.metrics()));
  }
});
