import { assertEquals } from "../../../test/assert.ts";
import { bodies, startTestApp } from "../../../test/harness.ts";
import { assertAnswer, nextInstant, send, sleepBody, withoutId } from "../testing.ts";

const t = await startTestApp();
const app = await t.login("application");
const child = await t.createUser("child");
const base = `/v1/children/${child.id}/sleep`;

const CLASSIC_SUMMARY = {
  awake: { count: 2, duration: 480000 },
  asleep: { count: 2, duration: 720000 },
  restless: { count: 2, duration: 120000 },
};

/** The view of a `sleepBody` as every response shows it (summary computed). */
function viewOf(body: ReturnType<typeof sleepBody>, summary: unknown = CLASSIC_SUMMARY) {
  return {
    start_time: body.start_time.slice(0, 19),
    end_time: body.end_time.slice(0, 19),
    duration: body.duration,
    child_id: child.id,
    type: body.type,
    pattern: {
      data_set: body.pattern.data_set.map((item) => ({
        ...item,
        start_time: item.start_time.slice(0, 19),
      })),
      summary,
    },
  };
}

const datetimeShape = (value: string) => ({
  code: 400,
  message: `Datetime: ${value}, is not in valid ISO 8601 format.`,
  description: "Datetime must be in the format: yyyy-MM-ddTHH:mm:ssZ",
});
const INT0 = (name: string) =>
  bodies.invalid(`${name} must be an integer equal to or greater than zero.`);
const CLASSIC_NAMES = bodies.invalid(
  "The names of the allowed data_set patterns are: asleep, restless, awake.",
);
const STAGES_NAMES = bodies.invalid(
  "The names of the allowed data_set patterns are: deep, light, rem, awake.",
);
const TYPES = bodies.invalid("The names of the allowed Sleep Pattern types are: classic, stages.");
const DATA_SET_REQUIRED = {
  code: 400,
  message: "Required fields were not provided...",
  description: "pattern.data_set is required!",
};

// deno-lint-ignore no-explicit-any
type Edit = (body: any) => void;
const without = (...keys: string[]): Edit => (b) => keys.forEach((k) => delete b[k]);
const set = (key: string, value: unknown): Edit => (b) => (b[key] = value);
const item = (index: number, key: string, value: unknown): Edit => (b) => {
  if (value === undefined) delete b.pattern.data_set[index][key];
  else b.pattern.data_set[index][key] = value;
};
const all = (...edits: Edit[]): Edit => (b) => edits.forEach((edit) => edit(b));

const validation: [string, Edit, unknown][] = [
  // The peer suite's rows (tracking.md §4.2).
  ["duration as text", set("duration", "4sT3xt"), INT0("duration")],
  ["duration null", set("duration", null), INT0("duration")],
  ["duration negative", set("duration", -1200000), INT0("duration")],
  ["start_time null", set("start_time", null), datetimeShape("null")],
  ["pattern deleted", without("pattern"), bodies.required("pattern")],
  ["classic item name misspelt", item(2, "name", "awaki"), CLASSIC_NAMES],
  [
    "stages item name a number",
    all(set("type", "stages"), item(0, "name", 123456789)),
    STAGES_NAMES,
  ],
  ["stages item name null", all(set("type", "stages"), item(0, "name", null)), STAGES_NAMES],
  ["item duration as text", item(1, "duration", "4sT3xt"), INT0("pattern.data_set.duration")],
  ["item duration null", item(1, "duration", null), INT0("pattern.data_set.duration")],
  ["item duration negative", item(1, "duration", -60000), INT0("pattern.data_set.duration")],
  ["item name deleted", item(0, "name", undefined), bodies.required("pattern.data_set.name")],
  [
    "item start_time on day 32",
    item(0, "start_time", "2018-12-32T01:30:30Z"),
    { code: 400, message: "Datetime: 2018-12-32T01:30:30Z, is not in valid ISO 8601 format." },
  ],
  ["type null", set("type", null), TYPES],
  // The rest of the rules.
  ["type unknown", set("type", "deep"), TYPES],
  ["type deleted", without("type"), bodies.required("type")],
  [
    "type deleted: names are not checked",
    all(without("type"), item(0, "name", "zzz")),
    bodies.required("type"),
  ],
  ["a stages name in a classic sleep", item(0, "name", "rem"), CLASSIC_NAMES],
  ["pattern null", set("pattern", null), DATA_SET_REQUIRED],
  ["pattern without data_set", set("pattern", {}), DATA_SET_REQUIRED],
  ["data_set not an array", set("pattern", { data_set: "x" }), DATA_SET_REQUIRED],
  [
    "data_set empty",
    set("pattern", { data_set: [] }),
    bodies.invalid("pattern.data_set must not be empty!"),
  ],
  [
    "missing item names are listed once per item",
    all(item(0, "name", undefined), item(3, "name", undefined)),
    bodies.required("pattern.data_set.name, pattern.data_set.name"),
  ],
  [
    "an item that is not an object",
    (b) => b.pattern.data_set.push(5),
    bodies.required(
      "pattern.data_set.start_time, pattern.data_set.name, pattern.data_set.duration",
    ),
  ],
  [
    "the data_set list is thrown without the outer list",
    all(without("type"), item(0, "duration", undefined)),
    bodies.required("pattern.data_set.duration"),
  ],
  [
    "an earlier item's invalid duration wins over a later item's name",
    all(item(0, "duration", -1), item(1, "name", "x")),
    INT0("pattern.data_set.duration"),
  ],
  [
    "an item's name comes before its duration",
    all(item(1, "duration", -1), item(1, "name", "x")),
    CLASSIC_NAMES,
  ],
  [
    "an invalid name wins over a missing field",
    all(item(0, "start_time", undefined), item(1, "name", "x")),
    CLASSIC_NAMES,
  ],
  [
    "sleep times are read before item times",
    all(set("end_time", "bad"), item(0, "start_time", "worse")),
    datetimeShape("bad"),
  ],
  [
    "item times are read before any other check",
    all(set("type", null), item(4, "start_time", 7)),
    datetimeShape("7"),
  ],
  [
    "the duration match comes before the type",
    all(set("duration", 1), set("type", null)),
    bodies.invalid(
      "duration value does not match values passed in start_time and end_time parameters!",
    ),
  ],
  [
    "all outer fields missing",
    without("start_time", "end_time", "duration", "type", "pattern"),
    bodies.required("start_time, end_time, duration, type, pattern"),
  ],
];

for (const [name, edit, expected] of validation) {
  Deno.test(`POST sleep validation: ${name}`, async () => {
    const body = sleepBody(nextInstant());
    edit(body);
    assertAnswer(await send(t, "POST", base, app.token, body), 400, expected);
  });
}

Deno.test("POST sleep: 201 with 19-character times and the summary computed", async () => {
  const body = sleepBody("2018-08-18T01:40:30.250Z");
  const res = await send(t, "POST", base, app.token, {
    ...body,
    pattern: { ...body.pattern, summary: { awake: { count: 99, duration: 1 } } },
    child_id: "507f191e810c19729de860ea",
  });
  assertEquals(res.status, 201);
  assertEquals(withoutId(res.body), viewOf(body));
  assertEquals(res.body.pattern.data_set[0].start_time, "2018-08-18T01:40:30");
  assertEquals(res.body.pattern.summary, CLASSIC_SUMMARY);
});

Deno.test("POST sleep: a stages record has the stages summary, names never seen count zero", async () => {
  const body = sleepBody(nextInstant());
  body.type = "stages";
  const names = ["deep", "light", "deep", "light", "deep", "light"];
  body.pattern.data_set.forEach((stage, i) => (stage.name = names[i]));
  const res = await send(t, "POST", base, app.token, body);
  assertEquals(res.status, 201);
  assertEquals(res.body.pattern.summary, {
    deep: { count: 3, duration: 360000 },
    light: { count: 3, duration: 960000 },
    rem: { count: 0, duration: 0 },
    awake: { count: 0, duration: 0 },
  });
});

Deno.test("POST sleep: the same start instant is a 409", async () => {
  const body = sleepBody("2019-04-01T22:00:00Z");
  assertEquals((await send(t, "POST", base, app.token, body)).status, 201);
  assertAnswer(await send(t, "POST", base, app.token, body), 409, {
    code: 409,
    message: "Sleep is already registered...",
  });
});

Deno.test("POST sleep array: error items carry the data_set but no summary", async () => {
  const good = sleepBody("2019-04-02T22:00:00Z");
  const badType = { ...sleepBody("2019-04-03T22:00:00Z"), type: "nap" };
  const badItemTime = sleepBody("2019-04-04T22:00:00Z");
  badItemTime.pattern.data_set[5].start_time = "2019-04-04T22:00";
  const res = await send(t, "POST", base, app.token, [badItemTime, good, badType, good]);
  assertEquals(res.status, 207);
  assertEquals(res.body.success.length, 1);
  assertEquals(withoutId(res.body.success[0].item), viewOf(good));
  const { summary: _, ...patternShown } = viewOf(badType).pattern;
  assertEquals(res.body.error, [
    { ...TYPES, item: { ...viewOf(badType), pattern: patternShown } },
    {
      code: 409,
      message: "Sleep is already registered...",
      item: { ...viewOf(good), pattern: { data_set: viewOf(good).pattern.data_set } },
    },
    { ...datetimeShape("2019-04-04T22:00"), item: badItemTime },
  ]);
});

Deno.test("GET sleep: list with total, sorting and filters; by id; 404; PATCH 405; DELETE 204", async () => {
  const kid = await t.createUser("child");
  const path = `/v1/children/${kid.id}/sleep`;
  const made = [];
  for (
    const start of [
      "2019-05-01T22:00:00.000Z",
      "2019-05-03T22:00:00.000Z",
      "2019-05-02T22:00:00.000Z",
    ]
  ) {
    t.clock.advance(1000);
    made.push((await send(t, "POST", path, app.token, sleepBody(start))).body);
  }
  const starts = async (query: string) => {
    const res = await send(t, "GET", `${path}${query}`, app.token);
    assertEquals([res.status, res.headers.get("X-Total-Count")], [200, "3"], query);
    return res.body.map((s: { start_time: string }) => s.start_time.slice(5, 10));
  };
  assertEquals(await starts(""), ["05-02", "05-03", "05-01"]);
  assertEquals(await starts("?sort=start_time"), ["05-01", "05-02", "05-03"]);
  assertEquals(await starts("?sort=-start_time&limit=1&page=2"), ["05-02"]);
  assertEquals(await starts("?type=stages"), []);
  assertEquals(await starts("?pattern.data_set.name=awake&start_time=lt:2019-05-02T23:00:00Z"), [
    "05-02",
    "05-01",
  ]);
  assertAnswer(await send(t, "GET", `${path}/${made[1].id}`, app.token), 200, made[1]);
  assertAnswer(await send(t, "GET", `${base}/${made[1].id}`, app.token), 404, {
    code: 404,
    message: "Sleep not found!",
    description:
      "Sleep not found or already removed. A new operation for the same resource is not required.",
  });
  assertAnswer(await send(t, "GET", `${path}/xyz`, app.token), 400, bodies.badParam("sleep_id"));
  assertAnswer(
    await send(t, "PATCH", `${path}/${made[1].id}`, app.token, { type: "stages" }),
    405,
    {
      code: 405,
      message: "Support for this method has been discontinued.",
    },
  );
  const gone = await send(t, "DELETE", `${path}/${made[1].id}`, app.token);
  assertEquals([gone.status, gone.body], [204, undefined]);
  assertEquals((await send(t, "GET", `${path}/${made[1].id}`, app.token)).status, 404);
  assertEquals((await send(t, "DELETE", `${path}/${made[1].id}`, app.token)).status, 204);
  assertEquals((await send(t, "GET", path, app.token)).headers.get("X-Total-Count"), "2");
});

Deno.test("(close the test database)", () => t.close());
