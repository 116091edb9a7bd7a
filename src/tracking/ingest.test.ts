import { sql } from "drizzle-orm";
import { assertEquals } from "../../test/assert.ts";
import { bodies, startTestApp } from "../../test/harness.ts";
import { activityBody, send, sleepBody, weightBody, withoutId } from "./testing.ts";

const t = await startTestApp();
const app = await t.login("application");
// The harness's ingest: createTrackingIngest on this app's database and clock.
const ingest = t.ingest;

/** A Fitbit-shaped activity: times with a zone offset, an item child_id. */
const fitbitActivity = (start: string) => ({
  ...activityBody(start, 600_000),
  child_id: "507f191e810c19729de860ea",
});

Deno.test("ingest physical activities: stored like the bulk POST; a repeated sync gives 409 items", async () => {
  const kid = await t.createUser("child");
  const items = [
    fitbitActivity("2020-01-01T10:00:00.000-03:00"),
    { name: "x" },
    fitbitActivity("2020-01-02T10:00:00Z"),
  ];
  const first = await ingest.physicalActivities(kid.id, items);
  assertEquals(first.success.length, 2);
  assertEquals(withoutId(first.success[0].item).start_time, "2020-01-01T13:00:00");
  assertEquals((first.success[0].item as { child_id: string }).child_id, kid.id);
  assertEquals(first.error, [{
    ...bodies.required("start_time, end_time, duration, calories"),
    item: { child_id: kid.id, name: "x" },
  }]);
  const again = await ingest.physicalActivities(kid.id, items);
  assertEquals(again.success, []);
  assertEquals(again.error.map((e) => e.code), [409, 400, 409]);
  const listed = await send(t, "GET", `/v1/children/${kid.id}/physicalactivities`, app.token);
  assertEquals(listed.headers.get("X-Total-Count"), "2");
});

Deno.test("ingest sleep: validation, phase-A ordering and de-duplication as the POST", async () => {
  const kid = await t.createUser("child");
  const bad = { ...sleepBody("2020-02-01T22:00:00Z"), start_time: "tonight" };
  const result = await ingest.sleep(kid.id, [
    bad,
    sleepBody("2020-02-02T22:00:00Z"),
    sleepBody("2020-02-02T22:00:00Z"),
  ]);
  assertEquals(result.success.length, 1);
  assertEquals(result.error.map((e) => [e.code, e.message]), [
    [409, "Sleep is already registered..."],
    [400, "Datetime: tonight, is not in valid ISO 8601 format."],
  ]);
  assertEquals(result.error[1].item, bad);
});

Deno.test("ingest weights: the body fat at the same instant is created or updated", async () => {
  const kid = await t.createUser("child");
  const first = await ingest.weights(kid.id, [{
    ...weightBody("2020-03-01T08:00:00Z", 18),
    unit: "kg",
  }]);
  assertEquals(first.success.length, 1);
  const fats = await send(t, "GET", `/v1/children/${kid.id}/bodyfats`, app.token);
  assertEquals(fats.body.map(withoutId), [
    { timestamp: "2020-03-01T08:00:00.000Z", value: 18, unit: "%", child_id: kid.id },
  ]);
  const repeated = await ingest.weights(kid.id, [weightBody("2020-03-01T08:00:00Z", 25)]);
  assertEquals(repeated.error.map((e) => e.code), [409]);
  await ingest.weights(kid.id, [weightBody("2020-03-02T08:00:00Z", 19)]);
  const after = await send(t, "GET", `/v1/children/${kid.id}/bodyfats?sort=timestamp`, app.token);
  assertEquals(after.body.map((f: { value: number }) => f.value), [18, 19]);
});

Deno.test("ingest logs: every type in one list, upserted by child, type and date", async () => {
  const kid = await t.createUser("child");
  const result = await ingest.logs(kid.id, [
    { type: "steps", date: "2020-04-01", value: 1000 },
    { type: "calories", date: "2020-04-01", value: "1500.5" },
    { type: "steps", date: "2020-04-01", value: 1200 },
    { type: "walking", date: "2020-04-01", value: 1 } as never,
    { date: "2020-04-01", value: 1 } as never,
  ]);
  assertEquals(result.success, [
    { code: 201, item: { type: "steps", date: "2020-04-01", value: 1000 } },
    { code: 201, item: { type: "calories", date: "2020-04-01", value: 1500.5 } },
    { code: 201, item: { type: "steps", date: "2020-04-01", value: 1200 } },
  ]);
  assertEquals(result.error, [
    {
      ...bodies.invalid(
        "The names of the allowed types are: steps, calories, active_minutes, lightly_active_minutes, sedentary_minutes.",
      ),
      item: { type: "walking", date: "2020-04-01", value: 1 },
    },
    { ...bodies.required("type"), item: { date: "2020-04-01", value: 1 } },
  ]);
  const day = await send(
    t,
    "GET",
    `/v1/children/${kid.id}/logs/date/2020-04-01/2020-04-01`,
    app.token,
  );
  assertEquals([day.body.steps[0].value, day.body.calories[0].value], [1200, 1500.5]);
});

Deno.test("ingest logs: a storage failure fails only its own item (500); the others are stored", async () => {
  const kid = await t.createUser("child");
  await t.db.run(sql.raw(`CREATE TRIGGER fail_log BEFORE INSERT ON daily_logs
    WHEN NEW.child_id = '${kid.id}' AND NEW.date = '2020-06-02'
    BEGIN SELECT RAISE(ABORT, 'storage failure'); END`));
  const result = await ingest.logs(kid.id, [
    { type: "steps", date: "2020-06-01", value: 1 },
    { type: "steps", date: "2020-06-02", value: 2 },
    { type: "calories", date: "2020-06-03", value: 3 },
  ]);
  await t.db.run(sql.raw("DROP TRIGGER fail_log"));
  assertEquals(result.success.map((s) => s.item), [
    { type: "steps", date: "2020-06-01", value: 1 },
    { type: "calories", date: "2020-06-03", value: 3 },
  ]);
  assertEquals(result.error, [{
    code: 500,
    message: "An internal server error has occurred.",
    item: { type: "steps", date: "2020-06-02", value: 2 },
  }]);
  const days = await send(
    t,
    "GET",
    `/v1/children/${kid.id}/logs/date/2020-06-01/2020-06-03`,
    app.token,
  );
  assertEquals(days.body.steps.map((d: { value: number }) => d.value), [1, 0, 0]);
  assertEquals(days.body.calories.map((d: { value: number }) => d.value), [0, 0, 3]);
});

Deno.test("ingest: a malformed child id fails every item with the ID error", async () => {
  const result = await ingest.physicalActivities("123", [fitbitActivity("2020-05-01T10:00:00Z")]);
  assertEquals(result.success, []);
  assertEquals(result.error.map(({ item: _, ...error }) => error), [bodies.badParam("child_id")]);
  const logs = await ingest.logs("123", [{ type: "steps", date: "2020-05-01", value: 1 }]);
  assertEquals(logs.error.map(({ item: _, ...error }) => error), [bodies.badParam("child_id")]);
});

Deno.test("ingest: nothing is stored for a child id with no account (erased, or never was)", async () => {
  const unknown = "5f0000000000000000000def";
  const result = await ingest.weights(unknown, [weightBody("2020-05-01T00:00:00Z")]);
  assertEquals(result.success, []);
  assertEquals(result.error.map(({ item: _, ...error }) => error), [{
    code: 400,
    message: `There is no registered Child with ID: ${unknown} on the platform!`,
    description: "Please register the Child and try again...",
  }]);
});

Deno.test("ingest: an upper-case child id is the same child, stored in lower case", async () => {
  const kid = await t.createUser("child");
  const sleep = await ingest.sleep(kid.id.toUpperCase(), [sleepBody("2020-05-01T00:00:00Z")]);
  assertEquals((sleep.success[0].item as { child_id: string }).child_id, kid.id);
});

Deno.test("(close the test database)", () => t.close());
