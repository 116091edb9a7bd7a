/**
 * Answers pinned for a fixed dataset: status, the headers a client reads and the exact
 * body text of reads, lists, a bulk 207 and refusals, plus raw SQL rows. Performance work
 * (cached tokens, reused statements, a new row builder) must leave every one byte-for-byte
 * the same. `UPDATE_GOLDEN=1 deno test -A test/answers.test.ts` rewrites the file (only
 * when an answer is meant to change).
 */
import { sql } from "drizzle-orm";
import {
  childrenGroupMembers,
  childrenGroups,
  familyChildren,
  measurements,
  physicalActivities,
  sleep,
} from "../src/db/schema/index.ts";
import { assertEquals } from "./assert.ts";
import { startTestApp } from "./harness.ts";

const GOLDEN = new URL("./answers.golden.json", import.meta.url);
const T = Date.UTC(2025, 0, 15, 12);
/** Fixed ids start with 00 (the service's own start with the clock's seconds). */
const id = (prefix: string, n: number) =>
  `${prefix}${n.toString(16).padStart(24 - prefix.length, "0")}`;
const INST = id("00a0", 1),
  EDU = id("00e0", 1),
  EDU2 = id("00e0", 2),
  CHILD = id("00c0", 1),
  CHILD2 = id("00c0", 2),
  FAMILY = id("00f0", 1),
  APP = id("00d0", 1),
  ADMIN = id("00b0", 1);
const LEVELS = ["sedentary", "lightly", "fairly", "very"];
const zone = (min: number, max: number, duration: number) => ({ min, max, duration });

Deno.test("answers for a fixed dataset are byte-for-byte the pinned ones", async () => {
  const app = await startTestApp();
  try {
    app.clock.time = T;
    await app.createInstitution({ id: INST, name: "Golden school", createdAt: T });
    const users = [
      { id: ADMIN, type: "admin" as const },
      { id: EDU, type: "educator" as const },
      { id: EDU2, type: "educator" as const },
      { id: CHILD, type: "child" as const },
      { id: CHILD2, type: "child" as const },
      { id: FAMILY, type: "family" as const },
      { id: APP, type: "application" as const },
    ];
    for (const [n, user] of users.entries()) {
      await app.createUser(user.type, {
        id: user.id,
        username: `golden-${user.type}-${n}`,
        institutionId: INST,
        createdAt: T + n,
        ...(user.type === "child" && { gender: "female", age: "9", ageCalcDate: "2024-09-01" }),
      });
    }
    await app.db.insert(childrenGroups).values({
      id: id("0090", 1),
      ownerId: EDU,
      name: "Class 3B",
      schoolClass: "3B",
      createdAt: T,
    });
    await app.db.insert(childrenGroupMembers).values({
      groupId: id("0090", 1),
      childId: CHILD,
      position: 0,
    });
    await app.db.insert(familyChildren).values({ familyId: FAMILY, childId: CHILD, position: 0 });
    await app.db.insert(physicalActivities).values(Array.from({ length: 30 }, (_, n) => ({
      id: id("0070", n),
      childId: n % 5 === 4 ? CHILD2 : CHILD,
      startTime: T - (30 - n) * 86_400_000,
      endTime: T - (30 - n) * 86_400_000 + 1_800_000 + n * 1000,
      duration: 1_800_000 + n * 1000,
      name: ["Walk", "Run", "Swim"][n % 3],
      calories: 100 + n * 7.25,
      steps: n % 2 ? 2000 + n : null,
      distance: n % 3 ? 1500.5 + n : null,
      levels: n % 4 ? LEVELS.map((name, i) => ({ name, duration: (n + i) * 60_000 })) : null,
      heartRate: n % 3 === 1
        ? {
          average: 90 + n,
          out_of_range_zone: zone(30, 91, 600_000),
          fat_burn_zone: zone(91, 127, 900_000 + n),
          cardio_zone: zone(127, 154, 240_000),
          peak_zone: zone(154, 220, 60_000),
        }
        : null,
      createdAt: T - 1000 + (n % 7),
    })));
    await app.db.insert(sleep).values(Array.from({ length: 4 }, (_, n) => ({
      id: id("0071", n),
      childId: CHILD,
      startTime: T - (10 - n) * 86_400_000,
      endTime: T - (10 - n) * 86_400_000 + 28_800_000,
      duration: 28_800_000,
      type: n % 2 ? "stages" as const : "classic" as const,
      dataSet: [
        {
          start_time: T - (10 - n) * 86_400_000,
          name: n % 2 ? "deep" : "asleep",
          duration: 60_000,
        },
        { start_time: T - (10 - n) * 86_400_000 + 60_000, name: "wake", duration: 30_000 },
      ],
      createdAt: T - 500 + n,
    })));
    await app.db.insert(measurements).values(Array.from({ length: 4 }, (_, n) => ({
      id: id("0072", n),
      childId: CHILD,
      kind: n % 2 ? "body_fat" as const : "weight" as const,
      timestamp: T - n * 3_600_000,
      value: 30 + n / 4,
      unit: n % 2 ? "%" : "kg",
      bodyFatId: null,
      createdAt: T - 100 + n,
    })));

    const token: Record<string, string> = {};
    for (const user of users) token[user.id] = await app.tokenFor(user);
    const activity = `/v1/children/${CHILD}/physicalactivities`;
    const one = `${activity}/${id("0070", 7)}`;
    const requests: [string, string, string, string | undefined, unknown?][] = [
      ["read as educator", "GET", one, EDU],
      ["read as the child", "GET", one, CHILD],
      ["read as the family", "GET", one, FAMILY],
      ["read as application", "GET", one, APP],
      ["read as admin", "GET", one, ADMIN],
      ["read as another educator", "GET", one, EDU2],
      ["read with a filter that holds", "GET", `${one}?name=Run`, EDU],
      ["read with a filter that fails", "GET", `${one}?name=Walk`, EDU],
      ["read of another child's record", "GET", `${activity}/${id("0070", 4)}`, EDU],
      ["read of an unknown record", "GET", `${activity}/${id("0070", 999)}`, EDU],
      ["read with a malformed id", "GET", `${activity}/xyz`, EDU],
      ["read without a token", "GET", one, undefined],
      ["read with a garbage token", "GET", one, "garbage"],
      ["list, defaults", "GET", activity, EDU],
      ["list, page 2 of 5", "GET", `${activity}?limit=5&page=2`, EDU],
      ["list, sorted by start", "GET", `${activity}?sort=-start_time&limit=4`, EDU],
      ["list, sorted by calories", "GET", `${activity}?sort=calories,-name&limit=6`, CHILD],
      ["list, range filter", "GET", `${activity}?start_time=gte:2024-12-30T00:00:00Z`, EDU],
      ["list, pattern filter", "GET", `${activity}?name=S*`, APP],
      ["list, level filter", "GET", `${activity}?levels.name=very&limit=3`, EDU],
      ["list, heart rate filter", "GET", `${activity}?heart_rate.average=gt:100`, EDU],
      ["list, bad limit", "GET", `${activity}?limit=abc`, EDU],
      ["list of another child", "GET", `/v1/children/${CHILD2}/physicalactivities`, EDU],
      ["sleep list", "GET", `/v1/children/${CHILD}/sleep?sort=start_time`, EDU],
      ["weights list", "GET", `/v1/children/${CHILD}/weights`, EDU],
      ["body fats list", "GET", `/v1/children/${CHILD}/bodyfats`, EDU],
      ["child profile", "GET", `/v1/children/${CHILD}`, EDU],
      ["group", "GET", `/v1/educators/${EDU}/children/groups/${id("0090", 1)}`, EDU],
      ["bulk ingest", "POST", activity, APP, [
        {
          name: "Bike",
          start_time: "2025-01-15T08:00:00Z",
          end_time: "2025-01-15T08:30:00Z",
          duration: 1_800_000,
          calories: 210.5,
          steps: 0,
          levels: LEVELS.map((name) => ({ name, duration: 450_000 })),
        },
        {
          name: "Walk",
          start_time: new Date(T - 30 * 86_400_000).toISOString(),
          end_time: new Date(T - 30 * 86_400_000 + 1_800_000).toISOString(),
          duration: 1_800_000,
          calories: 100,
        },
        { start_time: "2025-01-15T09:00:00Z", end_time: "2025-01-15T08:00:00Z", duration: -1 },
      ]],
      ["list after ingest", "GET", `${activity}?sort=-start_time&limit=2`, EDU],
    ];
    const answers: Record<string, unknown> = {};
    for (const [label, method, path, caller, body] of requests) {
      const res = await app.request(method, path, {
        token: caller === undefined ? undefined : token[caller] ?? caller,
        body,
      });
      answers[label] = {
        status: res.status,
        type: res.headers.get("Content-Type"),
        total: res.headers.get("X-Total-Count"),
        // Ids the service makes for new records differ from run to run.
        body: (await res.text()).replace(/"id":"(?!00)[0-9a-f]{24}"/g, '"id":"<new>"'),
      };
    }

    // Expired, then revoked: the same token refused for each reason in turn.
    app.clock.time = T + 86_400_000;
    answers["expired token"] = (await app.request("GET", one, { token: token[EDU] })).status;
    app.clock.time = T;
    await app.request("DELETE", `/v1/users/${CHILD2}`, { token: token[ADMIN] });
    const revoked = await app.request("GET", `/v1/children/${CHILD2}`, { token: token[CHILD2] });
    answers["revoked token"] = { status: revoked.status, body: await revoked.text() };

    // Raw rows (by column name) and a repeated column name, as SQL returns them.
    answers["raw rows"] = await app.db.all(sql`SELECT id, calories, steps, levels, heart_rate
      FROM physical_activities WHERE child_id = ${CHILD} ORDER BY start_time LIMIT 3`);
    answers["raw repeated column"] = await app.db.all(sql`SELECT g.id, m.child_id AS id, 1 AS n
      FROM children_groups g JOIN children_group_members m ON m.group_id = g.id`);
    answers["raw values"] = await app.db.values(sql`SELECT id, duration, distance
      FROM physical_activities WHERE child_id = ${CHILD} ORDER BY start_time LIMIT 2`);

    const actual = JSON.parse(JSON.stringify(answers));
    if (Deno.env.get("UPDATE_GOLDEN")) {
      await Deno.writeTextFile(GOLDEN, JSON.stringify(actual, null, 2) + "\n");
    }
    assertEquals(actual, JSON.parse(await Deno.readTextFile(GOLDEN)));
  } finally {
    await app.close();
  }
});
