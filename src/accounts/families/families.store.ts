import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { newId } from "../../core/ids.ts";
import type { Executor } from "../../db/client.ts";
import { familyChildren } from "../../db/schema/index.ts";
import { nestedChildView } from "../children/children.store.ts";
import {
  childrenByIds,
  insertUser,
  updateUser,
  userBaseView,
  type UserRow,
} from "../users/users.store.ts";
import type { FamilyChanges, NewFamily } from "./families.schemas.ts";

/**
 * Each family's children, in stored order, as child rows. Links to children that no
 * longer exist are dropped quietly.
 */
export async function childrenOfFamilies(
  db: Executor,
  familyIds: string[],
): Promise<Map<string, UserRow[]>> {
  const byFamily = new Map<string, UserRow[]>(familyIds.map((id) => [id, []]));
  if (familyIds.length === 0) return byFamily;
  const links = await db.select().from(familyChildren)
    .where(inArray(familyChildren.familyId, familyIds))
    .orderBy(asc(familyChildren.position));
  const children = await childrenByIds(db, [...new Set(links.map((l) => l.childId))]);
  for (const link of links) {
    const child = children.get(link.childId);
    if (child) byFamily.get(link.familyId)?.push(child);
  }
  return byFamily;
}

/** Family views (account.md §1.7): base user keys, then `children` (always an array). */
export async function familyViews(db: Executor, rows: UserRow[]) {
  const children = await childrenOfFamilies(db, rows.map((row) => row.id));
  return rows.map((row) => ({
    ...userBaseView(row),
    children: (children.get(row.id) ?? []).map(nestedChildView),
  }));
}

async function replaceLinks(tx: Executor, familyId: string, childIds: string[]): Promise<void> {
  await tx.delete(familyChildren).where(eq(familyChildren.familyId, familyId));
  if (childIds.length === 0) return;
  await tx.insert(familyChildren).values(
    childIds.map((childId, position) => ({ familyId, childId, position })),
  );
}

/** Inserts a family with its child links. */
export async function insertFamily(
  tx: Executor,
  body: NewFamily,
  passwordHash: string,
  now: number,
): Promise<UserRow> {
  const row = await insertUser(tx, {
    id: newId(now),
    type: "family",
    username: body.username,
    passwordHash,
    institutionId: body.institution_id,
    createdAt: now,
  });
  await replaceLinks(tx, row.id, body.children);
  return row;
}

/** Applies a PATCH; `children` replaces the links. */
export async function updateFamily(
  tx: Executor,
  id: string,
  changes: FamilyChanges,
): Promise<UserRow | undefined> {
  const row = await updateUser(tx, id, {
    username: changes.username,
    institutionId: changes.institution_id,
  });
  if (row && changes.children !== undefined) await replaceLinks(tx, id, changes.children);
  return row;
}

/** Appends the child to the family's list unless it is already there. */
export async function linkChild(tx: Executor, familyId: string, childId: string): Promise<void> {
  const [{ next }] = await tx.select({
    next: sql<number>`coalesce(max(${familyChildren.position}) + 1, 0)`,
  }).from(familyChildren).where(eq(familyChildren.familyId, familyId));
  await tx.insert(familyChildren).values({ familyId, childId, position: next })
    .onConflictDoNothing();
}

/** Removes the child from the family's list, if it is there. */
export async function unlinkChild(db: Executor, familyId: string, childId: string): Promise<void> {
  await db.delete(familyChildren)
    .where(and(eq(familyChildren.familyId, familyId), eq(familyChildren.childId, childId)));
}
