import { and, asc, between, eq, inArray, sql } from "drizzle-orm";
import type { LogResource } from "../../access/params.ts";
import type { Executor } from "../../db/client.ts";
import { dailyLogs } from "../../db/schema/index.ts";
import type { BulkResource } from "../bulk.ts";
import { childOwner } from "../common/owner.ts";
import { pick } from "../common/schema.ts";
import { isRecord } from "../../core/validation/rules.ts";
import { type LogInput, logItem } from "./logs.schemas.ts";

const t = dailyLogs;

/** One day's value. */
export interface LogEntry {
  date: string;
  value: number;
}

/**
 * Creates the logs, or replaces the value of those with the same child, resource and date,
 * in input order (a later item for the same day wins, as one statement per item would).
 * The rows travel as one JSON parameter read by `json_each`, in array order: a 12-month
 * Fitbit series (1,835 logs) is one statement, instead of thousands of bound values that
 * drizzle would build and SQLite prepare one by one.
 */
export async function upsertLogs(db: Executor, items: LogInput[], now: number): Promise<void> {
  if (items.length === 0) return;
  const rows = JSON.stringify(
    items.map((item) => [item.child_id, item.type, item.date, item.value]),
  );
  // `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
  await db.run(sql`INSERT INTO ${t} (child_id, resource, date, value, updated_at)
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
      json_extract(value, '$[3]'), ${now}
    FROM json_each(${rows}) WHERE true ORDER BY key
    ON CONFLICT (child_id, resource, date)
    DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
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
    owner: childOwner(childId),
    schema: logItem,
    prepare: (element) => {
      const raw = isRecord(element) ? element : {};
      return { ...raw, type: resource ?? raw.type, child_id: childId };
    },
    // Only the keys that were sent, as sent (a non-string date included).
    echo: (element) => pick(element, shown),
    store: async (tx, item) => {
      await upsertLogs(tx, [item], now);
      return view(item);
    },
    insertMany: async (tx, items) => {
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
