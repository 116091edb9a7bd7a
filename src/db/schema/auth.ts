import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Subjects whose tokens no longer work: a user deleted through the API.
 * Token checks consult only this list, never the users table.
 */
export const revokedSubjects = sqliteTable("revoked_subjects", {
  subjectId: text("subject_id").primaryKey(),
  revokedAt: integer("revoked_at").notNull(),
});

/** Fixed-window rate-limit counters, shared by every instance using the database. */
export const rateLimitWindows = sqliteTable("rate_limit_windows", {
  key: text("key").primaryKey(),
  hits: integer("hits").notNull(),
  resetAt: integer("reset_at").notNull(),
});
