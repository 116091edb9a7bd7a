import { assertEquals } from "../../../test/assert.ts";
import { bodies, startTestApp } from "../../../test/harness.ts";
import { assertAnswer, bodyFatBody, nextInstant, send, weightBody, withoutId } from "../testing.ts";

const t = await startTestApp();
const app = await t.login("application");
const child = await t.createUser("child");
const base = `/v1/children/${child.id}`;

const datetimeShape = (value: string) => ({
  code: 400,
  message: `Datetime: ${value}, is not in valid ISO 8601 format.`,
  description: "Datetime must be in the format: yyyy-MM-ddTHH:mm:ssZ",
});
const VALUE = bodies.invalid("value must be a number equal to or greater than zero.");
const NOT_FOUND = {
  code: 404,
  message: "Body Fat not found!",
  description:
    "Body Fat not found or already removed. A new operation for the same resource is not required.",
};

const validation: [string, Record<string, unknown>, unknown][] = [
  // The peer suite's rows (tracking.md §6.2).
  [
    "timestamp with month 00",
    { timestamp: "2019-00-11T14:40:00Z", value: 1 },
    datetimeShape("2019-00-11T14:40:00Z"),
  ],
  ["timestamp empty", { timestamp: "", value: 1 }, datetimeShape("")],
  ["timestamp null", { timestamp: null, value: 1 }, datetimeShape("null")],
  ["value as text", { timestamp: nextInstant(), value: "asText" }, VALUE],
  ["value null", { timestamp: nextInstant(), value: null }, VALUE],
  ["value negative", { timestamp: nextInstant(), value: -1 }, VALUE],
  // The rest.
  ["nothing sent", {}, bodies.required("timestamp, value")],
  ["value missing", { timestamp: nextInstant() }, bodies.required("value")],
  ["timestamp read first", { timestamp: "2019-02-30T00:00:00Z", value: -1 }, {
    code: 400,
    message: "Datetime: 2019-02-30T00:00:00Z, is not in valid ISO 8601 format.",
  }],
  ["invalid before missing", { value: "x" }, VALUE],
];

for (const [name, body, expected] of validation) {
  Deno.test(`POST body fat validation: ${name}`, async () => {
    assertAnswer(await send(t, "POST", `${base}/bodyfats`, app.token, body), 400, expected);
  });
}

Deno.test("POST body fat: 201 in the full ISO form with milliseconds; the unit is always %", async () => {
  const cases: [string, string][] = [
    ["2019-06-18T03:00:45.123Z", "2019-06-18T03:00:45.123Z"],
    ["2019-06-19T03:00:45", "2019-06-19T03:00:45.000Z"],
    ["2019-06-20T03:00:45.1-03:00", "2019-06-20T06:00:45.100Z"],
  ];
  for (const [sent, shown] of cases) {
    const res = await send(t, "POST", `${base}/bodyfats`, app.token, {
      timestamp: sent,
      value: "18.5",
      unit: "kg",
    });
    assertEquals(res.status, 201, sent);
    assertEquals(withoutId(res.body), {
      timestamp: shown,
      value: 18.5,
      unit: "%",
      child_id: child.id,
    });
  }
  assertAnswer(
    await send(t, "POST", `${base}/bodyfats`, app.token, {
      timestamp: "2019-06-18T00:00:45.123-03:00",
      value: 1,
    }),
    409,
    { code: 409, message: "Body Fat is already registered..." },
  );
});

Deno.test("POST body fats array: 207; error items show the full ISO time and unit %", async () => {
  const kid = await t.createUser("child");
  const res = await send(t, "POST", `/v1/children/${kid.id}/bodyfats`, app.token, [
    bodyFatBody("2019-07-01T00:00:00Z", 10),
    { timestamp: "2019-07-02T00:00:00Z", value: -4, unit: "kg" },
    bodyFatBody("2019-07-01T00:00:00Z", 11),
  ]);
  assertEquals(res.status, 207);
  assertEquals(res.body.success.map((s: { item: unknown }) => withoutId(s.item)), [
    { timestamp: "2019-07-01T00:00:00.000Z", value: 10, unit: "%", child_id: kid.id },
  ]);
  assertEquals(res.body.error, [
    {
      ...VALUE,
      item: { timestamp: "2019-07-02T00:00:00.000Z", value: -4, unit: "%", child_id: kid.id },
    },
    {
      code: 409,
      message: "Body Fat is already registered...",
      item: { timestamp: "2019-07-01T00:00:00.000Z", value: 11, unit: "%", child_id: kid.id },
    },
  ]);
});

Deno.test("GET body fats: list per kind, sorted, with the kind's total; a weight id is 404 by id", async () => {
  const kid = await t.createUser("child");
  const path = `/v1/children/${kid.id}`;
  for (
    const [at, value] of [["2019-01-03T00:00:00Z", 30], ["2019-01-01T00:00:00Z", 10], [
      "2019-01-02T00:00:00Z",
      20,
    ]] as const
  ) {
    t.clock.advance(10);
    await send(t, "POST", `${path}/bodyfats`, app.token, bodyFatBody(at, value));
  }
  const weight = await send(
    t,
    "POST",
    `${path}/weights`,
    app.token,
    weightBody("2019-01-05T00:00:00Z"),
  );
  const values = async (query: string) => {
    const res = await send(t, "GET", `${path}/bodyfats${query}`, app.token);
    assertEquals([res.status, res.headers.get("X-Total-Count")], [200, "3"], query);
    return res.body.map((b: { value: number }) => b.value);
  };
  assertEquals(await values(""), [20, 10, 30]);
  assertEquals(await values("?sort=timestamp"), [10, 20, 30]);
  assertEquals(await values("?sort=-value&limit=2"), [30, 20]);
  assertEquals(await values("?timestamp=gte:2019-01-02&type=weight"), [20, 30]);
  assertAnswer(
    await send(t, "GET", `${path}/bodyfats/${weight.body.id}`, app.token),
    404,
    NOT_FOUND,
  );
  assertAnswer(
    await send(t, "GET", `${path}/bodyfats/1`, app.token),
    400,
    bodies.badParam("bodyfat_id"),
  );
});

Deno.test("DELETE body fat: clears the link of the child's weight, scoped to the path child", async () => {
  const kid = await t.createUser("child");
  const path = `/v1/children/${kid.id}`;
  const weight =
    (await send(t, "POST", `${path}/weights`, app.token, weightBody("2019-03-01T00:00:00Z", 25)))
      .body;
  const fat = (await send(t, "GET", `${path}/bodyfats`, app.token)).body[0];
  // Through another child's path nothing happens: no link cleared, nothing deleted.
  const other = await t.createUser("child");
  assertEquals(
    (await send(t, "DELETE", `/v1/children/${other.id}/bodyfats/${fat.id}`, app.token)).status,
    204,
  );
  assertEquals((await send(t, "GET", `${path}/weights/${weight.id}`, app.token)).body.body_fat, 25);
  // A weight's id is not a body fat: nothing happens.
  assertEquals((await send(t, "DELETE", `${path}/bodyfats/${weight.id}`, app.token)).status, 204);
  assertAnswer(await send(t, "GET", `${path}/weights/${weight.id}`, app.token), 200, weight);
  // Through the child's own path: deleted, and the weight loses its body_fat key.
  const res = await send(t, "DELETE", `${path}/bodyfats/${fat.id}`, app.token);
  assertEquals([res.status, res.body], [204, undefined]);
  assertAnswer(await send(t, "GET", `${path}/bodyfats/${fat.id}`, app.token), 404, NOT_FOUND);
  const { body_fat: _, ...unlinked } = weight;
  assertAnswer(await send(t, "GET", `${path}/weights/${weight.id}`, app.token), 200, unlinked);
  assertEquals((await send(t, "DELETE", `${path}/bodyfats/${fat.id}`, app.token)).status, 204);
});

Deno.test("(close the test database)", () => t.close());
