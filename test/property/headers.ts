import fc from "fast-check";
import { BUILT_IN_NAMES } from "../builtin-names.ts";
import type { Caller, PropertyWorld } from "./world.ts";

/**
 * Request headers: the caller's `Authorization` (mostly right, otherwise missing, empty,
 * another scheme, spoiled or replaced by a token that must be refused) and odd extra
 * headers (built-in names as header names, forged forwarding headers, odd `Accept`).
 */

/** What a request authenticates with, as `Authorization` values (undefined: no header). */
function authorization(caller: Caller, world: PropertyWorld): fc.Arbitrary<string | undefined> {
  const token = world.tokens[caller];
  const other = world.tokens[caller === "admin" ? "child" : "admin"];
  const spoiled = fc.constantFrom(
    undefined,
    "",
    "Bearer",
    "Bearer ",
    `bearer ${token}`,
    `BEARER ${token}`,
    `Bearer  ${token}`,
    `Bearer ${token} `,
    `Token ${token}`,
    token,
    `Basic ${btoa(`admin:${world.password}`)}`,
    `Bearer ${token}x`,
    `Bearer ${token.slice(0, -2)}`,
    `Bearer ${token.split(".").slice(0, 2).join(".")}`,
    `Bearer ${token}, Bearer ${other}`,
    "Bearer null",
    "Bearer undefined",
    "Bearer ..",
    "Bearer a.b.c",
    "Bearer eyJhbGciOiJub25lIn0.e30.",
  );
  return fc.oneof(
    { weight: 85, arbitrary: fc.constant(`Bearer ${token}`) },
    { weight: 10, arbitrary: spoiled },
    { weight: 5, arbitrary: fc.constantFrom(...world.refusedTokens).map((t) => `Bearer ${t}`) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 8_000, max: 40_000 }).map((n) => `Bearer ${"a".repeat(n)}`),
    },
  );
}

/** Headers besides `Authorization` and `Content-Type`. */
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.subarray([...BUILT_IN_NAMES.filter((name) => /^[a-z_]+$/i.test(name))], {
      minLength: 1,
    }).map((names) => Object.fromEntries(names.map((name) => [name, "x"]))),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      "X-Forwarded-For": fc.constantFrom("127.0.0.1", "::1, 10.0.0.1", "garbage", "", "1.1.1.1, ,"),
      "X-Request-Id": fc.constantFrom("", "x".repeat(2_000), "../../", "__proto__"),
      Accept: fc.constantFrom("text/html", "*/*", "application/xml", "", "application/json;q=0"),
    }, { requiredKeys: [] }),
  },
);

/** All headers of a request but its Content-Type, which comes with the body. */
export function headersArbitrary(
  caller: Caller,
  world: PropertyWorld,
): fc.Arbitrary<Record<string, string>> {
  return fc.tuple(authorization(caller, world), extraHeaders).map(([auth, extra]) => ({
    ...extra,
    ...(auth !== undefined && { Authorization: auth }),
  }));
}
