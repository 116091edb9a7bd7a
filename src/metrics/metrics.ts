import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The service's Prometheus metrics, one registry per process (a scrape describes the
 * process that answers it). Labels take values from small fixed sets only (route ids,
 * status codes, provider ids, outcome kinds): never ids, usernames, paths or tokens.
 */
export const registry = new Registry();

const PREFIX = "ocariot_";

const httpRequests = new Counter({
  name: `${PREFIX}http_requests_total`,
  help: "HTTP requests answered, by route id (gateway.md §1), method and status code",
  labelNames: ["route", "method", "status"] as const,
  registers: [registry],
});

const httpDuration = new Histogram({
  name: `${PREFIX}http_request_duration_seconds`,
  help: "Time to answer an HTTP request, by route id and status code",
  labelNames: ["route", "status"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

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
export const revocationQueueDepth = new Gauge({
  name: `${PREFIX}wearable_revocation_queue_depth`,
  help: "Remote revocations of wearable grants still waiting for the provider's confirmation",
  registers: [registry],
});

/** Set after each revoker pass and at each scrape from the database (see `scrape`). */
export const revocationsFailed = new Gauge({
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

export const processStart = new Gauge({
  name: `${PREFIX}process_start_time_seconds`,
  help: "When this process started, seconds since the epoch",
  registers: [registry],
});
processStart.set(Math.round(Date.now() - performance.now()) / 1000);

/** A label value from a bounded vocabulary: lower-case words, anything else is `other`. */
function bounded(value: string): string {
  return /^[a-z][a-z0-9_]{0,39}$/.test(value) ? value : "other";
}

/** Records one answered request. */
export function recordRequest(route: string, method: string, status: number, seconds: number) {
  const code = String(status);
  httpRequests.inc({ route, method: bounded(method.toLowerCase()), status: code });
  httpDuration.observe({ route, status: code }, seconds);
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
