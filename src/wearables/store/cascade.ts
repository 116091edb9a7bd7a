import { eq } from "drizzle-orm";
import type { Transaction } from "../../db/client.ts";
import {
  wearableAuthStates,
  wearableCallBudgets,
  wearableConnections,
  wearableNotifications,
  wearableSyncedItems,
} from "../../db/schema/index.ts";
import { queueRevocation } from "./revocations.ts";

/**
 * Everything wearable about a child, in the deletion transaction: the connection's grant
 * moves to the revocation queue (performed after commit by the background revoker), and
 * the connection, pending authorizations, dedupe records, notifications and call budget go.
 */
export async function deleteWearableData(tx: Transaction, childId: string): Promise<void> {
  const [connection] = await tx.delete(wearableConnections)
    .where(eq(wearableConnections.childId, childId)).returning();
  // Due at once (0 is before any clock); its age counts from now.
  if (connection) await queueRevocation(tx, connection, Date.now(), { dueAt: 0 });
  await tx.delete(wearableAuthStates).where(eq(wearableAuthStates.childId, childId));
  await tx.delete(wearableSyncedItems).where(eq(wearableSyncedItems.childId, childId));
  await tx.delete(wearableNotifications).where(eq(wearableNotifications.childId, childId));
  await tx.delete(wearableCallBudgets).where(eq(wearableCallBudgets.childId, childId));
}
