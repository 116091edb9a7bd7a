import { Counter, Gauge, type Metric, Registry } from "prom-client";

/**
 * The service's Prometheus metrics, one registry per process (a scrape describes the
 * process that answers it). Labels take values from small fixed sets only (route ids,
 * status codes, provider ids, outcome kinds): never ids, usernames, paths or tokens.
 */
export const registry = new Registry();

const PREFIX = "ocariot_";

/**
 * Answered requests, gathered in plain numbers as they happen (a map lookup and a few
 * additions per request: prom-client's label handling took 5% of a small request) and
 * handed to the two metrics below when a scrape reads them.
 */
interface RequestTally {
  /** The counter's labels, and the requests not yet added to it. */
  labels: { route: string; method: string; status: string };
  unreported: number;
  duration: DurationSeries;
}

/** One series of the latency histogram: counts per bucket (not cumulative), sum, count. */
interface DurationSeries {
  labels: { route: string; status: string };
  buckets: number[];
  sum: number;
  count: number;
}

const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** By `route method status`, in the order first seen (the order the scrape lists them). */
const tallies = new Map<string, RequestTally>();
/** By `route status`, in the order first seen. */
const durations = new Map<string, DurationSeries>();

new Counter({
  name: `${PREFIX}http_requests_total`,
  help: "HTTP requests answered, by route id (gateway.md §1), method and status code",
  labelNames: ["route", "method", "status"] as const,
  registers: [registry],
  collect() {
    for (const tally of tallies.values()) {
      if (tally.unreported === 0) continue;
      this.inc(tally.labels, tally.unreported);
      tally.unreported = 0;
    }
  },
});

/**
 * The latency histogram, written from the gathered series exactly as a prom-client
 * `Histogram` with the same name, labels and buckets writes its observations (the
 * registry formats both; metrics.test.ts compares them).
 */
const httpDuration = {
  name: `${PREFIX}http_request_duration_seconds`,
  help: "Time to answer an HTTP request, by route id and status code",
  type: "histogram",
  aggregator: "sum",
  get() {
    const name = this.name;
    const values = [];
    for (const series of durations.values()) {
      let total = 0;
      for (let i = 0; i < DURATION_BUCKETS.length; i++) {
        total += series.buckets[i];
        values.push(sample({ le: DURATION_BUCKETS[i] }, total, `${name}_bucket`, series.labels));
      }
      values.push(
        sample({ le: "+Inf" }, series.count, `${name}_bucket`, series.labels),
        sample({}, series.sum, `${name}_sum`, series.labels),
        sample({}, series.count, `${name}_count`, series.labels),
      );
    }
    return { name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  },
  reset() {
    durations.clear();
    tallies.clear();
  },
};
registry.registerMetric(httpDuration as unknown as Metric);

/** A value of an exposition, shaped as prom-client's own histogram shapes it. */
function sample(
  labels: Record<string, string | number>,
  value: number,
  metricName: string,
  sharedLabels: Record<string, string>,
) {
  return { labels, sharedLabels, value, metricName, exemplar: undefined };
}

const wearableSyncs = new Counter({
  name: `${PREFIX}wearable_syncs_total`,
  help: "Wearable syncs finished, by provider and outcome (ok, or the failure kind)",
  labelNames: ["provider", "outcome"] as const,
  registers: [registry],
});

const providerCalls = new Counter({
  name: `${PREFIX}wearable_provider_calls_total`,
  help: "Requests sent to a wearable provider's API",
  labelNames: ["provider"] as const,
  registers: [registry],
});

const providerRateLimited = new Counter({
  name: `${PREFIX}wearable_provider_rate_limited_total`,
  help: "Provider answers refusing a request for its rate limit (HTTP 429)",
  labelNames: ["provider"] as const,
  registers: [registry],
});

/** Set after each revoker pass and at each scrape from the database (see `scrape`). */
const revocationQueueDepth = new Gauge({
  name: `${PREFIX}wearable_revocation_queue_depth`,
  help: "Remote revocations of wearable grants still waiting for the provider's confirmation",
  registers: [registry],
});

/** Set after each revoker pass and at each scrape from the database (see `scrape`). */
const revocationsFailed = new Gauge({
  name: `${PREFIX}wearable_revocations_failed`,
  help: "Remote revocations given up after their last attempt (listed to admins by GH2)",
  registers: [registry],
});

/** Set at each scrape from the database (see `scrape`). */
export const databaseSize = new Gauge({
  name: `${PREFIX}database_size_bytes`,
  help: "Size of the database (pages in use times page size)",
  registers: [registry],
});

new Gauge({
  name: `${PREFIX}process_start_time_seconds`,
  help: "When this process started, seconds since the epoch",
  registers: [registry],
}).set(Math.round(Date.now() - performance.now()) / 1000);

/** A label value from a bounded vocabulary: lower-case words, anything else is `other`. */
function bounded(value: string): string {
  return /^[a-z][a-z0-9_]{0,39}$/.test(value) ? value : "other";
}

/** The method's label: lower-case (`get`), `other` for anything but a lower-case word. */
const METHOD_LABELS = new Map(
  ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].map((m) => [m, m.toLowerCase()]),
);

/** Records one answered request. */
export function recordRequest(route: string, method: string, status: number, seconds: number) {
  const label = METHOD_LABELS.get(method) ?? bounded(method.toLowerCase());
  const key = `${route} ${label} ${status}`;
  const tally = tallies.get(key) ?? newTally(key, route, label, String(status));
  tally.unreported++;
  const series = tally.duration;
  let i = 0;
  while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]) i++;
  if (i < DURATION_BUCKETS.length) series.buckets[i]++;
  series.sum += seconds;
  series.count++;
}

function newTally(key: string, route: string, method: string, status: string): RequestTally {
  const durationKey = `${route} ${status}`;
  let duration = durations.get(durationKey);
  if (!duration) {
    duration = {
      labels: { route, status },
      buckets: DURATION_BUCKETS.map(() => 0),
      sum: 0,
      count: 0,
    };
    durations.set(durationKey, duration);
  }
  const tally = { labels: { route, method, status }, unreported: 0, duration };
  tallies.set(key, tally);
  return tally;
}

/**
 * Records the end of one wearable sync: `ok`, `no_data`, `not_connected`, or the failure
 * kind (e.g. `rate_limited`).
 */
export function recordWearableSync(provider: string, outcome: string) {
  wearableSyncs.inc({ provider: bounded(provider), outcome: bounded(outcome) });
}

/** Records the revocation queue: entries still pending, and those given up. */
export function recordRevocationQueue(pending: number, failed: number) {
  revocationQueueDepth.set(pending);
  revocationsFailed.set(failed);
}

/** Records one request sent to a provider's API. */
export function recordProviderCall(provider: string) {
  providerCalls.inc({ provider: bounded(provider) });
}

/** Records a provider's rate-limit refusal (HTTP 429). */
export function recordProviderRateLimited(provider: string) {
  providerRateLimited.inc({ provider: bounded(provider) });
}
