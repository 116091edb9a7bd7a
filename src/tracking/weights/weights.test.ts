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
const NUM0 = (name: string) =>
  bodies.invalid(`${name} must be a number equal to or greater than zero.`);
const NOT_FOUND = {
  code: 404,
  message: "Weight not found!",
  description:
    "Weight not found or already removed. A new operation for the same resource is not required.",
};

// deno-lint-ignore no-explicit-any
type Edit = (body: any) => void;
const without = (...keys: string[]): Edit => (b) => keys.forEach((k) => delete b[k]);
const set = (key: string, value: unknown): Edit => (b) => (b[key] = value);
const all = (...edits: Edit[]): Edit => (b) => edits.forEach((edit) => edit(b));

const validation: [string, Edit, unknown][] = [
  // The peer suite's rows (tracking.md §5.2).
  ["timestamp deleted", without("timestamp"), bodies.required("timestamp")],
  ["value and unit deleted", without("value", "unit"), bodies.required("value, unit")],
  [
    "timestamp on day 00",
    set("timestamp", "2019-06-00T14:40:00Z"),
    { code: 400, message: "Datetime: 2019-06-00T14:40:00Z, is not in valid ISO 8601 format." },
  ],
  ["timestamp null", set("timestamp", null), datetimeShape("null")],
  ["timestamp empty", set("timestamp", ""), datetimeShape("")],
  ["value as text", set("value", "asText"), NUM0("value")],
  ["value null", set("value", null), NUM0("value")],
  ["value negative", set("value", -1), NUM0("value")],
  ["unit null", set("unit", null), bodies.invalid("unit must be a string!")],
  ["unit empty", set("unit", ""), bodies.invalid("unit must have at least one character!")],
  ["body_fat as text", set("body_fat", "asText"), NUM0("body_fat")],
  ["body_fat null", set("body_fat", null), NUM0("body_fat")],
  ["body_fat negative", set("body_fat", -1), NUM0("body_fat")],
  // Order (B1–B6).
  ["all missing", without("timestamp", "value", "unit"), bodies.required("timestamp, value, unit")],
  [
    "missing fields are reported before an invalid body_fat",
    all(without("value"), set("body_fat", "x")),
    bodies.required("value"),
  ],
  [
    "an invalid unit comes before an invalid body_fat",
    all(set("unit", 5), set("body_fat", -2)),
    bodies.invalid("unit must be a string!"),
  ],
  [
    "the timestamp is read before everything",
    all(set("timestamp", "2019-06-20"), set("value", -1), without("unit")),
    datetimeShape("2019-06-20"),
  ],
];

for (const [name, edit, expected] of validation) {
  Deno.test(`POST weight validation: ${name}`, async () => {
    const body = weightBody(nextInstant(), 20);
    edit(body);
    assertAnswer(await send(t, "POST", `${base}/weights`, app.token, body), 400, expected);
  });
}

Deno.test("POST weight: 201 in the 19-character form; type, child_id and id sent are ignored", async () => {
  const res = await send(t, "POST", `${base}/weights`, app.token, {
    ...weightBody("2019-06-20T14:40:00.999Z"),
    value: "70.5",
    type: "body_fat",
    child_id: "507f191e810c19729de860ea",
    id: "507f191e810c19729de860eb",
  });
  assertEquals(res.status, 201);
  assertEquals(Object.keys(res.body), ["id", "timestamp", "value", "unit", "child_id"]);
  assertEquals(withoutId(res.body), {
    timestamp: "2019-06-20T14:40:00",
    value: 70.5,
    unit: "kg",
    child_id: child.id,
  });
  assertAnswer(
    await send(t, "POST", `${base}/weights`, app.token, weightBody("2019-06-20T14:40:00.999Z")),
    409,
    {
      code: 409,
      message: "Weight is already registered...",
    },
  );
});

Deno.test("POST weight with body_fat: the body fat at that instant is created, then overwritten, and linked", async () => {
  const kid = await t.createUser("child");
  const path = `/v1/children/${kid.id}`;
  // A weight with a body fat creates it.
  const first = await send(
    t,
    "POST",
    `${path}/weights`,
    app.token,
    weightBody("2019-06-01T08:00:00Z", 20),
  );
  assertEquals([first.status, first.body.body_fat], [201, 20]);
  let fats = await send(t, "GET", `${path}/bodyfats`, app.token);
  assertEquals(fats.body.map(withoutId), [
    { timestamp: "2019-06-01T08:00:00.000Z", value: 20, unit: "%", child_id: kid.id },
  ]);
  // A body fat already there is overwritten, without a 409, and not duplicated.
  const posted = await send(
    t,
    "POST",
    `${path}/bodyfats`,
    app.token,
    bodyFatBody("2019-06-02T08:00:00Z", 15),
  );
  const second = await send(
    t,
    "POST",
    `${path}/weights`,
    app.token,
    weightBody("2019-06-02T08:00:00Z", 22.5),
  );
  assertEquals([second.status, second.body.body_fat], [201, 22.5]);
  fats = await send(t, "GET", `${path}/bodyfats?sort=timestamp`, app.token);
  assertEquals(fats.headers.get("X-Total-Count"), "2");
  assertEquals(fats.body[1], { ...posted.body, value: 22.5 });
  // A duplicate weight is a 409 and leaves the body fat alone.
  const duplicate = await send(
    t,
    "POST",
    `${path}/weights`,
    app.token,
    weightBody("2019-06-02T08:00:00Z", 30),
  );
  assertEquals(duplicate.status, 409);
  assertEquals(
    (await send(t, "GET", `${path}/bodyfats/${posted.body.id}`, app.token)).body.value,
    22.5,
  );
  // A weight without body_fat is not linked to the body fat at its instant.
  await send(t, "POST", `${path}/bodyfats`, app.token, bodyFatBody("2019-06-03T08:00:00Z", 9));
  const unlinked = await send(
    t,
    "POST",
    `${path}/weights`,
    app.token,
    weightBody("2019-06-03T08:00:00Z"),
  );
  assertEquals("body_fat" in unlinked.body, false);
  // Lists and totals are per kind; the link shows in lists and by id.
  const weights = await send(t, "GET", `${path}/weights?sort=timestamp`, app.token);
  assertEquals(weights.headers.get("X-Total-Count"), "3");
  assertEquals(weights.body.map((w: { body_fat?: number }) => w.body_fat), [20, 22.5, undefined]);
  assertAnswer(
    await send(t, "GET", `${path}/weights/${second.body.id}`, app.token),
    200,
    second.body,
  );
  assertEquals((await send(t, "GET", `${path}/weights?body_fat=gt:21`, app.token)).body, [
    second.body,
  ]);
  // Deleting the weight keeps its body fat.
  assertEquals(
    (await send(t, "DELETE", `${path}/weights/${first.body.id}`, app.token)).status,
    204,
  );
  assertEquals((await send(t, "GET", `${path}/weights/${first.body.id}`, app.token)).status, 404);
  assertEquals(
    (await send(t, "GET", `${path}/bodyfats`, app.token)).headers.get("X-Total-Count"),
    "3",
  );
});

Deno.test("GET weight by id: a body fat's id, another child's weight and an unknown id are 404", async () => {
  const weight = await send(t, "POST", `${base}/weights`, app.token, weightBody(nextInstant(), 12));
  const fat = (await send(t, "GET", `${base}/bodyfats?value=12`, app.token)).body[0];
  assertAnswer(await send(t, "GET", `${base}/weights/${fat.id}`, app.token), 404, NOT_FOUND);
  const other = await t.createUser("child");
  assertAnswer(
    await send(t, "GET", `/v1/children/${other.id}/weights/${weight.body.id}`, app.token),
    404,
    NOT_FOUND,
  );
  assertAnswer(
    await send(t, "GET", `${base}/weights/507f191e810c19729de860ea`, app.token),
    404,
    NOT_FOUND,
  );
  assertAnswer(
    await send(t, "GET", `${base}/weights/zz`, app.token),
    400,
    bodies.badParam("weight_id"),
  );
  // DELETE with a body fat's id deletes nothing (only weights).
  assertEquals((await send(t, "DELETE", `${base}/weights/${fat.id}`, app.token)).status, 204);
  assertEquals((await send(t, "GET", `${base}/bodyfats/${fat.id}`, app.token)).status, 200);
});

Deno.test("POST weights array: 207 with mixed items; error items show the 19-character time", async () => {
  const kid = await t.createUser("child");
  const path = `/v1/children/${kid.id}/weights`;
  const good = weightBody("2019-09-01T08:00:00.5Z", 18);
  const noUnit = { timestamp: "2019-09-02T08:00:00+02:00", value: 3, body_fat: "x" };
  const res = await send(t, "POST", path, app.token, [
    good,
    noUnit,
    { ...good, timestamp: "x" },
    good,
  ]);
  assertEquals(res.status, 207);
  assertEquals(res.body.success.map((s: { item: unknown }) => withoutId(s.item)), [{
    timestamp: "2019-09-01T08:00:00",
    value: 70.2,
    unit: "kg",
    child_id: kid.id,
    body_fat: 18,
  }]);
  assertEquals(res.body.error, [
    {
      ...bodies.required("unit"),
      item: { timestamp: "2019-09-02T06:00:00", value: 3, child_id: kid.id, body_fat: "x" },
    },
    {
      code: 409,
      message: "Weight is already registered...",
      item: {
        timestamp: "2019-09-01T08:00:00",
        value: 70.2,
        unit: "kg",
        child_id: kid.id,
        body_fat: 18,
      },
    },
    { ...datetimeShape("x"), item: { ...good, timestamp: "x" } },
  ]);
});

Deno.test("(close the test database)", () => t.close());
