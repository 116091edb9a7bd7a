import { and, eq } from "drizzle-orm";
import type { Executor } from "../../db/client.ts";
import { users } from "../../db/schema/index.ts";

/** The child-side statuses (account.md §6.7, `users.fitbit_status`). */
export type ChildFitbitStatus =
  | "none"
  | "valid_token"
  | "expired_token"
  | "invalid_token"
  | "invalid_grant"
  | "invalid_client"
  | "rate_limit";

/** The users row of the child with this id (no row for another user type). */
export const isChild = (childId: string) => and(eq(users.id, childId), eq(users.type, "child"));

/** Whether the child still has its account (users table). */
export async function childExists(db: Executor, childId: string): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(isChild(childId)).limit(1);
  return rows.length > 0;
}

/** The child's `fitbit_status`, and `last_sync` when given (users table). */
export async function setChildState(
  db: Executor,
  childId: string,
  state: { status: ChildFitbitStatus; lastSync?: number },
): Promise<void> {
  await db.update(users).set({
    fitbitStatus: state.status,
    ...(state.lastSync !== undefined && { lastSync: state.lastSync }),
  }).where(isChild(childId));
}

/** The statement setting the child's `fitbit_status` (for batches). */
export function childStatusStatement(db: Executor, childId: string, status: ChildFitbitStatus) {
  return db.update(users).set({ fitbitStatus: status }).where(isChild(childId));
}
