import { newId } from "../../core/ids.ts";
import type { Executor } from "../../db/client.ts";
import { insertUser, updateUser, userBaseView, type UserRow } from "../users/users.store.ts";
import type { ApplicationChanges, NewApplication } from "./applications.schemas.ts";

/** The application view (account.md §1.7). */
export function applicationView(row: UserRow) {
  return {
    ...userBaseView(row),
    ...(row.applicationName != null && { application_name: row.applicationName }),
  };
}

/** Inserts an application. */
export async function insertApplication(
  tx: Executor,
  body: NewApplication,
  passwordHash: string,
  now: number,
): Promise<UserRow> {
  return await insertUser(tx, {
    id: newId(now),
    type: "application",
    username: body.username,
    passwordHash,
    institutionId: body.institution_id ?? null,
    applicationName: body.application_name,
    createdAt: now,
  });
}

/** Applies a PATCH. */
export async function updateApplication(
  tx: Executor,
  id: string,
  changes: ApplicationChanges,
): Promise<UserRow | undefined> {
  return await updateUser(tx, id, {
    username: changes.username,
    institutionId: changes.institution_id,
    applicationName: changes.application_name,
  });
}
