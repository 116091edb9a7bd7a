import type { z } from "zod";
import type { physicalActivitySchema } from "./physical-activities.schemas.ts";
import { and, eq, sql } from "drizzle-orm";
import { errors } from "../../core/errors.ts";
import { newId } from "../../core/ids.ts";
import { type ListSpec, type SqlFields } from "../../core/list-query-sql.ts";
import type { Executor } from "../../db/client.ts";
import { physicalActivities, type StoredHeartRate } from "../../db/schema/index.ts";
import type { BulkResource } from "../bulk.ts";
import { insertMany, tableInsert } from "../common/insert-many.ts";
import { childOwner } from "../common/owner.ts";
import {
  numberJson,
  objectJson,
  storedJson,
  textJson,
  utcSecondsJson,
} from "../common/json-sql.ts";
import { ownedJsonRecords } from "../common/records.ts";
import { compact, pick } from "../common/schema.ts";
import { isRecord } from "../../core/validation/rules.ts";
import { echoTime, utcSeconds } from "../common/time.ts";
import {
  type PhysicalActivityInput,
  physicalActivityItem,
  ZONES,
} from "./physical-activities.schemas.ts";

const t = physicalActivities;

/** A stored physical activity. */
export type PhysicalActivityRow = typeof t.$inferSelect;

/** The resource as every response shows it (tracking.md §3.1); unset keys are left out. */
export function physicalActivityView(
  row: PhysicalActivityRow,
): z.output<typeof physicalActivitySchema> {
  return {
    id: row.id,
    start_time: utcSeconds(row.startTime),
    end_time: utcSeconds(row.endTime),
    duration: row.duration,
    child_id: row.childId,
    name: row.name,
    calories: row.calories,
    ...(row.steps != null && { steps: row.steps }),
    ...(row.distance != null && { distance: row.distance }),
    ...(row.levels != null && { levels: row.levels }),
    ...(row.heartRate != null && { heart_rate: row.heartRate }),
  };
}

/** An error item (§1.7): the element as understood, in the response shape, without an id. */
function physicalActivityEcho(element: unknown, childId: string) {
  const raw = isRecord(element) ? element : {};
  const levels = Array.isArray(raw.levels) && raw.levels.length > 0
    ? raw.levels.map((level) => pick(level, ["name", "duration"]))
    : undefined;
  const sentRate = isRecord(raw.heart_rate) ? raw.heart_rate : undefined;
  const heartRate = sentRate && compact({
    average: sentRate.average,
    ...Object.fromEntries(ZONES.map((zone) => {
      const sent = sentRate[zone];
      return [zone, isRecord(sent) ? pick(sent, ZONE_KEYS) : sent];
    })),
  });
  return compact({
    id: raw.id,
    start_time: echoTime(raw.start_time, utcSeconds),
    end_time: echoTime(raw.end_time, utcSeconds),
    duration: raw.duration,
    child_id: childId,
    name: typeof raw.name === "string" ? raw.name.trim() : raw.name,
    calories: raw.calories,
    steps: raw.steps,
    distance: raw.distance,
    levels,
    heart_rate: heartRate,
  });
}

const ZONE_KEYS = ["min", "max", "duration"];

/** True when the child already has an activity starting at this instant (the 409 rule). */
async function startTaken(db: Executor, childId: string, startTime: number): Promise<boolean> {
  const rows = await db.select({ id: t.id }).from(t)
    .where(and(eq(t.childId, childId), eq(t.startTime, startTime))).limit(1);
  return rows.length > 0;
}

/** The row a validated activity is stored as. */
function rowOf(item: PhysicalActivityInput, now: number): PhysicalActivityRow {
  return {
    id: newId(now),
    childId: item.child_id,
    startTime: item.start_time,
    endTime: item.end_time,
    duration: item.duration,
    name: item.name,
    calories: item.calories,
    steps: item.steps ?? null,
    distance: item.distance ?? null,
    levels: item.levels ?? null,
    heartRate: (item.heart_rate as StoredHeartRate | undefined) ?? null,
    createdAt: now,
  };
}

/** Stores a validated activity; 409 when the child has one with the same start instant. */
export async function insertPhysicalActivity(
  db: Executor,
  item: PhysicalActivityInput,
  now: number,
): Promise<PhysicalActivityRow> {
  if (await startTaken(db, item.child_id, item.start_time)) {
    throw errors.alreadyRegistered("Physical Activity");
  }
  const row = rowOf(item, now);
  await db.insert(t).values(row);
  return row;
}

/** The set-based insert (insert-many.ts): a start instant already taken is the 409. */
const INSERT = tableInsert(t, "child_id, start_time");

/** The bulk path's view of physical activities for one child (POST and Fitbit ingest). */
export function physicalActivityBulk(
  childId: string,
  now: number,
): BulkResource<PhysicalActivityInput> {
  return {
    owner: childOwner(childId),
    schema: physicalActivityItem,
    prepare: (element) => ({ ...(isRecord(element) ? element : {}), child_id: childId }),
    echo: (element) => physicalActivityEcho(element, childId),
    store: async (tx, item) => physicalActivityView(await insertPhysicalActivity(tx, item, now)),
    insertMany: async (tx, items) =>
      (await insertMany(tx, INSERT, items.map((item) => rowOf(item, now)))).map((row) =>
        row && physicalActivityView(row)
      ),
    conflict: () => errors.alreadyRegistered("Physical Activity"),
  };
}

const zoneFields = Object.fromEntries(ZONES.flatMap((zone) =>
  ZONE_KEYS.map((key) => [
    `heart_rate.${zone}.${key}`,
    { kind: "number", expr: sql`json_extract(${t.heartRate}, ${`$.${zone}.${key}`})` },
  ])
)) as SqlFields;

/** The names a list query may filter and sort on. */
const fields: SqlFields = {
  id: { kind: "text", expr: t.id },
  start_time: { kind: "instant", expr: t.startTime },
  end_time: { kind: "instant", expr: t.endTime },
  duration: { kind: "number", expr: t.duration },
  name: { kind: "text", expr: t.name },
  calories: { kind: "number", expr: t.calories },
  steps: { kind: "number", expr: t.steps },
  distance: { kind: "number", expr: t.distance },
  created_at: { kind: "instant", expr: t.createdAt },
  "levels.name": { kind: "text", expr: sql`json_extract(item.value, '$.name')`, within: t.levels },
  "levels.duration": {
    kind: "number",
    expr: sql`json_extract(item.value, '$.duration')`,
    within: t.levels,
  },
  "heart_rate.average": { kind: "number", expr: sql`json_extract(${t.heartRate}, '$.average')` },
  ...zoneFields,
};

const spec = (now: number): ListSpec => ({
  fields,
  createdAt: t.createdAt,
  insertionOrder: sql`${t}.rowid`,
  fixed: ["child_id"],
  now,
});

/** `physicalActivityView` written by SQLite (json-sql.ts), key for key. */
const physicalActivityJson = objectJson([
  { key: "id", value: textJson("id") },
  { key: "start_time", value: utcSecondsJson("start_time") },
  { key: "end_time", value: utcSecondsJson("end_time") },
  { key: "duration", value: numberJson("duration") },
  { key: "child_id", value: textJson("child_id") },
  { key: "name", value: textJson("name") },
  { key: "calories", value: numberJson("calories") },
  { key: "steps", value: numberJson("steps"), omitWhenNull: { column: "steps" } },
  { key: "distance", value: numberJson("distance"), omitWhenNull: { column: "distance" } },
  { key: "levels", value: storedJson("levels"), omitWhenNull: { column: "levels", json: true } },
  {
    key: "heart_rate",
    value: storedJson("heart_rate"),
    omitWhenNull: { column: "heart_rate", json: true },
  },
]);

/** A child's activities: a page, the total, one by id, deleting one; pages and reads as JSON. */
export const {
  list: listPhysicalActivities,
  count: countPhysicalActivities,
  find: findPhysicalActivity,
  remove: deletePhysicalActivity,
  listJson: listPhysicalActivitiesJson,
  findJson: findPhysicalActivityJson,
} = ownedJsonRecords(t, (childId) => eq(t.childId, childId), spec, {
  item: physicalActivityJson,
  owned: "child_id = ?",
});
