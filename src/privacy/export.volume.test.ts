import { assertEquals, assertTrue } from "../../test/assert.ts";
import { startTestApp } from "../../test/harness.ts";
import { send } from "../tracking/testing.ts";
import { seedLargeChild } from "./testing.ts";

// A child with ten years of everything: the export streams it in many pieces, the
// document parses and matches the API's own lists, and the memory it holds while
// streaming stays a fraction of the document (measured in a separate process, with
// forced collections, by export.probe.ts).
const t = await startTestApp();
const admin = await t.login("admin");
const inst = await t.createInstitution();
const child = await t.createUser("child", { institutionId: inst.id });
const seeded = await seedLargeChild(t.db, child.id, { years: 10, activities: 3000 }, t.clock.now());
const base = `/v1/children/${child.id}`;

/** Every record of an API list, oldest first (the lists answer newest first). */
async function apiAll(path: string) {
  const all = [];
  for (let page = 1;; page++) {
    const { body } = await send(t, "GET", `${base}/${path}?limit=1000&page=${page}`, admin.token);
    all.push(...body);
    if (body.length < 1000) return all.reverse();
  }
}

Deno.test("export volume: ten years stream in many pieces and match the API's lists", async () => {
  const res = await t.request("GET", `${base}/export`, { token: admin.token });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const pieces: string[] = [];
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    pieces.push(read.value);
  }
  assertTrue(pieces.length > 50, `streamed in ${pieces.length} pieces`);
  const doc = JSON.parse(pieces.join(""));

  assertEquals(
    [doc.physical_activities.length, doc.sleep.length, doc.weights.length, doc.body_fats.length],
    [seeded.activities, seeded.sleep, seeded.weights, seeded.bodyFats],
  );
  assertEquals(doc.physical_activities, await apiAll("physicalactivities"));
  assertEquals(doc.sleep, await apiAll("sleep"));
  assertEquals(doc.weights, await apiAll("weights"));
  assertEquals(doc.body_fats, await apiAll("bodyfats"));

  // Daily logs: the API answers a year at a time, zero-filled; the export lists what is stored.
  const stored = Object.entries(doc.logs as Record<string, { date: string; value: number }[]>);
  assertEquals(stored.reduce((sum, [, entries]) => sum + entries.length, 0), seeded.logs);
  const firstYear = Number(stored[0][1][0].date.slice(0, 4));
  const lastYear = Number(stored[0][1].at(-1)!.date.slice(0, 4));
  for (let year = firstYear; year <= lastYear; year++) {
    const { body } = await send(
      t,
      "GET",
      `${base}/logs/date/${year}-01-01/${year}-12-31`,
      admin.token,
    );
    for (const [resource, entries] of stored) {
      const byDate = new Map(entries.map((entry) => [entry.date, entry.value]));
      const api = body[resource] as { date: string; value: number }[];
      assertEquals(api.filter((entry) => entry.value !== (byDate.get(entry.date) ?? 0)), []);
    }
  }
});

Deno.test("export volume: the memory held while streaming is a fraction of the document", async () => {
  const probe = new URL("./export.probe.ts", import.meta.url).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--expose-gc", probe, t.deps.config.DATABASE_URL, child.id],
    stderr: "inherit",
  }).output();
  assertEquals(output.code, 0);
  const { streamed } = JSON.parse(new TextDecoder().decode(output.stdout));
  assertTrue(streamed.bytes > 5_000_000, `a large document (${streamed.bytes} bytes)`);
  // Building the document in memory would retain at least its own size.
  assertTrue(
    streamed.peakRetained < streamed.bytes / 4,
    `retained at most ${streamed.peakRetained} bytes for ${streamed.bytes}`,
  );
});

Deno.test("(close the test database)", () => t.close());
