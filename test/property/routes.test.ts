import fc from "fast-check";
import type { Endpoint } from "../../src/api/endpoint.ts";
import { ENDPOINTS } from "../../src/domains.ts";
import { assertEquals, assertTrue } from "../assert.ts";
import { checkRequest } from "./properties.ts";
import { requestArbitrary } from "./requests.ts";
import { routeSeed, settings } from "./settings.ts";
import { buildWorld } from "./world.ts";

/**
 * Issue 10: a property-based suite generated from the route table. Every endpoint of
 * `ENDPOINTS` (so a route added later is attacked without editing this file) gets the
 * same number of hostile requests derived from its definition, as admin and as a child
 * (see requests.ts), each checked against properties.ts: no 5xx, the documented answer,
 * the envelope for errors, and no change to the database from a rejected request.
 * Deterministic: a fixed seed, printed; a failure prints how to replay it.
 */

const keyOf = (endpoint: Endpoint) => `${endpoint.method} ${endpoint.path}`;
const selected = ENDPOINTS.filter((endpoint) =>
  settings.route === undefined || settings.route === keyOf(endpoint) ||
  settings.route === endpoint.id
);
// Spread over every route even when one is selected, so a replay runs the same cases.
const runsPerRoute = Math.ceil(settings.runs / ENDPOINTS.length);

/** Requests sent per route, by status class (`2xx`, `4xx`, …). */
const tally = new Map<string, Record<string, number>>();

const world = await buildWorld();
console.log(
  `property suite: seed ${settings.seed}, ${runsPerRoute} requests for each of ` +
    `${selected.length} routes (PROPERTY_SEED, PROPERTY_RUNS, PROPERTY_ROUTE to change)`,
);

/** The replay instructions for a failure fast-check reported. */
function replay(endpoint: Endpoint, message: string): string {
  const path = message.match(/path: "([^"]*)"/)?.[1] ?? "";
  return `replay: PROPERTY_SEED=${settings.seed} PROPERTY_RUNS=${settings.runs} ` +
    `PROPERTY_ROUTE='${keyOf(endpoint)}' PROPERTY_PATH='${path}' deno task test:property`;
}

for (const endpoint of selected) {
  Deno.test(`property: ${keyOf(endpoint)} (${endpoint.id})`, async () => {
    const counts: Record<string, number> = {};
    tally.set(keyOf(endpoint), counts);
    const property = fc.asyncProperty(requestArbitrary(endpoint, world), async (request) => {
      const status = await checkRequest(world, request);
      const kind = `${Math.floor(status / 100)}xx`;
      counts[kind] = (counts[kind] ?? 0) + 1;
    });
    try {
      await fc.assert(property, {
        seed: routeSeed(settings.seed, keyOf(endpoint)),
        numRuns: runsPerRoute,
        path: settings.path,
        includeErrorInReport: true,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}\n${replay(endpoint, message)}`);
    }
  });
}

Deno.test("property: every route was attacked; the case count", () => {
  const total = [...tally.values()].reduce(
    (sum, counts) => sum + Object.values(counts).reduce((a, b) => a + b, 0),
    0,
  );
  const byClass: Record<string, number> = {};
  const lines = [...tally].map(([route, counts]) => {
    for (const [kind, n] of Object.entries(counts)) byClass[kind] = (byClass[kind] ?? 0) + n;
    const parts = Object.entries(counts).sort().map(([kind, n]) => `${kind} ${n}`).join(", ");
    return `  ${route}: ${parts}`;
  });
  console.log(lines.join("\n"));
  const classes = Object.entries(byClass).sort().map(([kind, n]) => `${kind} ${n}`).join(", ");
  console.log(
    `property suite: ${total} hostile requests over ${tally.size} routes (${classes}); ` +
      `seed ${settings.seed}`,
  );
  assertEquals(tally.size, selected.length);
  for (const [route, counts] of tally) {
    assertTrue(Object.keys(counts).length > 0, `${route} got no request`);
  }
  if (settings.route === undefined && settings.path === undefined) {
    assertTrue(total >= Math.min(settings.runs, settings.minimum), `only ${total} requests`);
  }
});

Deno.test("(close the test database and the fake Fitbit)", () => world.close());
