import assert from "node:assert/strict";
import { assertEquals } from "../../../test/assert.ts";
import { isoMillis, utcSeconds } from "./time.ts";

// The output formats are written by arithmetic for 1970–9999; they must be exactly what
// `toISOString` gives, and everything else must still go through `toISOString`.

const reference = {
  utcSeconds: (ms: number) => new Date(ms).toISOString().slice(0, 19),
  isoMillis: (ms: number) => new Date(ms).toISOString(),
};

/** Seeded, so a failure names a reproducible case. */
function random(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}
const next = random(11);

const EDGES = [
  0,
  1,
  999,
  1000,
  86_399_999,
  86_400_000,
  Date.UTC(1970, 11, 31, 23, 59, 59, 999),
  Date.UTC(1999, 11, 31, 23, 59, 59, 999),
  Date.UTC(2000, 0, 1),
  Date.UTC(2000, 1, 29, 12, 0, 0, 7),
  Date.UTC(2100, 1, 28, 23, 59, 59, 990),
  Date.UTC(2100, 2, 1),
  Date.UTC(2024, 1, 29, 0, 0, 0, 50),
  Date.UTC(2400, 1, 29),
  Date.UTC(9999, 11, 31, 23, 59, 59, 999),
];
const RANDOM = Array.from({ length: 20_000 }, () => Math.floor(next() * 253402300800000));

for (const name of ["utcSeconds", "isoMillis"] as const) {
  const format = name === "utcSeconds" ? utcSeconds : isoMillis;

  Deno.test(`${name}: toISOString's text for every instant of 1970–9999`, () => {
    for (const ms of [...EDGES, ...RANDOM]) assertEquals(format(ms), reference[name](ms), `${ms}`);
  });

  Deno.test(`${name}: other values as toISOString writes or refuses them`, () => {
    for (const ms of [-1, -86_400_001, -62198755200000, 253402300800000, 8.64e15, 1.5, -0.5]) {
      assertEquals(format(ms), reference[name](ms), `${ms}`);
    }
    for (const ms of [NaN, Infinity, 8.64e15 + 1]) assert.throws(() => format(ms), RangeError);
  });
}
