import { eq, lt } from "drizzle-orm";
import type { Executor } from "../../db/client.ts";
import { wearableAuthStates } from "../../db/schema/index.ts";

/** Pending platform-managed authorizations (OAuth `state`, single use). */

/** A pending authorization. */
export type AuthStateRow = typeof wearableAuthStates.$inferSelect;

/** Stores a pending authorization (and drops expired ones). */
export async function insertAuthState(db: Executor, row: AuthStateRow): Promise<void> {
  await db.delete(wearableAuthStates).where(lt(wearableAuthStates.expiresAt, row.createdAt));
  await db.insert(wearableAuthStates).values(row);
}

/** Takes (deletes and returns) a pending authorization: each state works once. */
export async function takeAuthState(
  db: Executor,
  stateHash: string,
): Promise<AuthStateRow | undefined> {
  const rows = await db.delete(wearableAuthStates)
    .where(eq(wearableAuthStates.stateHash, stateHash)).returning();
  return rows[0];
}
