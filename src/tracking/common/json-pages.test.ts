import { assertEquals, assertTrue } from "../../../test/assert.ts";
import { sqlListQuerySchema } from "../../core/list-query-sql.ts";
import { type Executor, migrateDatabase, openDatabase, sqlRows } from "../../db/client.ts";
import { environments, measurements, physicalActivities } from "../../db/schema/index.ts";
import {
  bodyFatView,
  countBodyFats,
  findBodyFat,
  findBodyFatJson,
  listBodyFats,
  listBodyFatsJson,
  type MeasurementRow,
} from "../bodyfats/bodyfats.store.ts";
import {
  countPhysicalActivities,
  findPhysicalActivity,
  findPhysicalActivityJson,
  listPhysicalActivities,
  listPhysicalActivitiesJson,
  type PhysicalActivityRow,
  physicalActivityView,
} from "../physical-activities/physical-activities.store.ts";
import {
  countWeights,
  findWeight,
  findWeightJson,
  listWeights,
  listWeightsJson,
  weightView,
} from "../weights/weights.store.ts";
import {
  countEnvironments,
  type EnvironmentRow,
  environmentView,
  listEnvironments,
  listEnvironmentsJson,
} from "../environments/environments.store.ts";
import type { JsonPage } from "./records.ts";

/**
 * Pages and records written by SQLite must be the JavaScript views' JSON byte for byte,
 * for every query a list takes (filters of each kind, sorts, windows, pages), or
 * undefined (the JavaScript view answers): each resource with a SQL view is asked the
 * same queries both ways.
 */

const dir = await Deno.makeTempDir();
const { db, close } = await openDatabase(`file:${dir}/pages.db`);
await migrateDatabase(db);

/** Seeded, so a failure names a reproducible case. */
function random(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}
const next = random(7);

const CHILD = "00c0000000000000000000aa";
const OTHER = "00c0000000000000000000bb";
const NOW = Date.UTC(2024, 2, 1, 12);
/** Registration times a day apart, three records per day (ties keep insertion order). */
const createdAt = (n: number) => Date.UTC(2024, 0, 1) + Math.floor(n / 3) * 86_400_000;

/** Activities of every optional shape, with the kinds of numbers a wearable sends. */
function activity(n: number, childId = CHILD): PhysicalActivityRow {
  const start = Date.UTC(2024, 0, 1) + n * 3_600_000 + Math.floor(next() * 1000);
  const duration = 60_000 + Math.floor(next() * 3_600_000);
  return {
    id: `00a7${childId.slice(-2)}${n.toString(16).padStart(18, "0")}`,
    childId,
    startTime: start,
    endTime: start + duration,
    duration,
    name: ["Walk", "Run", 'Ñandú "fast"', "Swim\t2", "walk"][n % 5],
    calories: [100, 107.25, Math.round(next() * 1e5) / 100, Math.round(next() * 1e6) / 1e3][n % 4],
    steps: n % 3 === 0 ? null : Math.floor(next() * 20_000),
    distance: n % 5 === 0 ? null : Math.round(next() * 1e6) / 100,
    levels: n % 4 === 1 ? null : [{ name: "sedentary", duration: n * 1000 }, {
      name: n % 2 ? "very" : "fairly",
      duration: 5,
    }],
    heartRate: n % 2 === 0 ? null : {
      average: 90 + n,
      out_of_range_zone: { min: 30, max: 91, duration: 600_000 },
      fat_burn_zone: { min: 91, max: 127, duration: 900_000 + n },
      cardio_zone: { min: 127, max: 154, duration: 240_000 },
      peak_zone: { min: 154, max: 220, duration: 60_000 },
    },
    createdAt: createdAt(n),
  };
}

/** Body fats and weights; most weights link to the body fat at their instant. */
function measured(n: number, childId = CHILD): MeasurementRow[] {
  const timestamp = Date.UTC(2024, 0, 1) + n * 86_400_000 + n * 1001;
  const id = (prefix: string) => `${prefix}${childId.slice(-2)}${n.toString(16).padStart(18, "0")}`;
  const fat: MeasurementRow = {
    id: id("00bf"),
    childId,
    kind: "body_fat",
    timestamp,
    value: [18.3, 20, Math.round(next() * 4000) / 100][n % 3],
    unit: "%",
    bodyFatId: null,
    createdAt: createdAt(n),
  };
  const weight: MeasurementRow = {
    id: id("00e1"),
    childId,
    kind: "weight",
    timestamp,
    value: [35.55, 42, Math.round(next() * 8000) / 100][n % 3],
    unit: n % 4 ? "kg" : "lb",
    // Linked (most), not linked, linked to a body fat that is gone.
    bodyFatId: n % 5 === 1 ? null : n % 5 === 2 ? "00bfffffffffffffffffffff" : fat.id,
    createdAt: createdAt(n),
  };
  return n % 6 === 5 ? [weight] : [fat, weight];
}

/** Classroom readings (an institution's), located with and without coordinates. */
function reading(n: number, institutionId = CHILD): EnvironmentRow {
  return {
    id: `00ee${institutionId.slice(-2)}${n.toString(16).padStart(18, "0")}`,
    institutionId,
    timestamp: Date.UTC(2024, 0, 1) + n * 3_600_000 + n,
    local: ["indoor", "outdoor", "Sala 'ñ'"][n % 3],
    room: `Room ${n % 4}`,
    latitude: n % 3 === 0 ? null : "-7.2",
    longitude: n % 4 === 0 ? null : "-35.9",
    measurements: [
      {
        type: "temperature",
        value: [21.5, 19, Math.round(next() * 3000) / 100][n % 3],
        unit: "°C",
      },
      ...(n % 2 ? [{ type: "humidity", value: 40 + n, unit: "%" }] : []),
    ],
    climatized: n % 3 === 1,
    createdAt: createdAt(n),
  };
}

const COUNT = 60;
for (const childId of [CHILD, OTHER]) {
  await db.insert(environments).values(
    Array.from({ length: COUNT }, (_, n) => reading(n, childId)),
  );
  await db.insert(physicalActivities).values(
    Array.from({ length: COUNT }, (_, n) => activity(n, childId)),
  );
  await db.insert(measurements).values(
    Array.from({ length: COUNT }, (_, n) => measured(n, childId)).flat(),
  );
}

/** One resource both ways: the JavaScript view and the SQL-written text. */
interface Resource {
  name: string;
  list(db: Executor, childId: string, query: Query, now: number): Promise<unknown[]>;
  view(row: never): unknown;
  count(db: Executor, childId: string): Promise<number>;
  listJson(db: Executor, childId: string, query: Query, now: number): Promise<JsonPage | undefined>;
  find?(db: Executor, childId: string, id: string, query: Query, now: number): Promise<unknown>;
  findJson?(
    db: Executor,
    childId: string,
    id: string,
    query: Query,
    now: number,
  ): Promise<string | null | undefined>;
  table: string;
  /** Queries of this resource's own fields. */
  queries: Record<string, string>[];
}

type Query = ReturnType<typeof query>;
const query = (raw: Record<string, string> = {}) => sqlListQuerySchema.parse(raw);

const RESOURCES: Resource[] = [
  {
    name: "physical activities",
    list: (db, c, q, now) => listPhysicalActivities(db, c, q, now),
    view: physicalActivityView,
    count: countPhysicalActivities,
    listJson: listPhysicalActivitiesJson!,
    find: findPhysicalActivity,
    findJson: findPhysicalActivityJson!,
    table: "physical_activities",
    queries: [
      { name: "Run" },
      { name: "walk,Swim\t2" },
      { name: "*and*" },
      { name: "WALK*", sort: "name" },
      { calories: "gt:105", sort: "-calories" },
      { steps: "lte:9000", distance: "gte:100" },
      { start_time: "gte:2024-01-02", end_time: "lt:2024-01-03T10:00:00" },
      { duration: "gt:1800000", sort: "-duration,name" },
      { "levels.name": "very" },
      { "levels.duration": "gte:30000", sort: "start_time" },
      { "heart_rate.average": "gt:100" },
      { "heart_rate.fat_burn_zone.duration": "lt:900030", sort: "-end_time" },
      { sort: "-steps" },
      { sort: "distance", limit: "9", page: "2" },
    ],
  },
  {
    name: "weights",
    list: listWeights,
    view: weightView,
    count: countWeights,
    listJson: listWeightsJson,
    find: findWeight,
    findJson: findWeightJson,
    table: "measurements",
    queries: [
      { body_fat: "gte:19", sort: "-body_fat" },
      { sort: "body_fat" },
      { unit: "lb" },
      { value: "lt:40", sort: "-value" },
    ],
  },
  {
    name: "body fats",
    list: (db, c, q, now) => listBodyFats(db, c, q, now),
    view: bodyFatView,
    count: countBodyFats,
    listJson: listBodyFatsJson!,
    find: findBodyFat,
    findJson: findBodyFatJson!,
    table: "measurements",
    queries: [{ value: "20" }, { value: "gt:10,lt:19", sort: "-value" }],
  },
  {
    name: "environments (an institution's)",
    list: listEnvironments,
    view: environmentView,
    count: countEnvironments,
    listJson: listEnvironmentsJson,
    table: "environments",
    queries: [
      { climatized: "true" },
      { climatized: "false", sort: "-timestamp" },
      { "location.local": "*ñ*", sort: "location.room" },
      { "location.latitude": "-7.2", "location.longitude": "-35.9" },
      { "measurements.type": "humidity" },
      { "measurements.value": "gt:20", sort: "timestamp" },
      { timestamp: "gte:2024-01-02T05:00:00" },
    ],
  },
];

/** Queries every list takes: pages, registration windows, sorts, fixed and unknown keys. */
const COMMON: Record<string, string>[] = [
  {},
  { limit: "7" },
  { limit: "7", page: "3" },
  { limit: "100", page: "2" },
  { limit: "1000" },
  { sort: "nope", child_id: OTHER, type: "weight" },
  { created_at: "gte:2024-01-05" },
  { created_at: "2024-01-03,2024-01-07", sort: "-created_at" },
  { id: "*0a" },
  { start_at: "2024-01-04", end_at: "2024-01-10" },
  { period: "2w", end_at: "2024-01-20" },
  { start_at: "2024-01-05", period: "3d", sort: "-id", limit: "4" },
  { period: "10y" },
  { no_such_field: "x" },
  { sort: "-timestamp,id" },
];

for (const resource of RESOURCES) {
  Deno.test(`${resource.name}: every page SQLite writes is the JavaScript view's JSON`, async () => {
    for (const raw of [...COMMON, ...resource.queries]) {
      const q = query(raw);
      const written = await resource.listJson(db, CHILD, q, NOW);
      const rows = await resource.list(db, CHILD, q, NOW);
      const expected = JSON.stringify(rows.map((row) => resource.view(row as never)));
      assertTrue(written !== undefined, `written by SQLite: ${JSON.stringify(raw)}`);
      assertEquals(written, { page: expected, total: await resource.count(db, CHILD) });
    }
  });

  const { find, findJson } = resource;
  if (!find || !findJson) continue;
  Deno.test(`${resource.name}: every record SQLite writes is the JavaScript view's JSON`, async () => {
    const ids = (await resource.list(db, CHILD, query({ limit: "1000" }), NOW))
      .map((row) => (resource.view(row as never) as { id: string }).id);
    const filters = [{}, ...resource.queries.slice(0, 2), { created_at: "gte:2024-01-10" }];
    for (const id of [...ids, "00a7ffffffffffffffffffff"]) {
      for (const raw of filters) {
        const q = query(raw);
        const found: unknown = await find(db, CHILD, id, q, NOW);
        const expected: string | null = found
          ? JSON.stringify(resource.view(found as never))
          : null;
        assertEquals(await findJson(db, CHILD, id, q, NOW), expected, id);
      }
      // Another child's path never reads this child's record.
      assertEquals(await findJson(db, OTHER, id, query(), NOW), null);
    }
  });
}

Deno.test("physical activities: a value of any kind SQLite cannot write exactly sends the record and its page the JavaScript way", async () => {
  const odd: [string, unknown][] = [
    ["name", new Uint8Array([1, 2])],
    ["start_time", "2024-01-01"],
    ["end_time", -5],
    ["duration", 2 ** 60],
    ["calories", 0.1 + 0.2],
    ["steps", 0.1 + 0.2],
    ["levels", "[not json"],
    ["heart_rate", "{}x"],
  ];
  const { id } = activity(10);
  const sorted = query({ sort: "-duration" });
  for (const [column, value] of odd) {
    const where = "WHERE rowid = (SELECT rowid FROM physical_activities WHERE id = ?)";
    const [before] = await sqlRows(db, `SELECT ${column} FROM physical_activities ${where}`, [id]);
    await sqlRows(db, `UPDATE physical_activities SET ${column} = ? ${where}`, [
      value as string,
      id,
    ]);
    try {
      assertEquals(await findPhysicalActivityJson!(db, CHILD, id, query(), NOW), undefined);
      assertEquals(await listPhysicalActivitiesJson!(db, CHILD, query(), NOW), undefined, column);
      assertEquals(await listPhysicalActivitiesJson!(db, CHILD, sorted, NOW), undefined, column);
    } finally {
      await sqlRows(db, `UPDATE physical_activities SET ${column} = ? ${where}`, [
        before[0] as string,
        id,
      ]);
    }
  }
  assertTrue(await listPhysicalActivitiesJson!(db, CHILD, query(), NOW) !== undefined);
});

Deno.test("weights: an inexact linked body fat sends the page the JavaScript way", async () => {
  const fat = measured(3)[0];
  await sqlRows(db, "UPDATE measurements SET value = ? WHERE id = ?", [0.1 + 0.2, fat.id]);
  try {
    assertEquals(await listWeightsJson(db, CHILD, query(), NOW), undefined);
  } finally {
    await sqlRows(db, "UPDATE measurements SET value = ? WHERE id = ?", [fat.value, fat.id]);
  }
  assertTrue(await listWeightsJson(db, CHILD, query(), NOW) !== undefined);
});

Deno.test("environments: an odd stored value sends the page the JavaScript way", async () => {
  const { id } = reading(4);
  for (
    const [column, value] of [
      ["climatized", 2],
      ["measurements", "[1,"],
      ["room", new Uint8Array([1])],
    ] as const
  ) {
    const [before] = await sqlRows(db, `SELECT ${column} FROM environments WHERE id = ?`, [id]);
    await sqlRows(db, `UPDATE environments SET ${column} = ? WHERE id = ?`, [value as string, id]);
    try {
      assertEquals(await listEnvironmentsJson(db, CHILD, query(), NOW), undefined, `${column}`);
    } finally {
      await sqlRows(db, `UPDATE environments SET ${column} = ? WHERE id = ?`, [
        before[0] as string,
        id,
      ]);
    }
  }
  assertTrue(await listEnvironmentsJson(db, CHILD, query(), NOW) !== undefined);
});

Deno.test("(close the database)", async () => {
  close();
  await Deno.remove(dir, { recursive: true });
});
