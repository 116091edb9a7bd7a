import { and, asc, between, eq, inArray, sql } from "drizzle-orm";
import type { LogResource } from "../../access/params.ts";
import type { Executor } from "../../db/client.ts";
import { dailyLogs } from "../../db/schema/index.ts";
import type { BulkResource } from "../bulk.ts";
import { isRecord, pick } from "../common/schema.ts";
import { type LogInput, logItem } from "./logs.schemas.ts";

const t = dailyLogs;

/** One day's value. */
export interface LogEntry {
  date: string;
  value: number;
}

/** Creates the log, or replaces the value of the one with the same child, resource and date. */
export async function upsertLog(db: Executor, item: LogInput, now: number): Promise<void> {
  await db.insert(t).values({
    childId: item.child_id,
    resource: item.type,
    date: item.date,
    value: item.value,
    updatedAt: now,
  }).onConflictDoUpdate({
    target: [t.childId, t.resource, t.date],
    set: { value: item.value, updatedAt: now },
  });
}

/** Rows per multi-row upsert: 5 values each, well under SQLite's variable limit. */
const UPSERT_CHUNK = 500;

/**
 * Upserts many logs with a few multi-row statements. Throws when two items name the
 * same child, resource and date (one statement cannot change a row twice): the bulk
 * path then stores the items one by one, the later value winning.
 */
export async function upsertLogs(db: Executor, items: LogInput[], now: number): Promise<void> {
  for (let start = 0; start < items.length; start += UPSERT_CHUNK) {
    const rows = items.slice(start, start + UPSERT_CHUNK).map((item) => ({
      childId: item.child_id,
      resource: item.type,
      date: item.date,
      value: item.value,
      updatedAt: now,
    }));
    await db.insert(t).values(rows).onConflictDoUpdate({
      target: [t.childId, t.resource, t.date],
      set: { value: sql`excluded.value`, updatedAt: now },
    });
  }
}

/**
 * The bulk path's view of daily logs for one child (tracking.md §7.1, §12.3). With a
 * `resource` (the POST path, as sent) every item is of that resource; without one (the
 * Fitbit ingest) each item names its own in `type`, and its entries show it. Logs are
 * upserted: never a 409, and a replaced value also reports 201.
 */
export function logBulk(
  childId: string,
  resource: string | undefined,
  now: number,
): BulkResource<LogInput> {
  const shown = resource === undefined ? ["type", "date", "value"] : ["date", "value"];
  const view = (item: LogInput) =>
    resource === undefined
      ? { type: item.type, date: item.date, value: item.value }
      : { date: item.date, value: item.value };
  return {
    schema: logItem,
    prepare: (element) => {
      const raw = isRecord(element) ? element : {};
      return { ...raw, type: resource ?? raw.type, child_id: childId };
    },
    // Only the keys that were sent, as sent (a non-string date included).
    echo: (element) => pick(element, shown),
    store: async (tx, item) => {
      await upsertLog(tx, item, now);
      return view(item);
    },
    storeMany: async (tx, items) => {
      await upsertLogs(tx, items, now);
      return items.map(view);
    },
  };
}

/**
 * The child's stored logs of these resources between two dates (inclusive), as a query
 * on the (child, resource, date) primary key.
 */
export function logsBetweenQuery(
  db: Executor,
  childId: string,
  resources: readonly LogResource[],
  start: string,
  end: string,
) {
  return db.select({ resource: t.resource, date: t.date, value: t.value }).from(t)
    .where(and(
      eq(t.childId, childId),
      inArray(t.resource, [...resources]),
      between(t.date, start, end),
    ))
    .orderBy(asc(t.resource), asc(t.date));
}

/** The child's stored logs between two dates, by resource then date. */
export async function logsBetween(
  db: Executor,
  childId: string,
  resources: readonly LogResource[],
  start: string,
  end: string,
): Promise<Map<string, Map<string, number>>> {
  const byResource = new Map<string, Map<string, number>>();
  for (const row of await logsBetweenQuery(db, childId, resources, start, end)) {
    if (!byResource.has(row.resource)) byResource.set(row.resource, new Map());
    byResource.get(row.resource)!.set(row.date, row.value);
  }
  return byResource;
}
