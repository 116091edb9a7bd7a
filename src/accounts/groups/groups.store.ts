import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { newId } from "../../core/ids.ts";
import type { Executor } from "../../db/client.ts";
import { childrenGroupMembers, childrenGroups } from "../../db/schema/index.ts";
import { nestedChildView } from "../children/children.store.ts";
import { childrenByIds } from "../users/users.store.ts";
import type { GroupChanges, NewGroup } from "./groups.schemas.ts";

/** A stored group row. */
export type GroupRow = typeof childrenGroups.$inferSelect;

/** The group view (account.md §1.7): the owner is not shown. */
export type GroupView = {
  id: string;
  name: string;
  children: ReturnType<typeof nestedChildView>[];
  school_class?: string;
};

/**
 * Views of groups, children expanded in stored order. Members whose child no longer
 * exists are dropped quietly.
 */
export async function groupViews(db: Executor, groups: GroupRow[]): Promise<GroupView[]> {
  if (groups.length === 0) return [];
  const members = await db.select().from(childrenGroupMembers)
    .where(inArray(childrenGroupMembers.groupId, groups.map((g) => g.id)))
    .orderBy(asc(childrenGroupMembers.position));
  const children = await childrenByIds(db, [...new Set(members.map((m) => m.childId))]);
  return groups.map((group) => ({
    id: group.id,
    name: group.name,
    children: members.filter((m) => m.groupId === group.id)
      .flatMap((m) => {
        const child = children.get(m.childId);
        return child ? [nestedChildView(child)] : [];
      }),
    ...(group.schoolClass != null && { school_class: group.schoolClass }),
  }));
}

/** Each owner's groups as views, in the order they were made (an educator's `children_groups`). */
export async function groupViewsByOwner(
  db: Executor,
  ownerIds: string[],
): Promise<Map<string, GroupView[]>> {
  const byOwner = new Map<string, GroupView[]>(ownerIds.map((id) => [id, []]));
  if (ownerIds.length === 0) return byOwner;
  const groups = await db.select().from(childrenGroups)
    .where(inArray(childrenGroups.ownerId, ownerIds))
    .orderBy(asc(childrenGroups.createdAt), asc(sql`rowid`));
  const views = await groupViews(db, groups);
  groups.forEach((group, i) => byOwner.get(group.ownerId)?.push(views[i]));
  return byOwner;
}

/** The owner's groups, newest first (the list's default order). */
export async function groupsOfOwner(db: Executor, ownerId: string): Promise<GroupRow[]> {
  return await db.select().from(childrenGroups).where(eq(childrenGroups.ownerId, ownerId))
    .orderBy(desc(childrenGroups.createdAt), desc(sql`rowid`));
}

/** The group with this id if the owner owns it. */
export async function findOwnedGroup(
  db: Executor,
  ownerId: string,
  groupId: string,
): Promise<GroupRow | undefined> {
  const rows = await db.select().from(childrenGroups)
    .where(and(eq(childrenGroups.id, groupId), eq(childrenGroups.ownerId, ownerId))).limit(1);
  return rows[0];
}

/** True when another group of the owner than `exceptId` has exactly this name. */
export async function groupNameTaken(
  db: Executor,
  ownerId: string,
  name: string,
  exceptId?: string,
): Promise<boolean> {
  const same = and(eq(childrenGroups.ownerId, ownerId), eq(childrenGroups.name, name));
  const rows = await db.select({ id: childrenGroups.id }).from(childrenGroups)
    .where(exceptId ? and(same, ne(childrenGroups.id, exceptId)) : same).limit(1);
  return rows.length > 0;
}

async function replaceMembers(tx: Executor, groupId: string, childIds: string[]): Promise<void> {
  await tx.delete(childrenGroupMembers).where(eq(childrenGroupMembers.groupId, groupId));
  if (childIds.length === 0) return;
  await tx.insert(childrenGroupMembers).values(
    childIds.map((childId, position) => ({ groupId, childId, position })),
  );
}

/** Creates a group with its members. */
export async function insertGroup(
  tx: Executor,
  ownerId: string,
  fields: NewGroup,
  now: number,
): Promise<GroupRow> {
  const [row] = await tx.insert(childrenGroups).values({
    id: newId(now),
    ownerId,
    name: fields.name,
    schoolClass: fields.school_class ?? null,
    createdAt: now,
  }).returning();
  await replaceMembers(tx, row.id, fields.children);
  return row;
}

/** Applies a PATCH to a group; the owner never changes. */
export async function updateGroup(
  tx: Executor,
  groupId: string,
  changes: GroupChanges,
): Promise<GroupRow | undefined> {
  const set = Object.fromEntries(
    Object.entries({ name: changes.name, schoolClass: changes.school_class })
      .filter(([, v]) => v !== undefined),
  );
  if (Object.keys(set).length > 0) {
    await tx.update(childrenGroups).set(set).where(eq(childrenGroups.id, groupId));
  }
  if (changes.children !== undefined) await replaceMembers(tx, groupId, changes.children);
  const rows = await tx.select().from(childrenGroups).where(eq(childrenGroups.id, groupId));
  return rows[0];
}

/** Deletes the group and its members, only if the owner owns it. */
export async function deleteOwnedGroup(
  tx: Executor,
  ownerId: string,
  groupId: string,
): Promise<void> {
  const deleted = await tx.delete(childrenGroups)
    .where(and(eq(childrenGroups.id, groupId), eq(childrenGroups.ownerId, ownerId)))
    .returning({ id: childrenGroups.id });
  if (deleted.length > 0) {
    await tx.delete(childrenGroupMembers).where(eq(childrenGroupMembers.groupId, groupId));
  }
}
