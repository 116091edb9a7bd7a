import { eq, sql } from "drizzle-orm";
import { assertEquals } from "../../../test/assert.ts";
import { bodies, startTestApp } from "../../../test/harness.ts";
import { environments } from "../../db/schema/index.ts";
import { assertAnswer, environmentBody, nextInstant, send, withoutId } from "../testing.ts";

const t = await startTestApp();
const app = await t.login("application");
const admin = await t.login("admin");
const institution = await t.createInstitution();
const base = `/v1/institutions/${institution.id}/environments`;

const datetimeShape = (value: string) => ({
  code: 400,
  message: `Datetime: ${value}, is not in valid ISO 8601 format.`,
  description: "Datetime must be in the format: yyyy-MM-ddTHH:mm:ssZ",
});
const CONFLICT = { code: 409, message: "Environment is already registered..." };

/** The view of an `environmentBody` as every response shows it. */
function viewOf(body: ReturnType<typeof environmentBody>, institutionId = institution.id) {
  return {
    institution_id: institutionId,
    location: body.location,
    measurements: body.measurements,
    climatized: body.climatized,
    timestamp: new Date(body.timestamp).toISOString(),
  };
}

// deno-lint-ignore no-explicit-any
type Edit = (body: any) => void;
const without = (...keys: string[]): Edit => (b) => keys.forEach((k) => delete b[k]);
const set = (key: string, value: unknown): Edit => (b) => (b[key] = value);
const place = (key: string, value: unknown): Edit => (b) => {
  if (value === undefined) delete b.location[key];
  else b.location[key] = value;
};
const measure = (index: number, key: string, value: unknown): Edit => (b) => {
  if (value === undefined) delete b.measurements[index][key];
  else b.measurements[index][key] = value;
};
const all = (...edits: Edit[]): Edit => (b) => edits.forEach((edit) => edit(b));

const validation: [string, Edit, unknown][] = [
  // The peer suite's rows (tracking.md §8.2).
  ["location deleted", without("location"), bodies.required("location")],
  [
    "timestamp and measurements deleted",
    without("timestamp", "measurements"),
    bodies.required("timestamp, measurements"),
  ],
  [
    "location and timestamp deleted",
    without("location", "timestamp"),
    bodies.required("timestamp, location"),
  ],
  ["location without room", place("room", undefined), bodies.required("location.room")],
  ["location without local", place("local", undefined), bodies.required("location.local")],
  [
    "a measurement without type",
    measure(0, "type", undefined),
    bodies.required("measurements.type"),
  ],
  ["timestamp null", set("timestamp", null), datetimeShape("null")],
  [
    "location.local a number",
    place("local", 123),
    bodies.invalid("location.local must be a string!"),
  ],
  [
    "location.room a number",
    place("room", 1000000),
    bodies.invalid("location.room must be a string!"),
  ],
  [
    "measurement value as text",
    measure(0, "value", "asText"),
    bodies.invalid("measurements.value must be a valid number."),
  ],
  [
    "measurement type a number",
    measure(1, "type", 1000000),
    bodies.invalid("measurements.type must be a string!"),
  ],
  [
    "measurement unit a number",
    measure(1, "unit", 1000000),
    bodies.invalid("measurements.unit must be a string!"),
  ],
  ["climatized Tru3", set("climatized", "Tru3"), bodies.invalid("climatized must be a boolean!")],
  // The rest.
  ["climatized null", set("climatized", null), bodies.invalid("climatized must be a boolean!")],
  [
    "climatized as text true",
    set("climatized", "true"),
    bodies.invalid("climatized must be a boolean!"),
  ],
  [
    "measurements empty",
    set("measurements", []),
    bodies.invalid("measurements collection must not be empty!"),
  ],
  [
    "measurements not an array",
    set("measurements", { type: "x" }),
    bodies.required("measurements"),
  ],
  ["measurements null", set("measurements", null), bodies.required("measurements")],
  ["location null", set("location", null), bodies.required("location.local, location.room")],
  ["location empty", set("location", {}), bodies.required("location.local, location.room")],
  [
    "location.local empty",
    place("local", ""),
    bodies.invalid("location.local must have at least one character!"),
  ],
  [
    "latitude a boolean",
    place("latitude", true),
    bodies.invalid("location.latitude must be a string!"),
  ],
  [
    "longitude empty",
    place("longitude", ""),
    bodies.invalid("location.longitude must have at least one character!"),
  ],
  [
    "measurement type blank",
    measure(0, "type", "  "),
    bodies.invalid("measurements.type must have at least one character!"),
  ],
  [
    "measurement value null",
    measure(0, "value", null),
    bodies.invalid("measurements.value must be a valid number."),
  ],
  [
    "measurements without fields join the outer list",
    all(without("timestamp"), set("measurements", [{ value: 1 }, {}])),
    bodies.required(
      "timestamp, measurements.type, measurements.unit, measurements.type, measurements.value, measurements.unit",
    ),
  ],
  [
    "a location list is thrown without the outer list",
    all(without("timestamp"), place("room", undefined)),
    bodies.required("location.room"),
  ],
  [
    "the location comes before the measurements",
    all(place("local", 1), measure(0, "value", "x")),
    bodies.invalid("location.local must be a string!"),
  ],
  [
    "climatized is judged before the collected list",
    all(without("timestamp"), set("climatized", 1)),
    bodies.invalid("climatized must be a boolean!"),
  ],
  [
    "a time inside a measurement is read too",
    all(measure(1, "timestamp", "yesterday"), set("climatized", 1)),
    datetimeShape("yesterday"),
  ],
  [
    "the reading's own time is read first",
    all(measure(0, "timestamp", "a"), set("timestamp", "b")),
    datetimeShape("b"),
  ],
];

for (const [name, edit, expected] of validation) {
  Deno.test(`POST environment validation: ${name}`, async () => {
    const body = environmentBody(nextInstant());
    edit(body);
    assertAnswer(await send(t, "POST", base, app.token, body), 400, expected);
  });
}

Deno.test("POST environment: 201 with the full ISO time, climatized false by default, numbers as text", async () => {
  const res = await send(t, "POST", base, app.token, {
    timestamp: "2019-11-19T14:40:00Z",
    location: { local: "indoor", room: "Room 1", latitude: -7.21, longitude: 35 },
    measurements: [
      { type: " PM2.5 ", value: "12.5", unit: "µm", id: "x", timestamp: "2019-11-19T14:40:00Z" },
      { type: "temperature", value: -1.5, unit: "°C" },
    ],
    institution_id: "507f191e810c19729de860ea",
  });
  assertEquals(res.status, 201);
  assertEquals(Object.keys(res.body), [
    "id",
    "institution_id",
    "location",
    "measurements",
    "climatized",
    "timestamp",
  ]);
  assertEquals(withoutId(res.body), {
    institution_id: institution.id,
    location: { local: "indoor", room: "Room 1", latitude: "-7.21", longitude: "35" },
    measurements: [
      { type: "pm2.5", value: 12.5, unit: "µm" },
      { type: "temperature", value: -1.5, unit: "°C" },
    ],
    climatized: false,
    timestamp: "2019-11-19T14:40:00.000Z",
  });
});

Deno.test("POST environment: 409 for the same instant and the same location only", async () => {
  const body = environmentBody("2019-12-01T10:00:00.000Z");
  assertEquals((await send(t, "POST", base, app.token, body)).status, 201);
  assertAnswer(
    await send(t, "POST", base, app.token, { ...body, timestamp: "2019-12-01T07:00:00-03:00" }),
    409,
    CONFLICT,
  );
  const { latitude: _, ...noLatitude } = body.location;
  const cases: [string, unknown, number][] = [
    ["another room", { ...body, location: { ...body.location, room: "Room 41" } }, 201],
    ["no latitude (absent is not equal to present)", { ...body, location: noLatitude }, 201],
    ["again without latitude", { ...body, location: noLatitude }, 409],
    ["another instant", { ...body, timestamp: "2019-12-01T10:00:00.001Z" }, 201],
  ];
  for (const [name, sent, status] of cases) {
    assertEquals((await send(t, "POST", base, app.token, sent)).status, status, name);
  }
  const other = await t.createInstitution();
  const res = await send(t, "POST", `/v1/institutions/${other.id}/environments`, app.token, body);
  assertEquals(res.status, 201);
});

Deno.test("POST environments array: 207 with mixed items in the contract's order", async () => {
  const inst = await t.createInstitution();
  const path = `/v1/institutions/${inst.id}/environments`;
  const good = environmentBody("2020-01-01T00:00:00.000Z");
  const noLocation: Record<string, unknown> = { ...environmentBody("2020-01-02T00:00:00Z") };
  delete noLocation.location;
  const badTime = { ...environmentBody(), timestamp: "2020-01-03" };
  const res = await send(t, "POST", path, app.token, [badTime, good, noLocation, good]);
  assertEquals(res.status, 207);
  assertEquals(res.body.success.map((s: { item: unknown }) => withoutId(s.item)), [
    viewOf(good, inst.id),
  ]);
  const { location: _, ...shownWithoutLocation } = viewOf(
    environmentBody("2020-01-02T00:00:00Z"),
    inst.id,
  );
  assertEquals(res.body.error, [
    { ...bodies.required("location"), item: shownWithoutLocation },
    { ...CONFLICT, item: viewOf(good, inst.id) },
    { ...datetimeShape("2020-01-03"), item: badTime },
  ]);
  assertEquals((await send(t, "POST", path, app.token, [])).body, { success: [], error: [] });
});

Deno.test("GET environments: total, sort on timestamp, filters; 400 for a bad id or a bad boolean", async () => {
  const inst = await t.createInstitution();
  const path = `/v1/institutions/${inst.id}/environments`;
  const made: Record<string, unknown>[] = [];
  for (
    const [at, room, climatized] of [["2020-02-02T00:00:00Z", "A", true], [
      "2020-02-01T00:00:00Z",
      "B",
      false,
    ], ["2020-02-03T00:00:00Z", "Sála", true]] as const
  ) {
    t.clock.advance(5);
    const body = { ...environmentBody(at, room), climatized };
    if (room === "B") body.measurements = [{ type: "pm10", value: 3, unit: "µm" }];
    made.push((await send(t, "POST", path, app.token, body)).body);
  }
  const rooms = async (query: string) => {
    const res = await send(t, "GET", `${path}${query}`, app.token);
    assertEquals([res.status, res.headers.get("X-Total-Count")], [200, "3"], query);
    return res.body.map((e: { location: { room: string } }) => e.location.room);
  };
  assertEquals(await rooms(""), ["Sála", "B", "A"]);
  assertEquals(await rooms("?sort=timestamp"), ["B", "A", "Sála"]);
  assertEquals(await rooms("?sort=-timestamp&page=2&limit=2"), ["B"]);
  assertEquals(await rooms("?climatized=true&sort=timestamp"), ["A", "Sála"]);
  assertEquals(await rooms("?location.room=*sala*"), ["Sála"]);
  assertEquals(await rooms("?measurements.type=pm10"), ["B"]);
  assertEquals(await rooms("?measurements.value=gt:40&sort=timestamp"), ["A", "Sála"]);
  assertEquals(await rooms("?institution_id=507f191e810c19729de860ea&timestamp=lt:2020-02-02"), [
    "B",
  ]);
  assertEquals((await send(t, "GET", path, app.token)).body[0], made[2]);
  assertAnswer(await send(t, "GET", `${path}?climatized=maybe`, app.token), 400, {
    code: 400,
    message: "The value 'maybe' of climatized field is not a boolean.",
  });
  assertAnswer(
    await send(t, "GET", "/v1/institutions/123/environments", app.token),
    400,
    bodies.badParam("institution_id"),
  );
});

Deno.test("DELETE environment: one reading of the path institution only; 204 always", async () => {
  const inst = await t.createInstitution();
  const other = await t.createInstitution();
  const path = `/v1/institutions/${inst.id}/environments`;
  const reading = (await send(t, "POST", path, app.token, environmentBody(nextInstant()))).body;
  const elsewhere = await send(
    t,
    "DELETE",
    `/v1/institutions/${other.id}/environments/${reading.id}`,
    app.token,
  );
  assertEquals([elsewhere.status, elsewhere.body], [204, undefined]);
  assertEquals((await send(t, "GET", path, app.token)).body, [reading]);
  for (let i = 0; i < 2; i++) {
    assertEquals((await send(t, "DELETE", `${path}/${reading.id}`, app.token)).status, 204);
  }
  assertEquals((await send(t, "GET", path, app.token)).body, []);
  assertAnswer(
    await send(t, "DELETE", `${path}/123`, app.token),
    400,
    bodies.badParam("environment_id"),
  );
});

Deno.test("DELETE environments: every reading of the institution, whatever the query", async () => {
  const inst = await t.createInstitution();
  const other = await t.createInstitution();
  const path = `/v1/institutions/${inst.id}/environments`;
  await send(t, "POST", path, app.token, [
    environmentBody(nextInstant()),
    environmentBody(nextInstant()),
  ]);
  await send(
    t,
    "POST",
    `/v1/institutions/${other.id}/environments`,
    app.token,
    environmentBody(nextInstant()),
  );
  const res = await send(t, "DELETE", `${path}?timestamp=2000-01-01`, app.token);
  assertEquals([res.status, res.body], [204, undefined]);
  assertEquals((await send(t, "GET", path, app.token)).headers.get("X-Total-Count"), "0");
  assertEquals(
    (await send(t, "GET", `/v1/institutions/${other.id}/environments`, app.token)).body.length,
    1,
  );
  assertEquals((await send(t, "DELETE", path, app.token)).status, 204);
});

Deno.test("Deleting an institution deletes its environment readings (and only those)", async () => {
  const inst = await t.createInstitution();
  const kept = await t.createInstitution();
  for (const id of [inst.id, kept.id]) {
    await send(t, "POST", `/v1/institutions/${id}/environments`, app.token, [
      environmentBody(nextInstant()),
      environmentBody(nextInstant()),
    ]);
  }
  const count = async (id: string) =>
    (await t.db.select({ n: sql<number>`count(*)` }).from(environments)
      .where(eq(environments.institutionId, id)))[0].n;
  assertEquals([await count(inst.id), await count(kept.id)], [2, 2]);
  assertEquals((await send(t, "DELETE", `/v1/institutions/${inst.id}`, admin.token)).status, 204);
  assertEquals([await count(inst.id), await count(kept.id)], [0, 2]);
});

Deno.test("(close the test database)", () => t.close());
