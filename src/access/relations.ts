import { and, eq } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import {
  childrenGroupMembers,
  childrenGroups,
  familyChildren,
  institutions,
  users,
} from "../db/schema/index.ts";

/** Lookups the ownership rules make. Each reads the database afresh (no caching). */

/** True when a user of type child has this id. */
export async function childExists(db: Executor, childId: string): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users)
    .where(and(eq(users.id, childId), eq(users.type, "child"))).limit(1);
  return rows.length > 0;
}

/** True when the child is in at least one group owned by `ownerId` (all groups are checked). */
export async function childInGroupsOf(
  db: Executor,
  ownerId: string,
  childId: string,
): Promise<boolean> {
  const rows = await db.select({ id: childrenGroups.id }).from(childrenGroupMembers)
    .innerJoin(childrenGroups, eq(childrenGroups.id, childrenGroupMembers.groupId))
    .where(and(eq(childrenGroupMembers.childId, childId), eq(childrenGroups.ownerId, ownerId)))
    .limit(1);
  return rows.length > 0;
}

/** True when the child is associated with the family. */
export async function childOfFamily(
  db: Executor,
  familyId: string,
  childId: string,
): Promise<boolean> {
  const rows = await db.select({ id: familyChildren.childId }).from(familyChildren)
    .where(and(eq(familyChildren.familyId, familyId), eq(familyChildren.childId, childId)))
    .limit(1);
  return rows.length > 0;
}

/** The institution id on a user's own record; undefined when the record or the link is gone. */
export async function institutionOf(db: Executor, userId: string): Promise<string | undefined> {
  const rows = await db.select({ institutionId: users.institutionId }).from(users)
    .where(eq(users.id, userId)).limit(1);
  return rows[0]?.institutionId ?? undefined;
}

/** True when an institution has this id. */
export async function institutionExists(db: Executor, institutionId: string): Promise<boolean> {
  const rows = await db.select({ id: institutions.id }).from(institutions)
    .where(eq(institutions.id, institutionId)).limit(1);
  return rows.length > 0;
}

/** The id of the child holding this NFC tag, if any. */
export async function childIdByNfcTag(db: Executor, tag: string): Promise<string | undefined> {
  const rows = await db.select({ id: users.id }).from(users)
    .where(and(eq(users.type, "child"), eq(users.nfcTag, tag))).limit(1);
  return rows[0]?.id;
}
