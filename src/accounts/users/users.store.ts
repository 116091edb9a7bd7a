import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { institutionExists } from "../../access/relations.ts";
import type { UserType } from "../../auth/scopes.ts";
import { errors, isUniqueViolation } from "../../core/errors.ts";
import type { Database, Executor, Transaction } from "../../db/client.ts";
import { deleteChildData } from "../../db/cascade.ts";
import {
  childrenGroupMembers,
  childrenGroups,
  familyChildren,
  revokedSubjects,
  users,
} from "../../db/schema/index.ts";
import { accountErrors } from "./users.errors.ts";

/** A stored user row (every type shares the table). */
export type UserRow = typeof users.$inferSelect;

/** An instant stored as epoch milliseconds, shown as ISO 8601 UTC with milliseconds. */
export function isoInstant(ms: number | null): string | undefined {
  return ms == null ? undefined : new Date(ms).toISOString();
}

/**
 * The keys every user view starts with, in the original's order (account.md §1.7):
 * `id`, `username`, `institution_id`, `last_login`; unset keys are left out.
 * `password`, `type` and `created_at` are never shown.
 */
export function userBaseView(row: UserRow) {
  return {
    id: row.id,
    username: row.username,
    ...(row.institutionId != null && { institution_id: row.institutionId }),
    ...(row.lastLogin != null && { last_login: isoInstant(row.lastLogin) }),
  };
}

/** The user with this id (of this type, when given), if any. */
export async function findUser(
  db: Executor,
  id: string,
  type?: UserType,
): Promise<UserRow | undefined> {
  const byId = eq(users.id, id);
  const rows = await db.select().from(users)
    .where(type ? and(byId, eq(users.type, type)) : byId).limit(1);
  return rows[0];
}

/** Every user of a type, newest first (lists filter and page in memory). */
export async function usersOfType(db: Executor, type: UserType): Promise<UserRow[]> {
  return await db.select().from(users).where(eq(users.type, type))
    .orderBy(desc(users.createdAt), desc(sql`rowid`));
}

/** How many users of a type exist (a list's `X-Total-Count`). */
export async function countUsersOfType(db: Executor, type: UserType): Promise<number> {
  const [{ count }] = await db.select({ count: sql<number>`count(*)` }).from(users)
    .where(eq(users.type, type));
  return count;
}

/** The children among these ids, by id (ids of other types or of no one are left out). */
export async function childrenByIds(db: Executor, ids: string[]): Promise<Map<string, UserRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(users)
    .where(and(eq(users.type, "child"), inArray(users.id, ids)));
  return new Map(rows.map((row) => [row.id, row]));
}

// ---------------------------------------------------------------------------
// Checks a create or update makes, each throwing its contract error. They run inside
// the writing transaction, so what they verified still holds when the row is written.

/** 409 `<label> is already registered...` when another user of the type has the username. */
export async function assertUsernameFree(
  tx: Executor,
  type: UserType,
  label: string,
  username: string,
  exceptId?: string,
): Promise<void> {
  const same = and(eq(users.type, type), eq(users.username, username));
  const rows = await tx.select({ id: users.id }).from(users)
    .where(exceptId ? and(same, ne(users.id, exceptId)) : same).limit(1);
  if (rows.length > 0) throw errors.alreadyRegistered(label);
}

/** 400 `The institution provided does not have a registration.` */
export async function assertInstitutionRegistered(tx: Executor, id: string): Promise<void> {
  if (!await institutionExists(tx, id)) throw errors.institutionNotRegistered();
}

/** 400 listing the ids that are not registered children. */
export async function assertChildrenRegistered(tx: Executor, ids: string[]): Promise<void> {
  const found = await childrenByIds(tx, ids);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw accountErrors.childrenNotRegistered(missing);
}

/**
 * The reference checks of a user create or update, in the contract's order (account.md
 * §6.1 #11–#12, §9.1 #7–#9, §9.4 #7–#9): username free within the type (409), children
 * registered, institution registered. Fields left undefined are not checked.
 */
export async function assertUserFieldsAcceptable(
  tx: Executor,
  user: {
    type: UserType;
    label: string;
    exceptId?: string;
    username?: string;
    childIds?: string[];
    institutionId?: string;
  },
): Promise<void> {
  if (user.username !== undefined) {
    await assertUsernameFree(tx, user.type, user.label, user.username, user.exceptId);
  }
  if (user.childIds !== undefined) await assertChildrenRegistered(tx, user.childIds);
  if (user.institutionId !== undefined) await assertInstitutionRegistered(tx, user.institutionId);
}

/**
 * Runs the checks and writes of one record in a single transaction. A unique-index
 * violation (a race the checks could not see) becomes the `<label> is already
 * registered...` 409.
 */
export async function writeOrConflict<T>(
  db: Database,
  label: string,
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction(work);
  } catch (error) {
    if (isUniqueViolation(error)) throw errors.alreadyRegistered(label);
    throw error;
  }
}

/** Inserts a user row. */
export async function insertUser(tx: Executor, row: typeof users.$inferInsert): Promise<UserRow> {
  const [inserted] = await tx.insert(users).values(row).returning();
  return inserted;
}

/** Sets the given columns of a user; returns the updated row. */
export async function updateUser(
  tx: Executor,
  id: string,
  set: Partial<typeof users.$inferInsert>,
): Promise<UserRow | undefined> {
  const changes = Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
  if (Object.keys(changes).length === 0) return await findUser(tx, id);
  const rows = await tx.update(users).set(changes).where(eq(users.id, id)).returning();
  return rows[0];
}

/** Stores a new password hash; false when the user does not exist. */
export async function setPasswordHash(db: Executor, id: string, hash: string): Promise<boolean> {
  const rows = await db.update(users).set({ passwordHash: hash }).where(eq(users.id, id))
    .returning({ id: users.id });
  return rows.length > 0;
}

/** What `deleteUser` did. */
export type DeleteOutcome = "deleted" | "admin" | "absent";

/**
 * DELETE /v1/users/:id (account.md §4.1), in one transaction: the subject's tokens stop
 * working, the user is deleted and so is what hangs on it. A child leaves every group and
 * family and its data goes (`deleteChildData`); an educator's or health professional's
 * groups go with their members; a family's child links go. An admin is never deleted, and
 * its subject is not revoked either: revocation is permanent here, and the admin still
 * exists. An unknown id is revoked anyway (harmless: ids are never reused).
 */
export async function deleteUser(db: Database, id: string, now: number): Promise<DeleteOutcome> {
  return await db.transaction(async (tx) => {
    const user = await findUser(tx, id);
    if (user?.type === "admin") return "admin";
    await tx.insert(revokedSubjects).values({ subjectId: id, revokedAt: now })
      .onConflictDoNothing();
    if (!user) return "absent";
    await tx.delete(users).where(eq(users.id, id));
    switch (user.type) {
      case "child":
        await tx.delete(childrenGroupMembers).where(eq(childrenGroupMembers.childId, id));
        await tx.delete(familyChildren).where(eq(familyChildren.childId, id));
        await deleteChildData(tx, id);
        break;
      case "educator":
      case "healthprofessional": {
        const owned = tx.select({ id: childrenGroups.id }).from(childrenGroups)
          .where(eq(childrenGroups.ownerId, id));
        await tx.delete(childrenGroupMembers).where(inArray(childrenGroupMembers.groupId, owned));
        await tx.delete(childrenGroups).where(eq(childrenGroups.ownerId, id));
        break;
      }
      case "family":
        await tx.delete(familyChildren).where(eq(familyChildren.familyId, id));
        break;
    }
    return "deleted";
  });
}
