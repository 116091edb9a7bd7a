import { assertEquals } from "../assert.ts";
import { bodies, startTestApp } from "../harness.ts";

/**
 * Defects the property suite found, each pinned as a plain case (they answered 500):
 * - a body value that is an object with its own `toString` key (`{"toString": 1}`), where
 *   a date or time is expected: the error message turned the value into text with
 *   `String(value)`, which calls that key;
 * - arrays nested thousands deep: turning them into text (the same message) or echoing
 *   them in a bulk answer overflowed the stack. Bodies nested deeper than 64 levels are
 *   now refused as malformed, before validation.
 */

const t = await startTestApp();
const child = await t.login("child");
const admin = await t.login("admin");
const base = `/v1/children/${child.id}`;
const deep = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

const datetime = (shown: string) => ({
  code: 400,
  message: `Datetime: ${shown}, is not in valid ISO 8601 format.`,
  description: "Datetime must be in the format: yyyy-MM-ddTHH:mm:ssZ",
});
const malformed = {
  code: 400,
  message: "Unable to process request body!",
  description:
    "Please verify that the JSON provided in the request body has a valid format and try again.",
};

const cases: { name: string; path: string; raw: string; status: number; body: unknown }[] = [
  {
    name: "an activity's start_time with its own toString",
    path: `${base}/physicalactivities`,
    raw: '{"start_time":{"toString":1}}',
    status: 400,
    body: datetime("[object Object]"),
  },
  {
    name: "a body fat's timestamp with its own toString",
    path: `${base}/bodyfats`,
    raw: '{"timestamp":{"toString":1},"value":1}',
    status: 400,
    body: datetime("[object Object]"),
  },
  {
    name: "a daily log's date with its own toString (reported per item)",
    path: `${base}/logs/steps`,
    raw: '[{"date":{"toString":1},"value":1}]',
    status: 207,
    body: {
      success: [],
      error: [{
        code: 400,
        message: "Date: [object Object], is not in valid ISO 8601 format.",
        description: "Date must be in the format: yyyy-MM-dd",
        item: { date: { toString: 1 }, value: 1 },
      }],
    },
  },
  {
    name: "a sleep's start_time nested 10,000 deep",
    path: `${base}/sleep`,
    raw: `{"start_time":${deep(10_000)}}`,
    status: 400,
    body: malformed,
  },
  {
    name: "a bulk activity nested 10,000 deep (echoed in the 207)",
    path: `${base}/physicalactivities`,
    raw: `[{"start_time":${deep(10_000)}}]`,
    status: 400,
    body: malformed,
  },
  {
    name: "a weight nested 65 deep (past the limit)",
    path: `${base}/weights`,
    raw: `{"timestamp":${deep(64)}}`,
    status: 400,
    body: malformed,
  },
  {
    name: "a weight nested 64 deep (at the limit: validated as usual)",
    path: `${base}/weights`,
    raw: `{"timestamp":${deep(63)}}`,
    status: 400,
    body: datetime(""),
  },
];

for (const { name, path, raw, status, body } of cases) {
  Deno.test(`found by the property suite: ${name}`, async () => {
    const res = await t.request("POST", path, { token: child.token, raw });
    assertEquals([res.status, await res.json()], [status, body]);
  });
}

Deno.test("found by the property suite: brackets inside strings do not count as nesting", async () => {
  const res = await t.request("POST", `${base}/weights`, {
    token: child.token,
    body: { timestamp: deep(100), value: 1, unit: "kg" },
  });
  assertEquals([res.status, await res.json()], [400, datetime(deep(100))]);
});

Deno.test("found by the property suite: an unknown owner still answers first", async () => {
  const res = await t.request("POST", "/v1/children/5f0000000000000000000000/sleep", {
    token: child.token,
    raw: `{"start_time":${deep(100)}}`,
  });
  assertEquals(res.status, 403);
  assertEquals(await res.json(), bodies.forbidden);
});

// A page far past the end: `limit` keeps only its digits (the original's rule), so
// `limit=a1a0…` asked for 10^12 rows, and the offset overflowed SQLite's integers.
const farPage = "?limit=a1a0aa0a0a0aa00000a0aa00&page=9223374";
const lists = ["/v1/children", "/v1/institutions", `${base}/bodyfats`, `${base}/sleep`];
for (const path of lists) {
  Deno.test(`found by the property suite: GET ${path.replace(child.id, "{child_id}")} a page far past the end is empty`, async () => {
    const res = await t.request("GET", `${path}${farPage}`, { token: admin.token });
    assertEquals([res.status, await res.json()], [200, []]);
  });
}

Deno.test("(close the test database)", () => t.close());
