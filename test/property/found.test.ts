import { assertEquals } from "../assert.ts";
import { startTestApp } from "../harness.ts";

/**
 * Defects the property suite found, each pinned as a plain case (they answered 500):
 * - a body value that is an object with its own `toString` key (`{"toString": 1}`), where
 *   a date or time is expected: the error message turned the value into text with
 *   `String(value)`, which calls that key.
 */

const t = await startTestApp();
const child = await t.login("child");
const base = `/v1/children/${child.id}`;

const datetime = (shown: string) => ({
  code: 400,
  message: `Datetime: ${shown}, is not in valid ISO 8601 format.`,
  description: "Datetime must be in the format: yyyy-MM-ddTHH:mm:ssZ",
});

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
];

for (const { name, path, raw, status, body } of cases) {
  Deno.test(`found by the property suite: ${name}`, async () => {
    const res = await t.request("POST", path, { token: child.token, raw });
    assertEquals([res.status, await res.json()], [status, body]);
  });
}

Deno.test("(close the test database)", () => t.close());
