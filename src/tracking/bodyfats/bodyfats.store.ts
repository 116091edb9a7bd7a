import type { z } from "zod";
import type { bodyFatSchema } from "./bodyfats.schemas.ts";
import { and, eq, sql } from "drizzle-orm";
import { errors } from "../../core/errors.ts";
import { newId } from "../../core/ids.ts";
import { type ListSpec } from "../../core/list-query-sql.ts";
import type { Executor } from "../../db/client.ts";
import { measurements } from "../../db/schema/index.ts";
import type { BulkResource } from "../bulk.ts";
import { childOwner } from "../common/owner.ts";
import { ownedJsonRecords } from "../common/records.ts";
import { compact } from "../common/schema.ts";
import { isRecord } from "../../core/validation/rules.ts";
import { isoMillisJson, numberJson, objectJson, textJson } from "../common/json-sql.ts";
import { echoTime, isoMillis } from "../common/time.ts";
import { type BodyFatInput, bodyFatItem } from "./bodyfats.schemas.ts";

const t = measurements;

/** A stored measurement row (weights and body fats share the table). */
export type MeasurementRow = typeof t.$inferSelect;

/** The unit of every body fat. */
export const BODY_FAT_UNIT = "%";

const ofBodyFat = (childId: string) => and(eq(t.childId, childId), eq(t.kind, "body_fat"));

/** The resource as every response shows it (tracking.md §6.1): full ISO time. */
export function bodyFatView(row: MeasurementRow): z.output<typeof bodyFatSchema> {
  return {
    id: row.id,
    timestamp: isoMillis(row.timestamp),
    value: row.value,
    unit: row.unit,
    child_id: row.childId,
  };
}

function bodyFatEcho(element: unknown, childId: string) {
  const raw = isRecord(element) ? element : {};
  return compact({
    id: raw.id,
    timestamp: echoTime(raw.timestamp, isoMillis),
    value: raw.value,
    unit: BODY_FAT_UNIT,
    child_id: childId,
  });
}

/** Stores a validated body fat; 409 when the child has one at the same instant. */
export async function insertBodyFat(
  db: Executor,
  item: BodyFatInput,
  now: number,
): Promise<MeasurementRow> {
  const taken = await db.select({ id: t.id }).from(t)
    .where(and(ofBodyFat(item.child_id), eq(t.timestamp, item.timestamp))).limit(1);
  if (taken.length > 0) throw errors.alreadyRegistered("Body Fat");
  const row: MeasurementRow = {
    id: newId(now),
    childId: item.child_id,
    kind: "body_fat",
    timestamp: item.timestamp,
    value: item.value,
    unit: BODY_FAT_UNIT,
    bodyFatId: null,
    createdAt: now,
  };
  await db.insert(t).values(row);
  return row;
}

/**
 * The body fat a weight carries (tracking.md §5.2): created at the weight's instant, or
 * the existing one there overwritten (no 409). Returns its id for the weight's link.
 */
export async function upsertBodyFat(
  db: Executor,
  childId: string,
  timestamp: number,
  value: number,
  now: number,
): Promise<string> {
  const [row] = await db.insert(t).values({
    id: newId(now),
    childId,
    kind: "body_fat",
    timestamp,
    value,
    unit: BODY_FAT_UNIT,
    createdAt: now,
  }).onConflictDoUpdate({ target: [t.childId, t.kind, t.timestamp], set: { value } })
    .returning({ id: t.id });
  return row.id;
}

/** The bulk path's view of body fats for one child. */
export function bodyFatBulk(childId: string, now: number): BulkResource<BodyFatInput> {
  return {
    owner: childOwner(childId),
    schema: bodyFatItem,
    prepare: (element) => ({ ...(isRecord(element) ? element : {}), child_id: childId }),
    echo: (element) => bodyFatEcho(element, childId),
    store: async (tx, item) => bodyFatView(await insertBodyFat(tx, item, now)),
    conflict: () => errors.alreadyRegistered("Body Fat"),
  };
}

const spec = (now: number): ListSpec => ({
  fields: {
    id: { kind: "text", expr: t.id },
    timestamp: { kind: "instant", expr: t.timestamp },
    value: { kind: "number", expr: t.value },
    unit: { kind: "text", expr: t.unit },
    created_at: { kind: "instant", expr: t.createdAt },
  },
  createdAt: t.createdAt,
  insertionOrder: sql`${t}.rowid`,
  // The path child and the fixed kind win over same-named query keys (§1.8).
  fixed: ["child_id", "type"],
  now,
});

/** `bodyFatView` written by SQLite (json-sql.ts), key for key. */
const bodyFatJson = objectJson([
  { key: "id", value: textJson("id") },
  { key: "timestamp", value: isoMillisJson("timestamp") },
  { key: "value", value: numberJson("value") },
  { key: "unit", value: textJson("unit") },
  { key: "child_id", value: textJson("child_id") },
]);

/**
 * A child's body fats (a weight's id is not found): a page, the total, one by id; pages
 * and reads as JSON.
 */
export const {
  list: listBodyFats,
  count: countBodyFats,
  find: findBodyFat,
  listJson: listBodyFatsJson,
  findJson: findBodyFatJson,
} = ownedJsonRecords(t, ofBodyFat, spec, {
  item: bodyFatJson,
  owned: "child_id = ? AND kind = 'body_fat'",
});

/**
 * Deletes the child's body fat with this id (tracking.md §6.4): the link of the child's
 * weight pointing at it is cleared first, both scoped to the path child (the original
 * cleared the link before checking the owner).
 */
export async function deleteBodyFat(db: Executor, childId: string, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const deleted = await tx.delete(t).where(and(ofBodyFat(childId), eq(t.id, id)))
      .returning({ id: t.id });
    if (deleted.length === 0) return;
    await tx.update(t).set({ bodyFatId: null })
      .where(and(eq(t.childId, childId), eq(t.kind, "weight"), eq(t.bodyFatId, id)));
  });
}
