import { and, asc, eq, gt, inArray, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { LOG_RESOURCES } from "../access/params.ts";
import { childView } from "../accounts/children/children.store.ts";
import { userBaseView, type UserRow } from "../accounts/users/users.store.ts";
import type { Executor } from "../db/client.ts";
import {
  childrenGroupMembers,
  childrenGroups,
  dailyLogs,
  familyChildren,
  measurements,
  physicalActivities,
  sleep,
  users,
} from "../db/schema/index.ts";
import { bodyFatView, type MeasurementRow } from "../tracking/bodyfats/bodyfats.store.ts";
import { physicalActivityView } from "../tracking/physical-activities/physical-activities.store.ts";
import { sleepView } from "../tracking/sleep/sleep.store.ts";
import { weightView } from "../tracking/weights/weights.store.ts";
import { wearableRecordOf } from "../wearables/status.ts";
import { connectionState } from "../wearables/store/connections.ts";

/** The document's `format`: bumped when its shape changes. */
export const EXPORT_FORMAT = "ocariot-child-export/2";

/** Rows read per query: bounds what one step of the export holds in memory. */
export const EXPORT_PAGE_ROWS = 500;

/**
 * The right-of-access document of one child (docs/audit.md), as JSON text in pieces:
 * the account fields, the wearable connection (never its tokens), the families and
 * groups the child belongs to, then every tracking record, each table read page by page
 * in registration order, so that memory stays bounded however much the child has.
 * Records use the same views as the API's own answers. Records written while the export
 * runs may or may not appear (each page reads the latest commit).
 */
export async function* childExportDocument(
  db: Executor,
  child: UserRow,
  now: number,
): AsyncGenerator<string> {
  const id = child.id;
  yield `{"format":${JSON.stringify(EXPORT_FORMAT)},"exported_at":${
    JSON.stringify(new Date(now).toISOString())
  },"child":${JSON.stringify(childView(child))}`;
  yield `,"wearable":${JSON.stringify(await wearableOf(db, child))}`;
  yield `,"families":${JSON.stringify(await familiesOf(db, id))}`;
  yield `,"groups":${JSON.stringify(await groupsOf(db, id))}`;
  yield* jsonArray(
    "physical_activities",
    recordPages(db, physicalActivities, eq(physicalActivities.childId, id)),
    physicalActivityView,
  );
  yield* jsonArray("sleep", recordPages(db, sleep, eq(sleep.childId, id)), sleepView);
  yield* jsonArray("weights", weightPages(db, id), weightView);
  yield* jsonArray(
    "body_fats",
    recordPages(db, measurements, ofKind(id, "body_fat")),
    bodyFatView,
  );
  yield `,"logs":{`;
  for (const [index, resource] of LOG_RESOURCES.entries()) {
    yield* jsonArray(resource, logPages(db, id, resource), (entry) => entry, index === 0);
  }
  yield "}}";
}

/** `,"key":[…]` written a page at a time (`first`: no leading comma). */
async function* jsonArray<Row>(
  key: string,
  pages: AsyncIterable<Row[]>,
  view: (row: Row) => unknown,
  first = false,
): AsyncGenerator<string> {
  yield `${first ? "" : ","}${JSON.stringify(key)}:[`;
  let empty = true;
  for await (const page of pages) {
    if (page.length === 0) continue;
    yield `${empty ? "" : ","}${page.map((row) => JSON.stringify(view(row))).join(",")}`;
    empty = false;
  }
  yield "]";
}

/** A tracking table owned by a child, with a registration time. */
type ChildTable = SQLiteTable & { createdAt: SQLiteColumn };

/**
 * The rows of `table` matching `owned`, a page at a time in registration order (then
 * insertion order), by keyset: each page starts after the last row of the previous
 * one, so rows added or removed meanwhile never shift or repeat what is read.
 */
async function* recordPages<T extends ChildTable>(
  db: Executor,
  table: T,
  owned: SQL | undefined,
): AsyncGenerator<T["$inferSelect"][]> {
  const rowid = sql<number>`${table}.rowid`;
  let after: { createdAt: number; rowid: number } | undefined;
  for (;;) {
    const page = await db.select({ row: table as SQLiteTable, rowid }).from(table as SQLiteTable)
      .where(and(
        owned,
        after && sql`(${table.createdAt}, ${rowid}) > (${after.createdAt}, ${after.rowid})`,
      ))
      .orderBy(asc(table.createdAt), asc(rowid)).limit(EXPORT_PAGE_ROWS);
    if (page.length === 0) return;
    const rows = page.map((entry) => entry.row as T["$inferSelect"]);
    yield rows;
    if (page.length < EXPORT_PAGE_ROWS) return;
    const last = page[page.length - 1];
    after = { createdAt: (last.row as { createdAt: number }).createdAt, rowid: last.rowid };
  }
}

const ofKind = (childId: string, kind: "weight" | "body_fat") =>
  and(eq(measurements.childId, childId), eq(measurements.kind, kind));

/** Weights with the value of their linked body fat (one lookup per page). */
async function* weightPages(db: Executor, childId: string) {
  for await (const weights of recordPages(db, measurements, ofKind(childId, "weight"))) {
    const linkedIds = weights.map((w: MeasurementRow) => w.bodyFatId).filter((id) => id != null);
    const linked = linkedIds.length === 0 ? [] : await db.select({
      id: measurements.id,
      value: measurements.value,
    }).from(measurements).where(
      and(ofKind(childId, "body_fat"), inArray(measurements.id, linkedIds)),
    );
    const values = new Map(linked.map((row) => [row.id, row.value]));
    yield weights.map((weight: MeasurementRow) => ({
      weight,
      bodyFat: weight.bodyFatId == null ? null : values.get(weight.bodyFatId) ?? null,
    }));
  }
}

/** One kind of daily log, a page at a time by date: `{date, value}` as the API shows them. */
async function* logPages(db: Executor, childId: string, resource: string) {
  const t = dailyLogs;
  let after: string | undefined;
  for (;;) {
    const page = await db.select({ date: t.date, value: t.value }).from(t)
      .where(and(
        eq(t.childId, childId),
        eq(t.resource, resource),
        after === undefined ? undefined : gt(t.date, after),
      ))
      .orderBy(asc(t.date)).limit(EXPORT_PAGE_ROWS);
    if (page.length === 0) return;
    yield page;
    if (page.length < EXPORT_PAGE_ROWS) return;
    after = page[page.length - 1].date;
  }
}

/**
 * The families the child is associated with: their own account fields (as the API shows
 * a user, without the last login). Their other children are left out: that is their data.
 */
async function familiesOf(db: Executor, childId: string) {
  const rows = await db.select({ family: users }).from(familyChildren)
    .innerJoin(users, and(eq(users.id, familyChildren.familyId), eq(users.type, "family")))
    .where(eq(familyChildren.childId, childId))
    .orderBy(asc(users.createdAt), asc(sql`${users}.rowid`));
  return rows.map(({ family }) => {
    const { last_login: _, ...fields } = userBaseView(family);
    return fields;
  });
}

/**
 * The groups holding the child, with who owns each (the educator or health professional
 * who reads the child's data through it). Other members are left out.
 */
async function groupsOf(db: Executor, childId: string) {
  const rows = await db.select({ group: childrenGroups, owner: users }).from(childrenGroupMembers)
    .innerJoin(childrenGroups, eq(childrenGroups.id, childrenGroupMembers.groupId))
    .leftJoin(users, eq(users.id, childrenGroups.ownerId))
    .where(eq(childrenGroupMembers.childId, childId))
    .orderBy(asc(childrenGroups.createdAt), asc(sql`${childrenGroups}.rowid`));
  return rows.map(({ group, owner }) => ({
    id: group.id,
    name: group.name,
    ...(group.schoolClass != null && { school_class: group.schoolClass }),
    owner: owner
      ? { id: owner.id, type: owner.type, username: owner.username }
      : { id: group.ownerId },
  }));
}

/**
 * The wearable connection as WS1 shows it, with what else is held about it (never its
 * tokens). A child deleted since the export began is shown as it was read then.
 */
async function wearableOf(db: Executor, child: UserRow) {
  const state = await connectionState(db, child.id) ?? { childStatus: child.fitbitStatus };
  return wearableRecordOf(state);
}
