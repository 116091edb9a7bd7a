import fc from "fast-check";
import { BUILT_IN_NAMES } from "../builtin-names.ts";

/**
 * Hostile values shared by paths, queries, bodies and headers: names every JavaScript
 * object inherits, malformed ids, huge and exotic text, odd numbers written as text.
 */

/** One of the built-in names. */
export const builtInName = fc.constantFrom(...BUILT_IN_NAMES);

/** A well-formed id that names nothing. */
export const unknownId = fc.stringMatching(/^[0-9a-f]{24}$/);

/** Ids of the wrong form: short, long, upper case, not hex, empty, numbers. */
export const malformedId = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{1,23}$/),
  fc.stringMatching(/^[0-9a-f]{25,30}$/),
  fc.stringMatching(/^[0-9A-F]{24}$/),
  fc.stringMatching(/^[g-z0-9]{24}$/),
  fc.constantFrom("", " ", "0", "-1", "null", "undefined", "NaN", "true", "[]", "{}", "1e999"),
);

/** Text of every kind: ASCII, any Unicode (astral planes, combining marks, controls). */
export const anyText = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom(
    "\u0000",
    "\ud800",
    "\u202eevil",
    "Ｓｃｈｏｏｌ",
    "e\u0301",
    "😀👩‍👩‍👧",
    "' OR '1'='1",
    '"; DROP TABLE users; --',
    "%00",
    "${7*7}",
    "<script>alert(1)</script>",
    "../../etc/passwd",
  ),
);

/** Long text (a few KB to beyond the body and header limits are chosen by the callers). */
export const hugeText = (min: number, max: number) =>
  fc.tuple(fc.integer({ min, max }), fc.constantFrom("a", "0", "é", "😀", "%", "\\"))
    .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

/** Numbers as a client may write them in a query or a path. */
export const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom(
    "0",
    "-0",
    "-1",
    "1e308",
    "1e999",
    "-1e999",
    "0x10",
    "1_000",
    "9007199254740993",
    "9223372036854775807",
    "9223372036854775808",
    "123456789012345678901234567890",
    "a1b0c0d0e0f0g0h0i0j0k0l0m0n0",
    "Infinity",
    "NaN",
    "1.5",
    " 1",
    "1 ",
  ),
);

/** Dates and times, right and wrong. */
export const dateText = fc.oneof(
  fc.date({ min: new Date("1900-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
    .map((date) => date.toISOString()),
  fc.date({ min: new Date("2000-01-01"), max: new Date("2030-01-01"), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 10)),
  fc.constantFrom(
    "2019-02-30",
    "2019-13-01",
    "2019-1-1",
    "0000-00-00",
    "9999-12-31",
    "2019-01-01T25:00:00Z",
    "2019-01-01T00:00:00+99:00",
    "today",
    "1d",
    "-1d",
    "1y",
    "999999999999w",
    "",
  ),
);

/** Any of the above as one string: what a hostile client puts where text is expected. */
export const hostileText = fc.oneof(
  { weight: 3, arbitrary: anyText },
  { weight: 2, arbitrary: builtInName },
  { weight: 1, arbitrary: unknownId },
  { weight: 1, arbitrary: malformedId },
  { weight: 2, arbitrary: numberText },
  { weight: 2, arbitrary: dateText },
  { weight: 1, arbitrary: hugeText(1_000, 20_000) },
);
