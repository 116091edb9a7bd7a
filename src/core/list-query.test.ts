import { assertEquals } from "../../test/assert.ts";
import {
  applyListQuery,
  naturalCompare,
  parseFilterTerm,
  parseListQuery,
  termMatches,
} from "./list-query.ts";

const paging: [Record<string, string>, { page: number; limit: number; offset: number }][] = [
  [{}, { page: 1, limit: 100, offset: 0 }],
  [{ page: "3", limit: "10" }, { page: 3, limit: 10, offset: 20 }],
  [{ page: "-2", limit: "5a" }, { page: 2, limit: 5, offset: 5 }],
  [{ page: "0", limit: "0" }, { page: 1, limit: 100, offset: 0 }],
  [{ page: "abc", limit: "" }, { page: 1, limit: 100, offset: 0 }],
];

for (const [query, expected] of paging) {
  Deno.test(`list query: paging ${JSON.stringify(query)}`, () => {
    const { page, limit, offset } = parseListQuery(query);
    assertEquals({ page, limit, offset }, expected);
  });
}

Deno.test("list query: sort keys with directions", () => {
  assertEquals(parseListQuery({ sort: "-start_time,+name,value" }).sort, [
    { field: "start_time", descending: true },
    { field: "name", descending: false },
    { field: "value", descending: false },
  ]);
});

Deno.test("list query: filters: comma is OR, repeated keys are AND, reserved keys are not filters", () => {
  const q = parseListQuery({ type: "a,b", value: ["gte:3", "lt:9"], fields: "x", skip: "1" });
  assertEquals(q.filters.map((f) => [f.field, f.anyOf.map((t) => t.raw)]), [
    ["type", ["a", "b"]],
    ["value", ["gte:3"]],
    ["value", ["lt:9"]],
  ]);
});

const matching: [string, unknown, boolean][] = [
  ["abc", "abc", true],
  ["abc", "ABC", false],
  ["10", "10", true],
  ["gt:5", 6, true],
  ["lte:5", 6, false],
  ["*lé*", "Olé", true],
  ["*le*", "Olé", true],
  ["jo*", "John", true],
  ["jo*", "Ajo", false],
  ["*jo", "Ajo", true],
  ["2020-01-01", "2020-01-01T00:00:00", true],
];

for (const [raw, stored, expected] of matching) {
  Deno.test(`list query: ${raw} ${expected ? "matches" : "does not match"} ${stored}`, () => {
    assertEquals(termMatches(parseFilterTerm(raw), stored), expected);
  });
}

Deno.test("list query: natural order compares letters first, case only for ties, digits as numbers", () => {
  assertEquals(["b", "A10", "a2", "a", "B"].sort(naturalCompare), ["a", "a2", "A10", "b", "B"]);
});

// Names every JavaScript object inherits are no field of any resource (issue 10, finding 1).
const BUILT_IN_NAMES = ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__"];
const rows = [{ n: 2 }, { n: 1 }, { n: 3 }];
const fields = { n: (row: { n: number }) => row.n };

for (const name of BUILT_IN_NAMES) {
  Deno.test(`list query: a filter on ${name} matches nothing, a sort on it is ignored`, () => {
    // A computed key makes `__proto__` an own key, as a parsed query string has it.
    assertEquals(applyListQuery(rows, parseListQuery({ [name]: "x" }), fields), []);
    assertEquals(applyListQuery(rows, parseListQuery({ sort: `-${name}` }), fields), rows);
    assertEquals(applyListQuery(rows, parseListQuery({ sort: `${name},n` }), fields), [
      { n: 1 },
      { n: 2 },
      { n: 3 },
    ]);
  });
}
