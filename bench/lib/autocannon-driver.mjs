// Runs one autocannon measurement under Node and prints its figures as one JSON line.
// Called by bench/lib/load.ts: `node autocannon-driver.mjs <autocannon dir> <spec JSON>`.
// A spec is {url, method, path, headers, body, connections, seconds, warmupSeconds, ingest?}:
// with `ingest` ({childIds, size, base}), every request carries a fresh array of activities
// whose start instants never repeat within the run.
import { createRequire } from "node:module";
import process from "node:process";

const [toolDir, specJson] = process.argv.slice(2);
const autocannon = createRequire(`${toolDir}/package.json`)("autocannon");
const spec = JSON.parse(specJson);

const LEVELS = ["sedentary", "lightly", "fairly", "very"];
const zone = (min, max, duration) => ({ min, max, duration });

/** One activity as a wearable app would send it (levels and heart rate included). */
function activity(start) {
  const duration = 1_800_000;
  return {
    name: "Walk",
    start_time: new Date(start).toISOString(),
    end_time: new Date(start + duration).toISOString(),
    duration,
    calories: 123,
    steps: 2100,
    distance: 1600.5,
    levels: LEVELS.map((name, i) => ({ name, duration: 300_000 + i * 60_000 })),
    heart_rate: {
      average: 97,
      out_of_range_zone: zone(30, 91, 600_000),
      fat_burn_zone: zone(91, 127, 900_000),
      cardio_zone: zone(127, 154, 240_000),
      peak_zone: zone(154, 220, 60_000),
    },
  };
}

let sequence = 0;
function ingestRequest(request) {
  const { childIds, size, base } = spec.ingest;
  const child = childIds[sequence % childIds.length];
  const items = [];
  for (let i = 0; i < size; i++) items.push(activity(base + (sequence * size + i) * 60_000));
  sequence++;
  request.path = spec.path.replace(":child_id", child);
  request.body = JSON.stringify(items);
  return request;
}

function run(seconds) {
  return new Promise((resolve, reject) => {
    autocannon({
      url: spec.url,
      connections: spec.connections,
      duration: seconds,
      requests: [{
        method: spec.method ?? "GET",
        path: spec.path,
        headers: spec.headers ?? {},
        ...(spec.body !== undefined && { body: spec.body }),
        ...(spec.ingest && { setupRequest: ingestRequest }),
      }],
    }, (error, result) => error ? reject(error) : resolve(result));
  });
}

if (spec.warmupSeconds > 0) await run(spec.warmupSeconds);
const result = await run(spec.seconds);
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodeStats,
  }) + "\n",
);
