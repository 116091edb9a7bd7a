import type { z } from "zod";
import type { sleepSchema } from "./sleep.schemas.ts";
import { and, eq, sql } from "drizzle-orm";
import { errors } from "../../core/errors.ts";
import { newId } from "../../core/ids.ts";
import { type ListSpec } from "../../core/list-query-sql.ts";
import type { Executor } from "../../db/client.ts";
import { sleep, type StoredSleepStage } from "../../db/schema/index.ts";
import type { BulkResource } from "../bulk.ts";
import { insertMany, tableInsert } from "../common/insert-many.ts";
import { childOwner } from "../common/owner.ts";
import { ownedRecords } from "../common/records.ts";
import { compact, pick } from "../common/schema.ts";
import { isRecord } from "../../core/validation/rules.ts";
import { echoTime, utcSeconds } from "../common/time.ts";
import { type SleepInput, sleepItem, type SleepType } from "./sleep.schemas.ts";

const t = sleep;

/** A stored sleep record. */
export type SleepRow = typeof t.$inferSelect;

/** The summary keys of each type, in output order (tracking.md §4.1). */
const SUMMARY_KEYS: Record<SleepType, readonly string[]> = {
  classic: ["awake", "asleep", "restless"],
  stages: ["deep", "light", "rem", "awake"],
};

/** `pattern.summary`, computed on every read: count and total duration per allowed name. */
export function sleepSummary(type: SleepType, dataSet: StoredSleepStage[]) {
  return Object.fromEntries(SUMMARY_KEYS[type].map((name) => {
    const items = dataSet.filter((item) => item.name === name);
    return [name, {
      count: items.length,
      duration: items.reduce((sum, item) => sum + item.duration, 0),
    }];
  }));
}

/** The resource as every response shows it (tracking.md §4.1). */
export function sleepView(row: SleepRow): z.output<typeof sleepSchema> {
  return {
    id: row.id,
    start_time: utcSeconds(row.startTime),
    end_time: utcSeconds(row.endTime),
    duration: row.duration,
    child_id: row.childId,
    type: row.type,
    pattern: {
      data_set: row.dataSet.map((item) => ({
        start_time: utcSeconds(item.start_time),
        name: item.name,
        duration: item.duration,
      })),
      summary: sleepSummary(row.type, row.dataSet),
    },
  };
}

/** An error item (§1.7): response shape without id and without `summary`. */
function sleepEcho(element: unknown, childId: string) {
  const raw = isRecord(element) ? element : {};
  const dataSet = isRecord(raw.pattern) && Array.isArray(raw.pattern.data_set)
    ? raw.pattern.data_set.map((item) => {
      const fields = pick(item, ["start_time", "name", "duration"]);
      return compact({ ...fields, start_time: echoTime(fields.start_time, utcSeconds) });
    })
    : undefined;
  return compact({
    id: raw.id,
    start_time: echoTime(raw.start_time, utcSeconds),
    end_time: echoTime(raw.end_time, utcSeconds),
    duration: raw.duration,
    child_id: childId,
    type: raw.type,
    pattern: dataSet && { data_set: dataSet },
  });
}

/** The row a validated sleep record is stored as. */
function rowOf(item: SleepInput, now: number): SleepRow {
  return {
    id: newId(now),
    childId: item.child_id,
    startTime: item.start_time,
    endTime: item.end_time,
    duration: item.duration,
    type: item.type,
    dataSet: item.pattern.data_set.map((stage) => ({
      start_time: stage.start_time,
      name: String(stage.name),
      duration: stage.duration,
    })),
    createdAt: now,
  };
}

/** Stores a validated sleep record; 409 when the child has one with the same start instant. */
export async function insertSleep(db: Executor, item: SleepInput, now: number): Promise<SleepRow> {
  const taken = await db.select({ id: t.id }).from(t)
    .where(and(eq(t.childId, item.child_id), eq(t.startTime, item.start_time))).limit(1);
  if (taken.length > 0) throw errors.alreadyRegistered("Sleep");
  const row = rowOf(item, now);
  await db.insert(t).values(row);
  return row;
}

/** The set-based insert (insert-many.ts): a start instant already taken is the 409. */
const INSERT = tableInsert(t, "child_id, start_time");

/** The bulk path's view of sleep for one child (POST and Fitbit ingest). */
export function sleepBulk(childId: string, now: number): BulkResource<SleepInput> {
  return {
    owner: childOwner(childId),
    schema: sleepItem,
    prepare: (element) => ({ ...(isRecord(element) ? element : {}), child_id: childId }),
    echo: (element) => sleepEcho(element, childId),
    store: async (tx, item) => sleepView(await insertSleep(tx, item, now)),
    insertMany: async (tx, items) =>
      (await insertMany(tx, INSERT, items.map((item) => rowOf(item, now)))).map((row) =>
        row && sleepView(row)
      ),
    conflict: () => errors.alreadyRegistered("Sleep"),
  };
}

const spec = (now: number): ListSpec => ({
  fields: {
    id: { kind: "text", expr: t.id },
    start_time: { kind: "instant", expr: t.startTime },
    end_time: { kind: "instant", expr: t.endTime },
    duration: { kind: "number", expr: t.duration },
    type: { kind: "text", expr: t.type },
    "pattern.data_set.name": {
      kind: "text",
      expr: sql`json_extract(item.value, '$.name')`,
      within: t.dataSet,
    },
    "pattern.data_set.duration": {
      kind: "number",
      expr: sql`json_extract(item.value, '$.duration')`,
      within: t.dataSet,
    },
    created_at: { kind: "instant", expr: t.createdAt },
  },
  createdAt: t.createdAt,
  insertionOrder: sql`${t}.rowid`,
  fixed: ["child_id"],
  now,
});

/** A child's sleep records: a page, the total, one by id, deleting one. */
export const { list: listSleep, count: countSleep, find: findSleep, remove: deleteSleep } =
  ownedRecords(t, (childId) => eq(t.childId, childId), spec);
