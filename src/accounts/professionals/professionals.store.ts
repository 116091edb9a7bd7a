import { newId } from "../../core/ids.ts";
import type { Executor } from "../../db/client.ts";
import { groupViewsByOwner } from "../groups/groups.store.ts";
import { insertUser, updateUser, userBaseView, type UserRow } from "../users/users.store.ts";
import type { ProfessionalKind } from "./professionals.kinds.ts";
import type { NewProfessional } from "./professionals.schemas.ts";

/**
 * Educator / health professional views (account.md §1.7): the base user keys, then
 * `children_groups`, always an array of full group views.
 */
export async function professionalViews(db: Executor, rows: UserRow[]) {
  const groups = await groupViewsByOwner(db, rows.map((row) => row.id));
  return rows.map((row) => ({ ...userBaseView(row), children_groups: groups.get(row.id) ?? [] }));
}

/** One view. */
export async function professionalView(db: Executor, row: UserRow) {
  return (await professionalViews(db, [row]))[0];
}

/** Inserts an educator or health professional. */
export async function insertProfessional(
  tx: Executor,
  kind: ProfessionalKind,
  fields: NewProfessional,
  passwordHash: string,
  now: number,
): Promise<UserRow> {
  return await insertUser(tx, {
    id: newId(now),
    type: kind.type,
    username: fields.username,
    passwordHash,
    institutionId: fields.institution_id,
    createdAt: now,
  });
}

/** Applies a PATCH. */
export async function updateProfessional(
  tx: Executor,
  id: string,
  changes: { username?: string; institution_id?: string },
): Promise<UserRow | undefined> {
  return await updateUser(tx, id, {
    username: changes.username,
    institutionId: changes.institution_id,
  });
}
