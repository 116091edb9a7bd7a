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
import { numberJson, objectJson, textJson, utcSecondsJson } from "../common/json-sql.ts";
import { childOwner } from "../common/owner.ts";
import {
  jsonItem,
  jsonListPage,
  type JsonPage,
  jsonRecord,
  ownedRecords,
} from "../common/records.ts";
import { compact } from "../common/schema.ts";
import { isRecord } from "../../core/validation/rules.ts";
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

/** A column of the weight (the join names two rows of the same table). */
const weightColumn = (name: string) => `"measurements"."${name}"`;
const linkedValue = `"linked_body_fat"."value"`;

/** `weightView` written by SQLite (json-sql.ts), key for key. */
const weightJson = objectJson([
  { key: "id", value: textJson(weightColumn("id")) },
  { key: "timestamp", value: utcSecondsJson(weightColumn("timestamp")) },
  { key: "value", value: numberJson(weightColumn("value")) },
  { key: "unit", value: textJson(weightColumn("unit")) },
  { key: "child_id", value: textJson(weightColumn("child_id")) },
  { key: "body_fat", value: numberJson(linkedValue), omitWhenNull: { column: linkedValue } },
]);

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

/** The link of a weight to its body fat (the same child's, of kind body fat). */
const toLinked = and(
  eq(linked.id, t.bodyFatId),
  eq(linked.kind, "body_fat"),
  eq(linked.childId, t.childId),
);

/** Weights joined with the value of their linked body fat. */
function selectWeights(db: Executor) {
  return db.select({ weight: t, bodyFat: linked.value }).from(t).leftJoin(linked, toLinked);
}

/** The same join, selecting each weight's view as JSON text written by SQLite. */
function selectWeightsJson(db: Executor) {
  return db.select({ item: jsonItem(weightJson) }).from(t).leftJoin(linked, toLinked);
}

/**
 * The child's weights without the join: the total (`X-Total-Count`) and deleting one (its
 * linked body fat stays). Pages and reads by id join the linked body fat (below).
 */
export const { count: countWeights, remove: deleteWeight } = ownedRecords(t, ofWeight, spec);

/** The page a list query asks for: the child's weights, filters, order, limit, offset. */
function pagePlan(childId: string, query: SqlListQuery, now: number) {
  const plan = listQuerySql(query, spec(now));
  return { ...plan, where: and(ofWeight(childId), plan.where) };
}

/** One page of a child's weights, filtered and sorted in SQL. */
export async function listWeights(
  db: Executor,
  childId: string,
  query: SqlListQuery,
  now: number,
): Promise<WeightRow[]> {
  const { where, orderBy, limit, offset } = pagePlan(childId, query, now);
  return await selectWeights(db).where(where).orderBy(...orderBy).limit(limit).offset(offset);
}

/** The same page as JSON text written by SQLite, with the total; undefined: use `listWeights`. */
export async function listWeightsJson(
  db: Executor,
  childId: string,
  query: SqlListQuery,
  now: number,
): Promise<JsonPage | undefined> {
  const { where, orderBy, limit, offset } = pagePlan(childId, query, now);
  return await jsonListPage(
    db,
    selectWeightsJson(db).where(where).orderBy(...orderBy).limit(limit).offset(offset),
    () => countWeights(db, childId),
  );
}

/** The conditions of a read by id: the child's weight with this id, the filters holding. */
const byId = (childId: string, id: string, query: SqlListQuery, now: number) =>
  and(ofWeight(childId), eq(t.id, id), filtersSql(query, spec(now)));

/** The child's weight with this id (a body fat's id is not found), if the filters hold. */
export async function findWeight(
  db: Executor,
  childId: string,
  id: string,
  query: SqlListQuery,
  now: number,
): Promise<WeightRow | undefined> {
  const rows = await selectWeights(db).where(byId(childId, id, query, now)).limit(1);
  return rows[0];
}

/** The same as JSON text written by SQLite (null: none); undefined: use `findWeight`. */
export async function findWeightJson(
  db: Executor,
  childId: string,
  id: string,
  query: SqlListQuery,
  now: number,
): Promise<string | null | undefined> {
  return await jsonRecord(db, selectWeightsJson(db).where(byId(childId, id, query, now)).limit(1));
}
