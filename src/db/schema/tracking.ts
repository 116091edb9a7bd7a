import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

/**
 * Tracking data (tracking.md). Instants are epoch milliseconds; the hidden registration
 * time `created_at` and the table's rowid (insertion order) give the default list order.
 * Rows reference children and institutions by plain id (no foreign keys): the cascades
 * in db/cascade.ts remove them with their owner.
 *
 * Indexes: every list is "one child's (or institution's) rows, newest registration
 * first, paged", so each table has (owner, created_at) — SQLite appends the rowid to
 * every index entry, which serves the insertion-order tie-break too. The 409 checks
 * and sorting on the main time field use the unique (owner, time) index.
 */

/** One physical-activity level: `{name, duration}` (ms). */
export interface StoredLevel {
  name: string;
  duration: number;
}

/** One heart-rate zone (bpm, ms). */
export interface StoredZone {
  min: number;
  max: number;
  duration: number;
}

/** Heart-rate data of a physical activity, as stored and shown. */
export interface StoredHeartRate {
  average: number;
  out_of_range_zone: StoredZone;
  fat_burn_zone: StoredZone;
  cardio_zone: StoredZone;
  peak_zone: StoredZone;
}

export const physicalActivities = sqliteTable("physical_activities", {
  id: text("id").primaryKey(),
  childId: text("child_id").notNull(),
  startTime: integer("start_time").notNull(),
  endTime: integer("end_time").notNull(),
  duration: integer("duration").notNull(),
  name: text("name").notNull(),
  calories: real("calories").notNull(),
  steps: integer("steps"),
  distance: real("distance"),
  levels: text("levels", { mode: "json" }).$type<StoredLevel[]>(),
  heartRate: text("heart_rate", { mode: "json" }).$type<StoredHeartRate>(),
  createdAt: integer("created_at").notNull(),
}, (t) => [
  uniqueIndex("physical_activities_child_start_unique").on(t.childId, t.startTime),
  index("physical_activities_child_created_idx").on(t.childId, t.createdAt),
]);

/** One sleep pattern item: `{start_time (ms), name, duration (ms)}`. */
export interface StoredSleepStage {
  start_time: number;
  name: string;
  duration: number;
}

export const sleep = sqliteTable("sleep", {
  id: text("id").primaryKey(),
  childId: text("child_id").notNull(),
  startTime: integer("start_time").notNull(),
  endTime: integer("end_time").notNull(),
  duration: integer("duration").notNull(),
  type: text("type", { enum: ["classic", "stages"] }).notNull(),
  dataSet: text("data_set", { mode: "json" }).$type<StoredSleepStage[]>().notNull(),
  createdAt: integer("created_at").notNull(),
}, (t) => [
  uniqueIndex("sleep_child_start_unique").on(t.childId, t.startTime),
  index("sleep_child_created_idx").on(t.childId, t.createdAt),
]);

/**
 * Weights and body fats share one table, told apart by `kind` (the original's single
 * measurement collection). A weight may link to the body fat recorded at its instant.
 */
export const measurements = sqliteTable("measurements", {
  id: text("id").primaryKey(),
  childId: text("child_id").notNull(),
  kind: text("kind", { enum: ["weight", "body_fat"] }).notNull(),
  timestamp: integer("timestamp").notNull(),
  value: real("value").notNull(),
  unit: text("unit").notNull(),
  bodyFatId: text("body_fat_id"),
  createdAt: integer("created_at").notNull(),
}, (t) => [
  uniqueIndex("measurements_child_kind_timestamp_unique").on(t.childId, t.kind, t.timestamp),
  index("measurements_child_kind_created_idx").on(t.childId, t.kind, t.createdAt),
  index("measurements_body_fat_idx").on(t.bodyFatId),
]);

/** Daily logs: at most one value per child, resource and calendar day (`YYYY-MM-DD`). */
export const dailyLogs = sqliteTable("daily_logs", {
  childId: text("child_id").notNull(),
  resource: text("resource").notNull(),
  date: text("date").notNull(),
  value: real("value").notNull(),
  updatedAt: integer("updated_at").notNull(),
}, (t) => [primaryKey({ columns: [t.childId, t.resource, t.date] })]);

/** One environment measurement: `{type, value, unit}`. */
export interface StoredMeasurement {
  type: string;
  value: number;
  unit: string;
}

/** Environment readings of an institution; the location is kept in columns (filters, 409). */
export const environments = sqliteTable("environments", {
  id: text("id").primaryKey(),
  institutionId: text("institution_id").notNull(),
  timestamp: integer("timestamp").notNull(),
  local: text("local").notNull(),
  room: text("room").notNull(),
  latitude: text("latitude"),
  longitude: text("longitude"),
  measurements: text("measurements", { mode: "json" }).$type<StoredMeasurement[]>().notNull(),
  climatized: integer("climatized", { mode: "boolean" }).notNull(),
  createdAt: integer("created_at").notNull(),
}, (t) => [
  index("environments_institution_created_idx").on(t.institutionId, t.createdAt),
  index("environments_institution_timestamp_idx").on(t.institutionId, t.timestamp),
]);
