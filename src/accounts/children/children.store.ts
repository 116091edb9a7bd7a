import { and, eq } from "drizzle-orm";
import { newId } from "../../core/ids.ts";
import type { Executor } from "../../db/client.ts";
import { users } from "../../db/schema/index.ts";
import {
  insertUser,
  isoInstant,
  updateUser,
  userBaseView,
  type UserRow,
} from "../users/users.store.ts";
import type { ChildChanges, ChildView, NestedChildView, NewChild } from "./children.schemas.ts";

/** The Fitbit states a child can be in (account.md §1.6). */
export const FITBIT_STATUSES = [
  "none",
  "valid_token",
  "expired_token",
  "invalid_token",
  "invalid_grant",
  "invalid_client",
  "rate_limit",
] as const;

/** One of the Fitbit states. */
export type FitbitStatus = (typeof FITBIT_STATUSES)[number];

/**
 * A child as it appears inside a family or group (account.md §1.7): no NFC keys.
 * `fitbit_status` is always present.
 */
export function nestedChildView(row: UserRow): NestedChildView {
  return {
    ...userBaseView(row),
    ...(row.gender != null && { gender: row.gender }),
    ...(row.age != null && { age: row.age }),
    ...(row.ageCalcDate != null && { age_calc_date: row.ageCalcDate }),
    ...(row.lastSync != null && { last_sync: isoInstant(row.lastSync) }),
    fitbit_status: (row.fitbitStatus ?? "none") as FitbitStatus,
  };
}

/** The child view of the `/v1/children` routes (account.md §1.7). */
export function childView(row: UserRow): ChildView {
  return {
    ...nestedChildView(row),
    ...(row.nfcTag != null && { nfc_tag: row.nfcTag }),
    ...(row.tagAssTime != null && { tag_ass_time: isoInstant(row.tagAssTime) }),
  };
}

/** Inserts a child with `fitbit_status` "none". */
export async function insertChild(
  tx: Executor,
  fields: NewChild,
  passwordHash: string,
  now: number,
): Promise<UserRow> {
  return await insertUser(tx, {
    id: newId(now),
    type: "child",
    username: fields.username,
    passwordHash,
    institutionId: fields.institution_id,
    gender: fields.gender,
    age: fields.age.text,
    ageCalcDate: fields.age_calc_date,
    fitbitStatus: "none",
    createdAt: now,
  });
}

/** Applies a PATCH; the Fitbit and NFC fields are never touched here. */
export async function updateChild(
  tx: Executor,
  id: string,
  changes: ChildChanges,
): Promise<UserRow | undefined> {
  return await updateUser(tx, id, {
    username: changes.username,
    institutionId: changes.institution_id,
    gender: changes.gender,
    age: changes.age?.text,
    ageCalcDate: changes.age_calc_date,
  });
}

/** The child holding exactly this NFC tag, if any. */
export async function findChildByNfcTag(db: Executor, tag: string): Promise<UserRow | undefined> {
  const rows = await db.select().from(users)
    .where(and(eq(users.type, "child"), eq(users.nfcTag, tag))).limit(1);
  return rows[0];
}

/**
 * For the Fitbit module (account.md §6.7): records a child's Fitbit state and, after a
 * sync, its time. An unknown child is ignored. The API itself never writes these fields.
 */
export async function recordFitbitState(
  db: Executor,
  childId: string,
  state: { status: FitbitStatus; lastSync?: number },
): Promise<void> {
  await db.update(users)
    .set({
      fitbitStatus: state.status,
      ...(state.lastSync !== undefined && { lastSync: state.lastSync }),
    })
    .where(and(eq(users.id, childId), eq(users.type, "child")));
}
