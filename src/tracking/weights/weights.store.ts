import type { z } from "zod";
import type { weightSchema } from "./weights.schemas.ts";
import { and, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { errors } from "../../core/errors.ts";
import { newId } from "../../core/ids.ts";
import {
  filtersSql,
  listQuerySql,
  type ListSpec,
  type SqlListQuery,
} from "../../core/list-query-sql.ts";
import type { Executor } from "../../db/client.ts";
import { measurements } from "../../db/schema/index.ts";
import { type MeasurementRow, upsertBodyFat } from "../bodyfats/bodyfats.store.ts";
import type { BulkResource } from "../bulk.ts";
import { childOwner } from "../common/owner.ts";
import { compact, isRecord } from "../common/schema.ts";
import { echoTime, utcSeconds } from "../common/time.ts";
import { type WeightInput, weightItem, weightReport } from "./weights.schemas.ts";

const t = measurements;
/** The linked body fat, joined to show its value as the weight's `body_fat`. */
const linked = alias(measurements, "linked_body_fat");

/** A weight with the value of its linked body fat (null when there is no link). */
export interface WeightRow {
  weight: MeasurementRow;
  bodyFat: number | null;
}

const ofWeight = (childId: string) => and(eq(t.childId, childId), eq(t.kind, "weight"));

/** The resource as every response shows it (tracking.md §5.1). */
export function weightView({ weight, bodyFat }: WeightRow): z.output<typeof weightSchema> {
  return {
    id: weight.id,
    timestamp: utcSeconds(weight.timestamp),
    value: weight.value,
    unit: weight.unit,
    child_id: weight.childId,
    ...(bodyFat != null && { body_fat: bodyFat }),
  };
}

function weightEcho(element: unknown, childId: string) {
  const raw = isRecord(element) ? element : {};
  return compact({
    id: raw.id,
    timestamp: echoTime(raw.timestamp, utcSeconds),
    value: raw.value,
    unit: raw.unit,
    child_id: childId,
    body_fat: raw.body_fat,
  });
}

/**
 * Stores a validated weight: 409 when the child has a weight at the same instant;
 * otherwise a given `body_fat` is created or overwritten at that instant and linked.
 */
export async function insertWeight(
  db: Executor,
  item: WeightInput,
  now: number,
): Promise<WeightRow> {
  const taken = await db.select({ id: t.id }).from(t)
    .where(and(ofWeight(item.child_id), eq(t.timestamp, item.timestamp))).limit(1);
  if (taken.length > 0) throw errors.alreadyRegistered("Weight");
  const bodyFatId = item.body_fat === undefined
    ? null
    : await upsertBodyFat(db, item.child_id, item.timestamp, item.body_fat, now);
  const weight: MeasurementRow = {
    id: newId(now),
    childId: item.child_id,
    kind: "weight",
    timestamp: item.timestamp,
    value: item.value,
    unit: item.unit,
    bodyFatId,
    createdAt: now,
  };
  await db.insert(t).values(weight);
  return { weight, bodyFat: item.body_fat ?? null };
}

/** The bulk path's view of weights for one child (POST and Fitbit ingest). */
export function weightBulk(childId: string, now: number): BulkResource<WeightInput> {
  return {
    owner: childOwner(childId),
    schema: weightItem,
    options: weightReport,
    prepare: (element) => ({ ...(isRecord(element) ? element : {}), child_id: childId }),
    echo: (element) => weightEcho(element, childId),
    store: async (tx, item) => weightView(await insertWeight(tx, item, now)),
    conflict: () => errors.alreadyRegistered("Weight"),
  };
}

const spec = (now: number): ListSpec => ({
  fields: {
    id: { kind: "text", expr: t.id },
    timestamp: { kind: "instant", expr: t.timestamp },
    value: { kind: "number", expr: t.value },
    unit: { kind: "text", expr: t.unit },
    body_fat: { kind: "number", expr: linked.value },
    created_at: { kind: "instant", expr: t.createdAt },
  },
  createdAt: t.createdAt,
  insertionOrder: sql`${t}.rowid`,
  fixed: ["child_id", "type"],
  now,
});

/** Weights joined with the value of their linked body fat. */
function selectWeights(db: Executor) {
  return db.select({ weight: t, bodyFat: linked.value }).from(t).leftJoin(
    linked,
    and(eq(linked.id, t.bodyFatId), eq(linked.kind, "body_fat"), eq(linked.childId, t.childId)),
  );
}

/** One page of a child's weights, filtered and sorted in SQL. */
export async function listWeights(
  db: Executor,
  childId: string,
  query: SqlListQuery,
  now: number,
): Promise<WeightRow[]> {
  const plan = listQuerySql(query, spec(now));
  return await selectWeights(db).where(and(ofWeight(childId), plan.where))
    .orderBy(...plan.orderBy).limit(plan.limit).offset(plan.offset);
}

/** How many weights the child has (`X-Total-Count`). */
export async function countWeights(db: Executor, childId: string): Promise<number> {
  const [{ count }] = await db.select({ count: sql<number>`count(*)` }).from(t)
    .where(ofWeight(childId));
  return count;
}

/** The child's weight with this id (a body fat's id is not found), if the filters hold. */
export async function findWeight(
  db: Executor,
  childId: string,
  id: string,
  query: SqlListQuery,
  now: number,
): Promise<WeightRow | undefined> {
  const rows = await selectWeights(db)
    .where(and(ofWeight(childId), eq(t.id, id), filtersSql(query, spec(now)))).limit(1);
  return rows[0];
}

/** Deletes the child's weight with this id; its linked body fat stays. */
export async function deleteWeight(db: Executor, childId: string, id: string): Promise<void> {
  await db.delete(t).where(and(ofWeight(childId), eq(t.id, id)));
}
