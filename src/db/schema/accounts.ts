import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";

/**
 * Every user type lives in one table (the original's single user store).
 * References between account rows are plain ids, not foreign keys: another
 * process may delete a referenced row, and readers must then drop it quietly.
 */
export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  type: text("type", {
    enum: ["admin", "application", "child", "educator", "family", "healthprofessional"],
  }).notNull(),
  username: text("username").notNull(),
  passwordHash: text("password_hash").notNull(),
  institutionId: text("institution_id"),
  lastLogin: integer("last_login"),
  createdAt: integer("created_at").notNull(),
  // Child-only fields.
  gender: text("gender"),
  age: text("age"),
  ageCalcDate: text("age_calc_date"),
  lastSync: integer("last_sync"),
  fitbitStatus: text("fitbit_status"),
  nfcTag: text("nfc_tag"),
  tagAssTime: integer("tag_ass_time"),
  // Application-only field.
  applicationName: text("application_name"),
}, (t) => [
  uniqueIndex("users_type_username_unique").on(t.type, t.username),
  index("users_username_idx").on(t.username),
  index("users_type_created_idx").on(t.type, t.createdAt),
  index("users_institution_idx").on(t.institutionId),
  uniqueIndex("users_nfc_tag_unique").on(t.nfcTag).where(
    sql`${t.nfcTag} IS NOT NULL AND ${t.nfcTag} <> 'none'`,
  ),
]);

export const institutions = sqliteTable("institutions", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  name: text("name").notNull(),
  address: text("address"),
  latitude: text("latitude"),
  longitude: text("longitude"),
  createdAt: integer("created_at").notNull(),
}, (t) => [
  uniqueIndex("institutions_name_unique").on(t.name),
  index("institutions_created_idx").on(t.createdAt),
]);

/** Children groups, owned by one educator or health professional. */
export const childrenGroups = sqliteTable("children_groups", {
  id: text("id").primaryKey(),
  ownerId: text("owner_id").notNull(),
  name: text("name").notNull(),
  schoolClass: text("school_class"),
  createdAt: integer("created_at").notNull(),
}, (t) => [
  uniqueIndex("children_groups_owner_name_unique").on(t.ownerId, t.name),
  index("children_groups_owner_created_idx").on(t.ownerId, t.createdAt),
]);

/** Members of a group, in the order they were given. */
export const childrenGroupMembers = sqliteTable("children_group_members", {
  groupId: text("group_id").notNull(),
  childId: text("child_id").notNull(),
  position: integer("position").notNull(),
}, (t) => [
  primaryKey({ columns: [t.groupId, t.childId] }),
  index("children_group_members_child_idx").on(t.childId),
]);

/** Children associated with a family, in the order they were given. */
export const familyChildren = sqliteTable("family_children", {
  familyId: text("family_id").notNull(),
  childId: text("child_id").notNull(),
  position: integer("position").notNull(),
}, (t) => [
  primaryKey({ columns: [t.familyId, t.childId] }),
  index("family_children_child_idx").on(t.childId),
]);
