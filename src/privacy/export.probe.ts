/**
 * Measures the memory an export holds: runs the real app on an existing database, exports
 * one child through `GET /v1/children/:child_id/export` and reads the stream, forcing a
 * full garbage collection every 1 MB received and sampling the heap then, so the figure
 * is what the export retains, not garbage. A first export warms the code up unmeasured.
 * With `--buffered` it also measures the reference: the same answer read whole, as an
 * export built in memory would hold it; with `--time`, one more export without forced
 * collections gives the streaming time. Prints one JSON line.
 *
 * deno run -A --v8-flags=--expose-gc src/privacy/export.probe.ts <database-url> <child-id>
 */
import { startTestApp } from "../../test/harness.ts";

const SAMPLE_EVERY_BYTES = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");
const collect = gc;
const [databaseUrl, childId] = Deno.args;
const buffered = Deno.args.includes("--buffered");
const timed = Deno.args.includes("--time");

const t = await startTestApp({ DATABASE_URL: databaseUrl });
const { token } = await t.login("admin");
const heap = () => {
  collect();
  return Deno.memoryUsage().heapUsed;
};
const request = () => t.request("GET", `/v1/children/${childId}/export`, { token });

/** Streams one export; with a baseline, samples the retained heap above it. */
async function streamed(baseline?: number) {
  const reader = (await request()).body!.getReader();
  let bytes = 0, chunks = 0, nextSample = 0, peak = 0;
  const started = performance.now();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    bytes += read.value.length;
    chunks++;
    if (baseline !== undefined && bytes >= nextSample) {
      peak = Math.max(peak, heap() - baseline);
      nextSample += SAMPLE_EVERY_BYTES;
    }
  }
  const ms = Math.round(performance.now() - started);
  return baseline === undefined ? { bytes, chunks, ms } : { bytes, chunks, peakRetained: peak };
}

await streamed();
const result: Record<string, unknown> = {};
if (timed) result.timed = await streamed();
result.streamed = await streamed(heap());
if (buffered) {
  const before = heap();
  const started = performance.now();
  const text = await (await request()).text();
  const ms = Math.round(performance.now() - started);
  result.buffered = { bytes: text.length, retained: heap() - before, ms };
}
console.log(JSON.stringify(result));
await t.close();
