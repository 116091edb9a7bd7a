import fc from "fast-check";
import type { Endpoint } from "../../src/api/endpoint.ts";
import { builtInName, dateText, hostileText, numberText } from "./values.ts";

/**
 * Query strings for an endpoint: its documented keys (and the list keys `page`, `limit`,
 * `sort`) with hostile values, unknown keys, built-in-looking keys (also as dotted field
 * paths and brackets), repeated keys and malformed encodings. A third of the cases send
 * no query, so the rest of the request is tried with a plain one too.
 */

const LIST_KEYS = ["page", "limit", "sort"];

const encode = (text: string) => encodeURIComponent(text.toWellFormed());

/** Keys no endpoint documents. */
const unknownKey = fc.oneof(
  fc.stringMatching(/^[a-z_]{1,12}$/),
  builtInName,
  builtInName.map((name) => `location.${name}`),
  builtInName.map((name) => `${name}.prototype`),
  builtInName.map((name) => `heart_rate.${name}.min`),
  fc.constantFrom("a[b]", "__proto__[admin]", "constructor[prototype][x]", "", ".", "..", "a..b"),
);

/** A value for a key: documented filters also get comparisons, sorts get field lists. */
function valueFor(key: string, documented: string[]): fc.Arbitrary<string> {
  if (key === "sort") {
    const field = fc.oneof(fc.constantFrom(...documented, "id", "created_at"), builtInName);
    return fc.oneof(
      fc.tuple(fc.constantFrom("", "-", "+", "--"), field).map(([sign, name]) => sign + name),
      fc.array(field, { minLength: 2, maxLength: 4 }).map((names) => names.join(",")),
      fc.constantFrom(",", ",,", "-", "", " "),
      hostileText,
    );
  }
  if (key === "page" || key === "limit") return fc.oneof(numberText, hostileText);
  return fc.oneof(
    hostileText,
    fc.tuple(fc.constantFrom("gt:", "gte:", "lt:", "lte:", "ne:", "in:", "regex:"), hostileText)
      .map(([op, value]) => op + value),
    dateText,
    fc.constantFrom("true", "false", "*", "%", "_", ".*"),
  );
}

/** One `key=value` pair, encoded (the key may be given without a value). */
function pair(documented: string[]): fc.Arbitrary<string> {
  const known = fc.constantFrom(...documented, ...LIST_KEYS);
  const key = fc.oneof({ weight: 3, arbitrary: known }, { weight: 2, arbitrary: unknownKey });
  return key.chain((name) =>
    fc.oneof(
      {
        weight: 8,
        arbitrary: valueFor(name, documented).map((v) => `${encode(name)}=${encode(v)}`),
      },
      { weight: 1, arbitrary: fc.constant(encode(name)) },
    )
  );
}

/** Query strings written raw: bad escapes, empty pairs, odd separators. */
const malformedQuery = fc.constantFrom(
  "%zz=1",
  "a=%",
  "&&&",
  "=",
  "==x",
  "page=1&&limit=2",
  "%00=%00",
  "sort=%E0%A4%A",
  "limit=1;page=2",
  "?",
  "#",
);

/** The query string (with its `?`, or empty) for an endpoint. */
export function queryArbitrary(endpoint: Endpoint): fc.Arbitrary<string> {
  const documented = endpoint.query?.parameters.map((p) => p.name) ?? [];
  const pairs = fc.array(pair(documented), { minLength: 1, maxLength: 5 });
  // A pair sent twice with another value: frameworks disagree on which one wins.
  const repeated = fc.tuple(pair(documented), pair(documented)).map(([a, b]) => {
    const key = a.split("=")[0];
    return [a, `${key}=${b.split("=")[1] ?? ""}`, a];
  });
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant("") },
    { weight: 6, arbitrary: pairs.map((list) => `?${list.join("&")}`) },
    { weight: 1, arbitrary: repeated.map((list) => `?${list.join("&")}`) },
    { weight: 1, arbitrary: malformedQuery.map((query) => `?${query}`) },
  );
}
