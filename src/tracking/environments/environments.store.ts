import type { z } from "zod";
import type { environmentSchema } from "./environments.schemas.ts";
import { and, eq, sql } from "drizzle-orm";
import { errors } from "../../core/errors.ts";
import { newId } from "../../core/ids.ts";
import type { ListSpec } from "../../core/list-query-sql.ts";
import type { Executor } from "../../db/client.ts";
import { environments } from "../../db/schema/index.ts";
import type { BulkResource } from "../bulk.ts";
import {
  booleanJson,
  isoMillisJson,
  objectJson,
  storedJson,
  textJson,
} from "../common/json-sql.ts";
import { institutionOwner } from "../common/owner.ts";
import { ownedJsonRecords } from "../common/records.ts";
import { compact, pick } from "../common/schema.ts";
import { isRecord } from "../../core/validation/rules.ts";
import { echoTime, isoMillis } from "../common/time.ts";
import { type EnvironmentInput, environmentItem } from "./environments.schemas.ts";

const t = environments;

/** A stored environment reading. */
export type EnvironmentRow = typeof t.$inferSelect;

/** The resource as every response shows it (tracking.md §8.1): full ISO time. */
export function environmentView(row: EnvironmentRow): z.output<typeof environmentSchema> {
  return {
    id: row.id,
    institution_id: row.institutionId,
    location: {
      local: row.local,
      room: row.room,
      ...(row.latitude != null && { latitude: row.latitude }),
      ...(row.longitude != null && { longitude: row.longitude }),
    },
    measurements: row.measurements,
    climatized: row.climatized,
    timestamp: isoMillis(row.timestamp),
  };
}

const asText = (value: unknown) => typeof value === "number" ? String(value) : value;

function environmentEcho(element: unknown, institutionId: string) {
  const raw = isRecord(element) ? element : {};
  const location = isRecord(raw.location)
    ? compact({
      ...pick(raw.location, ["local", "room"]),
      latitude: asText(raw.location.latitude),
      longitude: asText(raw.location.longitude),
    })
    : undefined;
  const measurements = Array.isArray(raw.measurements)
    ? raw.measurements.map((item) => {
      const fields = pick(item, ["type", "value", "unit"]);
      const type = typeof fields.type === "string" ? fields.type.trim().toLowerCase() : undefined;
      return type === undefined ? fields : { ...fields, type };
    })
    : undefined;
  return compact({
    id: raw.id,
    institution_id: institutionId,
    location,
    measurements,
    climatized: raw.climatized ?? false,
    timestamp: echoTime(raw.timestamp, isoMillis),
  });
}

/**
 * Stores a validated reading; 409 when the institution has one at the same instant and
 * the same location (every location field equal, an absent one equal only to absent).
 */
export async function insertEnvironment(
  db: Executor,
  item: EnvironmentInput,
  now: number,
): Promise<EnvironmentRow> {
  const { local, room, latitude = null, longitude = null } = item.location;
  const taken = await db.select({ id: t.id }).from(t).where(and(
    eq(t.institutionId, item.institution_id),
    eq(t.timestamp, item.timestamp),
    eq(t.local, local),
    eq(t.room, room),
    sql`${t.latitude} is ${latitude}`,
    sql`${t.longitude} is ${longitude}`,
  )).limit(1);
  if (taken.length > 0) throw errors.alreadyRegistered("Environment");
  const row: EnvironmentRow = {
    id: newId(now),
    institutionId: item.institution_id,
    timestamp: item.timestamp,
    local,
    room,
    latitude,
    longitude,
    measurements: item.measurements.map(({ type, value, unit }) => ({ type, value, unit })),
    climatized: item.climatized ?? false,
    createdAt: now,
  };
  await db.insert(t).values(row);
  return row;
}

/** The bulk path's view of environment readings for one institution. */
export function environmentBulk(
  institutionId: string,
  now: number,
): BulkResource<EnvironmentInput> {
  return {
    owner: institutionOwner(institutionId),
    schema: environmentItem,
    prepare: (element) => ({
      ...(isRecord(element) ? element : {}),
      institution_id: institutionId,
    }),
    echo: (element) => environmentEcho(element, institutionId),
    store: async (tx, item) => environmentView(await insertEnvironment(tx, item, now)),
  };
}

const measurementField = (key: string) => ({
  kind: key === "value" ? "number" as const : "text" as const,
  expr: sql`json_extract(item.value, ${`$.${key}`})`,
  within: t.measurements,
});

const spec = (now: number): ListSpec => ({
  fields: {
    id: { kind: "text", expr: t.id },
    timestamp: { kind: "instant", expr: t.timestamp },
    climatized: { kind: "boolean", expr: t.climatized },
    "location.local": { kind: "text", expr: t.local },
    "location.room": { kind: "text", expr: t.room },
    "location.latitude": { kind: "text", expr: t.latitude },
    "location.longitude": { kind: "text", expr: t.longitude },
    "measurements.type": measurementField("type"),
    "measurements.value": measurementField("value"),
    "measurements.unit": measurementField("unit"),
    created_at: { kind: "instant", expr: t.createdAt },
  },
  createdAt: t.createdAt,
  insertionOrder: sql`${t}.rowid`,
  fixed: ["institution_id"],
  now,
});

/** `environmentView` written by SQLite (json-sql.ts), key for key. */
const environmentJson = objectJson([
  { key: "id", value: textJson("id") },
  { key: "institution_id", value: textJson("institution_id") },
  {
    key: "location",
    value: objectJson([
      { key: "local", value: textJson("local") },
      { key: "room", value: textJson("room") },
      { key: "latitude", value: textJson("latitude"), omitWhenNull: { column: "latitude" } },
      { key: "longitude", value: textJson("longitude"), omitWhenNull: { column: "longitude" } },
    ]),
  },
  { key: "measurements", value: storedJson("measurements") },
  { key: "climatized", value: booleanJson("climatized") },
  { key: "timestamp", value: isoMillisJson("timestamp") },
]);

/** An institution's readings: a page, the total, deleting one; pages as JSON. */
export const {
  list: listEnvironments,
  count: countEnvironments,
  remove: deleteEnvironment,
  listJson: listEnvironmentsJson,
} = ownedJsonRecords(t, (institutionId) => eq(t.institutionId, institutionId), spec, {
  item: environmentJson,
  owned: "institution_id = ?",
});

/** Deletes every reading of the institution (DELETE all, and the institution cascade). */
export async function deleteInstitutionEnvironments(
  db: Executor,
  institutionId: string,
): Promise<void> {
  await db.delete(t).where(eq(t.institutionId, institutionId));
}
