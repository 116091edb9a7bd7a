import { assertEquals } from "../../../test/assert.ts";
import { bodies, startTestApp } from "../../../test/harness.ts";
import { activityBody, assertAnswer, nextInstant, send, withoutId } from "../testing.ts";

const t = await startTestApp();
const app = await t.login("application");
const child = await t.createUser("child");
const base = `/v1/children/${child.id}/physicalactivities`;

/** The view of `activityBody(start)` as every response shows it. */
function viewOf(body: ReturnType<typeof activityBody>, childId = child.id) {
  return {
    start_time: body.start_time.slice(0, 19),
    end_time: body.end_time.slice(0, 19),
    duration: body.duration,
    child_id: childId,
    name: body.name,
    calories: body.calories,
    steps: body.steps,
    distance: body.distance,
    levels: body.levels,
    heart_rate: body.heart_rate,
  };
}

const datetimeShape = (value: string) => ({
  code: 400,
  message: `Datetime: ${value}, is not in valid ISO 8601 format.`,
  description: "Datetime must be in the format: yyyy-MM-ddTHH:mm:ssZ",
});
const datetimeDate = (value: string) => ({
  code: 400,
  message: `Datetime: ${value}, is not in valid ISO 8601 format.`,
});
const MISMATCH = bodies.invalid(
  "duration value does not match values passed in start_time and end_time parameters!",
);
const END_BEFORE = bodies.invalid(
  "The end_time parameter can not contain an older date than that the start_time parameter!",
);
const LEVEL_NAMES = bodies.invalid(
  "The names of the allowed levels are: sedentary, lightly, fairly, very.",
);
const LEVELS_ALL = bodies.invalid(
  "The levels array must have values for the following levels: sedentary, lightly, fairly, very.",
);
const INT0 = (name: string) =>
  bodies.invalid(`${name} must be an integer equal to or greater than zero.`);
const NUM0 = (name: string) =>
  bodies.invalid(`${name} must be a number equal to or greater than zero.`);
const POSITIVE = (names: string) =>
  bodies.invalid(`${names} must be an integer greater than zero.`);

// deno-lint-ignore no-explicit-any
type Edit = (body: any) => void;
const without = (...keys: string[]): Edit => (b) => keys.forEach((k) => delete b[k]);
const set = (key: string, value: unknown): Edit => (b) => (b[key] = value);
const zone = (name: string, key: string, value: unknown): Edit => (b) => {
  if (value === undefined) delete b.heart_rate[name][key];
  else b.heart_rate[name][key] = value;
};
const level = (index: number, key: string, value: unknown): Edit => (b) => {
  if (value === undefined) delete b.levels[index][key];
  else b.levels[index][key] = value;
};
const all = (...edits: Edit[]): Edit => (b) => edits.forEach((edit) => edit(b));

// The peer suite's rows (tracking.md §3.2) first, then the rest of the rules and their order.
const validation: [string, Edit, unknown][] = [
  ["name deleted", without("name"), bodies.required("name")],
  ["name and duration deleted", without("name", "duration"), bodies.required("duration, name")],
  [
    "all five required fields deleted",
    without("start_time", "end_time", "duration", "name", "calories"),
    bodies.required("start_time, end_time, duration, name, calories"),
  ],
  [
    "start_time with month 13",
    set("start_time", "2018-13-19T14:40:00Z"),
    datetimeShape("2018-13-19T14:40:00Z"),
  ],
  ["end_time null", set("end_time", null), datetimeShape("null")],
  ["duration negative", set("duration", -1178000), INT0("duration")],
  ["calories negative", set("calories", -1), NUM0("calories")],
  ["distance null", set("distance", null), NUM0("distance")],
  ["name null", set("name", null), bodies.invalid("name must be a string!")],
  ["level name empty", level(0, "name", ""), LEVEL_NAMES],
  ["level name null", level(0, "name", null), LEVEL_NAMES],
  ["level name misspelt", level(0, "name", "sedentaries"), LEVEL_NAMES],
  ["level duration null", level(1, "duration", null), INT0("levels.duration")],
  ["level duration negative", level(1, "duration", -5), INT0("levels.duration")],
  ["heart_rate.average null", (b) => (b.heart_rate.average = null), POSITIVE("heart_rate.average")],
  [
    "heart_rate.average negative",
    (b) => (b.heart_rate.average = -1),
    POSITIVE("heart_rate.average"),
  ],
  [
    "fat_burn_zone.min null",
    zone("fat_burn_zone", "min", null),
    POSITIVE("heart_rate.fat_burn_zone.min"),
  ],
  [
    "fat_burn_zone.min negative",
    zone("fat_burn_zone", "min", -1),
    POSITIVE("heart_rate.fat_burn_zone.min"),
  ],
  [
    "cardio_zone.duration negative",
    zone("cardio_zone", "duration", -1),
    INT0("heart_rate.cardio_zone.duration"),
  ],
  [
    "peak_zone.duration deleted",
    zone("peak_zone", "duration", undefined),
    bodies.required("heart_rate.peak_zone.duration"),
  ],
  [
    "out_of_range_zone.min deleted",
    zone("out_of_range_zone", "min", undefined),
    bodies.required("heart_rate.out_of_range_zone.min"),
  ],
  // DATETIME (§1.3).
  [
    "start_time without seconds",
    set("start_time", "2018-12-14T12:52Z"),
    datetimeShape("2018-12-14T12:52Z"),
  ],
  ["start_time as a number", set("start_time", 1544791979000), datetimeShape("1544791979000")],
  ["start_time empty", set("start_time", ""), datetimeShape("")],
  ["start_time true", set("start_time", true), datetimeShape("true")],
  [
    "start_time 29 February of 2019",
    set("start_time", "2019-02-29T10:00:00Z"),
    datetimeDate("2019-02-29T10:00:00Z"),
  ],
  [
    "start_time day 00",
    set("start_time", "2019-06-00T14:40:00Z"),
    datetimeDate("2019-06-00T14:40:00Z"),
  ],
  [
    "start_time year 1677",
    set("start_time", "1677-06-01T14:40:00Z"),
    datetimeDate("1677-06-01T14:40:00Z"),
  ],
  [
    "end_time hour 24",
    set("end_time", "2018-12-14T24:00:00Z"),
    datetimeShape("2018-12-14T24:00:00Z"),
  ],
  // Scalars (§1.5).
  ["duration as text", set("duration", "4sT3xt"), INT0("duration")],
  ["duration null", set("duration", null), INT0("duration")],
  ["duration fractional", set("duration", 1178000.5), INT0("duration")],
  ["duration as an exponent", set("duration", "1.178e6"), INT0("duration")],
  ["calories as text", set("calories", "many"), NUM0("calories")],
  ["calories exponent", set("calories", 1e21), NUM0("calories")],
  ["calories boolean", set("calories", true), NUM0("calories")],
  ["steps negative", set("steps", -1), INT0("steps")],
  ["steps fractional", set("steps", 1.5), INT0("steps")],
  ["steps null", set("steps", null), INT0("steps")],
  ["distance negative", set("distance", -0.5), NUM0("distance")],
  ["name empty", set("name", ""), bodies.invalid("name must have at least one character!")],
  [
    "name blank (trimmed first)",
    set("name", "   "),
    bodies.invalid("name must have at least one character!"),
  ],
  ["name a number", set("name", 12), bodies.invalid("name must be a string!")],
  // B4–B5.
  ["duration not end − start", set("duration", 1000), MISMATCH],
  ["end before start", set("end_time", "2018-12-14T12:00:00Z"), END_BEFORE],
  [
    "zero duration with start ≠ end (checked, unlike the original)",
    set("duration", 0),
    MISMATCH,
  ],
  // Levels.
  ["three levels", (b) => b.levels.pop(), LEVELS_ALL],
  ["five levels", (b) => b.levels.push({ name: "very", duration: 1 }), LEVELS_ALL],
  ["a level name twice instead of another", level(3, "name", "fairly"), LEVELS_ALL],
  ["a level without name among four", level(2, "name", undefined), LEVELS_ALL],
  [
    "a fifth level without name",
    (b) => b.levels.push({ duration: 1 }),
    bodies.required("levels.name"),
  ],
  ["a level without duration", level(0, "duration", undefined), bodies.required("levels.duration")],
  [
    "levels without names and durations",
    (b) => b.levels.push({}, 5),
    bodies.required("levels.name, levels.duration, levels.name, levels.duration"),
  ],
  [
    "a bad level name before a bad duration",
    all(level(0, "duration", -1), level(1, "name", "x")),
    INT0("levels.duration"),
  ],
  // Heart rate.
  [
    "heart_rate {}",
    set("heart_rate", {}),
    bodies.required(
      "heart_rate.average, heart_rate.out_of_range_zone, heart_rate.fat_burn_zone, heart_rate.cardio_zone, heart_rate.peak_zone",
    ),
  ],
  [
    "heart_rate as text (read as {})",
    set("heart_rate", "fast"),
    bodies.required(
      "heart_rate.average, heart_rate.out_of_range_zone, heart_rate.fat_burn_zone, heart_rate.cardio_zone, heart_rate.peak_zone",
    ),
  ],
  [
    "two zones missing",
    (b) => {
      delete b.heart_rate.fat_burn_zone;
      delete b.heart_rate.peak_zone;
    },
    bodies.required("heart_rate.fat_burn_zone, heart_rate.peak_zone"),
  ],
  [
    "a zone null (read as missing)",
    (b) => (b.heart_rate.cardio_zone = null),
    bodies.required("heart_rate.cardio_zone"),
  ],
  [
    "invalid min and max are listed together",
    all(zone("fat_burn_zone", "min", null), zone("peak_zone", "max", "x")),
    POSITIVE("heart_rate.fat_burn_zone.min, heart_rate.peak_zone.max"),
  ],
  [
    "a missing bound comes before an invalid one",
    all(zone("fat_burn_zone", "min", -1), zone("peak_zone", "max", undefined)),
    bodies.required("heart_rate.peak_zone.max"),
  ],
  [
    "an invalid zone duration comes before an invalid bound",
    all(zone("out_of_range_zone", "min", 0), zone("peak_zone", "duration", "x")),
    INT0("heart_rate.peak_zone.duration"),
  ],
  [
    "an invalid average comes before missing zones",
    all((b) => (b.heart_rate = { average: 0 })),
    POSITIVE("heart_rate.average"),
  ],
  // Precedence between steps (§1.6).
  [
    "a DATETIME failure wins over every other",
    all(without("name"), set("calories", -1), set("end_time", "x")),
    datetimeShape("x"),
  ],
  [
    "start_time is read before end_time",
    all(set("end_time", "y"), set("start_time", "x")),
    datetimeShape("x"),
  ],
  [
    "an invalid field wins over missing ones",
    all(without("name"), set("calories", -1)),
    NUM0("calories"),
  ],
  [
    "the first invalid field in order wins",
    all(set("name", null), set("calories", -1)),
    bodies.invalid("name must be a string!"),
  ],
  ["the duration match comes before name", all(set("duration", 5), set("name", null)), MISMATCH],
  [
    "no order check without a duration",
    all(without("duration"), set("end_time", "2018-12-14T12:00:00Z")),
    bodies.required("duration"),
  ],
  [
    "a nested required list is thrown without the outer one",
    all(without("name"), (b) => b.levels.push({ duration: 1 })),
    bodies.required("levels.name"),
  ],
  [
    "calories comes before the heart rate",
    all(set("calories", "x"), set("heart_rate", {})),
    NUM0("calories"),
  ],
  [
    "levels come before the heart rate",
    all(level(0, "name", "x"), (b) => (b.heart_rate.average = 0)),
    LEVEL_NAMES,
  ],
];

for (const [name, edit, expected] of validation) {
  Deno.test(`POST physical activity validation: ${name}`, async () => {
    const body = activityBody(nextInstant());
    edit(body);
    assertAnswer(await send(t, "POST", base, app.token, body), 400, expected);
  });
}

Deno.test("POST physical activity: 201 with the stored resource in the 19-character UTC form", async () => {
  const body = activityBody("2018-12-14T12:52:59.123Z");
  const res = await send(t, "POST", base, app.token, body);
  assertEquals(res.status, 201);
  assertEquals(Object.keys(res.body), ["id", ...Object.keys(viewOf(body))]);
  assertEquals(withoutId(res.body), viewOf(body));
  assertEquals(res.body.start_time, "2018-12-14T12:52:59");
  assertEquals(res.body.end_time, "2018-12-14T13:12:37");
});

// Each case: how the sent body differs from `activityBody`, how the view differs from `viewOf`.
const successes: [string, Edit, Edit][] = [
  [
    "numeric strings become numbers, the name is trimmed, optional keys are left out",
    all(
      set("calories", "12.5"),
      set("steps", "1407"),
      set("name", "  run "),
      without("distance", "levels", "heart_rate"),
    ),
    all(set("calories", 12.5), set("name", "run"), without("distance", "levels", "heart_rate")),
  ],
  ["levels [] means no levels", set("levels", []), without("levels")],
  ["levels that are not an array are ignored", set("levels", "abc"), without("levels")],
  ["heart_rate null is ignored", set("heart_rate", null), without("heart_rate")],
  [
    "body child_id, id and unknown keys are ignored",
    all(
      set("child_id", "507f191e810c19729de860ea"),
      set("id", "507f191e810c19729de860eb"),
      set("x", 1),
    ),
    () => {},
  ],
  [
    "zero duration with start = end is stored",
    (b) => Object.assign(b, { end_time: b.start_time, duration: 0 }),
    (v) => Object.assign(v, { end_time: v.start_time, duration: 0 }),
  ],
];

for (const [name, edit, shown] of successes) {
  Deno.test(`POST physical activity: ${name}`, async () => {
    const body = activityBody(nextInstant());
    const view = viewOf(body);
    edit(body);
    shown(view);
    const res = await send(t, "POST", base, app.token, body);
    assertEquals(res.status, 201);
    assertEquals(withoutId(res.body), view);
    assertEquals(res.body.id === "507f191e810c19729de860eb", false);
  });
}

Deno.test("POST physical activity: times with a zone, without one, and in lower case", async () => {
  const cases: [string, string, string, string][] = [
    // sent start, sent end, shown start, shown end
    [
      "2019-03-01T10:00:00+01:00",
      "2019-03-01T10:30:00.000+01:00",
      "2019-03-01T09:00:00",
      "2019-03-01T09:30:00",
    ],
    ["2019-03-02T10:00:00", "2019-03-02T10:30:00", "2019-03-02T10:00:00", "2019-03-02T10:30:00"],
    [
      "2019-03-03t10:00:00.999z",
      "2019-03-03T10:30:00.999-00:00",
      "2019-03-03T10:00:00",
      "2019-03-03T10:30:00",
    ],
  ];
  for (const [start, end, shownStart, shownEnd] of cases) {
    const res = await send(t, "POST", base, app.token, {
      ...activityBody(),
      start_time: start,
      end_time: end,
      duration: 1_800_000,
    });
    assertEquals(res.status, 201, start);
    assertEquals([res.body.start_time, res.body.end_time], [shownStart, shownEnd], start);
  }
});

Deno.test("POST physical activity: the same start instant for the child is a 409, even written differently", async () => {
  const body = activityBody("2019-05-01T10:00:00.000Z");
  assertEquals((await send(t, "POST", base, app.token, body)).status, 201);
  const again = {
    ...body,
    start_time: "2019-05-01T11:00:00+01:00",
    end_time: "2019-05-01T11:19:38+01:00",
  };
  assertAnswer(await send(t, "POST", base, app.token, again), 409, {
    code: 409,
    message: "Physical Activity is already registered...",
  });
  const other = await t.createUser("child");
  const res = await send(t, "POST", `/v1/children/${other.id}/physicalactivities`, app.token, body);
  assertEquals(res.status, 201);
});

Deno.test("POST physical activity: malformed JSON, a JSON primitive and no body", async () => {
  for (const raw of ["{bad", "5", '"text"', "null"]) {
    const res = await t.request("POST", base, { token: app.token, raw });
    assertEquals(res.status, 400, raw);
    assertEquals(await res.json(), {
      code: 400,
      message: "Unable to process request body!",
      description:
        "Please verify that the JSON provided in the request body has a valid format and try again.",
    });
  }
  const res = await t.request("POST", base, { token: app.token });
  assertEquals(res.status, 400);
  assertEquals(
    await res.json(),
    bodies.required("start_time, end_time, duration, name, calories"),
  );
});

Deno.test("POST physical activities array: 207 with successes, then errors in input order, then DATETIME failures", async () => {
  const stored = activityBody("2019-07-01T08:00:00.000Z");
  assertEquals((await send(t, "POST", base, app.token, stored)).status, 201);
  const a = activityBody("2019-07-02T08:00:00.000Z");
  const c = activityBody("2019-07-03T08:00:00.000Z");
  const badTime = { ...activityBody("2019-07-04T08:00:00Z"), start_time: "2019-07-04T08:00" };
  const noName: Record<string, unknown> = { ...activityBody("2019-07-05T08:00:00Z"), id: "x1" };
  delete noName.name;
  const badEnd = { ...activityBody("2019-07-06T08:00:00Z"), end_time: null };
  const elements = [a, a, badTime, noName, c, stored, 7, badEnd];
  const res = await send(t, "POST", base, app.token, elements);
  assertEquals(res.status, 207);
  assertEquals(res.body.success.map((s: { code: number }) => s.code), [201, 201]);
  assertEquals(res.body.success.map((s: { item: unknown }) => withoutId(s.item)), [
    viewOf(a),
    viewOf(c),
  ]);
  const { name: _, ...noNameView } = { ...viewOf(activityBody("2019-07-05T08:00:00Z")) };
  assertEquals(res.body.error, [
    { code: 409, message: "Physical Activity is already registered...", item: viewOf(a) },
    { ...bodies.required("name"), item: { id: "x1", ...noNameView } },
    { code: 409, message: "Physical Activity is already registered...", item: viewOf(stored) },
    {
      ...bodies.required("start_time, end_time, duration, name, calories"),
      item: { child_id: child.id },
    },
    { ...datetimeShape("2019-07-04T08:00"), item: badTime },
    { ...datetimeShape("null"), item: badEnd },
  ]);
  const list = await send(
    t,
    "GET",
    `${base}?start_time=gte:2019-07-01&start_time=lt:2019-07-08`,
    app.token,
  );
  assertEquals(list.body.length, 3);
});

Deno.test("POST physical activities array: an empty array is an empty 207", async () => {
  assertAnswer(await send(t, "POST", base, app.token, []), 207, { success: [], error: [] });
});

Deno.test("POST physical activities array: error items echo what was understood, unknown keys dropped", async () => {
  const body = {
    ...activityBody("2019-08-01T08:00:00.5Z"),
    calories: -3,
    name: " Bike ",
    extra: true,
    levels: [{ name: "sedentary", duration: 1, x: 2 }],
    heart_rate: { average: 80, out_of_range_zone: { min: 1, max: 2, duration: 3, y: 4 }, z: 1 },
  };
  const res = await send(t, "POST", base, app.token, [body]);
  assertEquals(res.body, {
    success: [],
    error: [{
      ...NUM0("calories"),
      item: {
        start_time: "2019-08-01T08:00:00",
        end_time: "2019-08-01T08:19:38",
        duration: 1178000,
        child_id: child.id,
        name: "Bike",
        calories: -3,
        steps: 1407,
        distance: 1020.5,
        levels: [{ name: "sedentary", duration: 1 }],
        heart_rate: { average: 80, out_of_range_zone: { min: 1, max: 2, duration: 3 } },
      },
    }],
  });
});

Deno.test("GET physical activity by id: 200, 404 for another child's or an unknown id, 400 for a bad id", async () => {
  const created = await send(t, "POST", base, app.token, activityBody(nextInstant()));
  const id = created.body.id;
  assertAnswer(await send(t, "GET", `${base}/${id.toUpperCase()}`, app.token), 200, created.body);
  const notFound = {
    code: 404,
    message: "Physical Activity not found!",
    description:
      "Physical Activity not found or already removed. A new operation for the same resource is not required.",
  };
  const other = await t.createUser("child");
  assertAnswer(
    await send(t, "GET", `/v1/children/${other.id}/physicalactivities/${id}`, app.token),
    404,
    notFound,
  );
  assertAnswer(await send(t, "GET", `${base}/507f191e810c19729de860ea`, app.token), 404, notFound);
  assertAnswer(await send(t, "GET", `${base}/${id}?name=Run`, app.token), 404, notFound);
  assertAnswer(await send(t, "GET", `${base}/${id}?name=Walk`, app.token), 200, created.body);
  assertAnswer(
    await send(t, "GET", `${base}/123`, app.token),
    400,
    bodies.badParam("physicalactivity_id"),
  );
  assertAnswer(
    await send(t, "GET", `/v1/children/123/physicalactivities/${id}`, app.token),
    400,
    bodies.badParam("child_id"),
  );
});

Deno.test("PATCH physical activity: 405 always, without checking the ids or the body", async () => {
  const discontinued = { code: 405, message: "Support for this method has been discontinued." };
  assertAnswer(
    await send(t, "PATCH", `${base}/507f191e810c19729de860ea`, app.token, { name: "x" }),
    405,
    discontinued,
  );
  assertAnswer(
    await send(t, "PATCH", `/v1/children/123/physicalactivities/456`, app.token),
    405,
    discontinued,
  );
});

Deno.test("DELETE physical activity: 204 always; only the path child's record goes", async () => {
  const created = await send(t, "POST", base, app.token, activityBody(nextInstant()));
  const id = created.body.id;
  const other = await t.createUser("child");
  const foreign = await send(
    t,
    "DELETE",
    `/v1/children/${other.id}/physicalactivities/${id}`,
    app.token,
  );
  assertEquals([foreign.status, foreign.body], [204, undefined]);
  assertEquals((await send(t, "GET", `${base}/${id}`, app.token)).status, 200);
  for (let i = 0; i < 2; i++) {
    const res = await send(t, "DELETE", `${base}/${id}`, app.token);
    assertEquals([res.status, res.body], [204, undefined]);
  }
  assertEquals((await send(t, "GET", `${base}/${id}`, app.token)).status, 404);
  assertAnswer(
    await send(t, "DELETE", `${base}/12`, app.token),
    400,
    bodies.badParam("physicalactivity_id"),
  );
});

Deno.test("GET physical activities: pages, sorts and filters in SQL, with the child's unfiltered total", async () => {
  const kid = await t.createUser("child");
  const path = `/v1/children/${kid.id}/physicalactivities`;
  const specs: [string, string, number, number][] = [
    // name, start, duration (min), steps
    ["Walk", "2019-01-20T08:00:00.000Z", 30, 3000],
    ["Run", "2019-01-20T18:00:00.000Z", 20, 4000],
    ["Swim", "2019-01-21T08:00:00.000Z", 45, 0],
    ["Walk", "2019-01-22T08:00:00.000Z", 10, 900],
    ["Caminhada", "2019-01-23T08:00:00.000Z", 60, 7000],
  ];
  const ids: string[] = [];
  for (const [name, start, minutes, steps] of specs) {
    t.clock.advance(1000);
    const res = await send(t, "POST", path, app.token, {
      ...activityBody(start, minutes * 60000),
      name,
      steps,
    });
    ids.push(res.body.id);
  }
  const names = async (query: string) => {
    const res = await send(t, "GET", `${path}${query}`, app.token);
    assertEquals(res.status, 200, query);
    assertEquals(res.headers.get("X-Total-Count"), "5", query);
    return res.body.map((a: { name: string; duration: number }) =>
      `${a.name}/${a.duration / 60000}`
    );
  };
  assertEquals(await names(""), ["Caminhada/60", "Walk/10", "Swim/45", "Run/20", "Walk/30"]);
  assertEquals(await names("?limit=2"), ["Caminhada/60", "Walk/10"]);
  assertEquals(await names("?limit=2&page=3"), ["Walk/30"]);
  assertEquals(await names("?limit=2&page=4"), []);
  assertEquals(await names("?sort=duration"), [
    "Walk/10",
    "Run/20",
    "Walk/30",
    "Swim/45",
    "Caminhada/60",
  ]);
  assertEquals(await names("?sort=-duration&limit=2"), ["Caminhada/60", "Swim/45"]);
  assertEquals(await names("?sort=start_time"), [
    "Walk/30",
    "Run/20",
    "Swim/45",
    "Walk/10",
    "Caminhada/60",
  ]);
  assertEquals(await names("?sort=name,-duration"), [
    "Caminhada/60",
    "Run/20",
    "Swim/45",
    "Walk/30",
    "Walk/10",
  ]);
  assertEquals(await names("?sort=unknown"), [
    "Caminhada/60",
    "Walk/10",
    "Swim/45",
    "Run/20",
    "Walk/30",
  ]);
  assertEquals(await names("?name=Walk"), ["Walk/10", "Walk/30"]);
  assertEquals(await names("?name=walk"), []);
  assertEquals(await names("?name=Walk,Run"), ["Walk/10", "Run/20", "Walk/30"]);
  assertEquals(await names("?name=*AMIN*"), ["Caminhada/60"]);
  assertEquals(await names("?name=cam*"), ["Caminhada/60"]);
  assertEquals(await names("?name=*ím"), ["Swim/45"]);
  assertEquals(await names("?steps=gte:3000&sort=steps"), ["Walk/30", "Run/20", "Caminhada/60"]);
  assertEquals(await names("?steps=0"), ["Swim/45"]);
  assertEquals(await names("?duration=gt:1200000&duration=lte:2700000"), ["Swim/45", "Walk/30"]);
  assertEquals(
    await names(
      "?start_time=gte:2019-01-20T00:00:00.000Z&end_time=lt:2019-01-20T23:59:59.999Z&sort=child_id&page=1&limit=3",
    ),
    ["Run/20", "Walk/30"],
  );
  assertEquals(await names("?start_time=gte:2019-01-21&start_time=lt:2019-01-23"), [
    "Walk/10",
    "Swim/45",
  ]);
  assertEquals(await names("?start_time=2019-01-22T08:00:00"), ["Walk/10"]);
  assertEquals(await names(`?id=${ids[2]}`), ["Swim/45"]);
  assertEquals(await names("?levels.name=very&limit=1"), ["Caminhada/60"]);
  assertEquals(await names("?levels.name=running"), []);
  assertEquals(await names("?heart_rate.average=107&limit=1"), ["Caminhada/60"]);
  assertEquals(await names("?child_id=507f191e810c19729de860ea&limit=1"), ["Caminhada/60"]);
  assertEquals(await names("?unknown_field=1"), []);
  assertEquals(await names("?fields=name&skip=3&limit=1"), ["Caminhada/60"]);
  assertEquals(await names("?page=x&limit=0"), [
    "Caminhada/60",
    "Walk/10",
    "Swim/45",
    "Run/20",
    "Walk/30",
  ]);
});

Deno.test("GET physical activities: values that cannot be read as the field's type are a 400", async () => {
  const cases: [string, unknown][] = [
    [
      "start_time=gte:abc",
      bodies.invalid("The value 'abc' of start_time field is not a valid date."),
    ],
    ["duration=lt:ten", {
      code: 400,
      message: "The value 'ten' of duration field is not a number.",
    }],
  ];
  for (const [query, expected] of cases) {
    assertAnswer(await send(t, "GET", `${base}?${query}`, app.token), 400, expected, query);
  }
});

Deno.test("GET physical activities: records registered in the same millisecond are newest-inserted first", async () => {
  const kid = await t.createUser("child");
  const path = `/v1/children/${kid.id}/physicalactivities`;
  const starts = [
    "2019-02-01T08:00:00.000Z",
    "2019-02-02T08:00:00.000Z",
    "2019-02-03T08:00:00.000Z",
  ];
  await send(t, "POST", path, app.token, starts.map((s) => activityBody(s)));
  const res = await send(t, "GET", path, app.token);
  assertEquals(res.body.map((a: { start_time: string }) => a.start_time), [
    "2019-02-03T08:00:00",
    "2019-02-02T08:00:00",
    "2019-02-01T08:00:00",
  ]);
  const head = await t.request("HEAD", path, { token: app.token });
  assertEquals([head.status, head.headers.get("X-Total-Count")], [200, "3"]);
});

Deno.test("(close the test database)", () => t.close());
