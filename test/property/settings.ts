/**
 * The suite's settings, from the environment: deterministic by default (a fixed seed),
 * with the total number of requests, one route and a replay path for a failure.
 *
 * - `PROPERTY_SEED`: the base seed (default below); each route's seed derives from it and
 *   the route, so adding a route does not change the cases of the others.
 * - `PROPERTY_RUNS`: requests in all (default 10,000), spread evenly over every route.
 * - `PROPERTY_ROUTE`: only this route, as `METHOD /path` or its contract id (`AC5`).
 * - `PROPERTY_PATH`: with the two above, replays a failure from fast-check's path.
 */

const DEFAULT_SEED = 20_250_610;
const DEFAULT_RUNS = 10_000;

function integer(name: string, fallback: number): number {
  const raw = Deno.env.get(name);
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${raw}`);
  return value;
}

export const settings = {
  seed: integer("PROPERTY_SEED", DEFAULT_SEED),
  runs: integer("PROPERTY_RUNS", DEFAULT_RUNS),
  route: Deno.env.get("PROPERTY_ROUTE") || undefined,
  path: Deno.env.get("PROPERTY_PATH") || undefined,
  /** The least number of requests a default run makes (issue 10). */
  minimum: DEFAULT_RUNS,
};

/** The seed of one route: FNV-1a of the base seed and the route's key, as a 32-bit integer. */
export function routeSeed(seed: number, route: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${seed} ${route}`) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
