import { deleteWearableData } from "../wearables/wearables.store.ts";
import type { Transaction } from "./client.ts";

/**
 * What is deleted together with a record, in the caller's transaction. Each domain
 * that stores data about a child or an institution adds its deletion here, so the
 * whole cascade reads in one place.
 */

/** Deletes everything the platform holds about a child (account links are removed by accounts). */
export async function deleteChildData(tx: Transaction, childId: string): Promise<void> {
  // Tracking data joins here.
  await deleteWearableData(tx, childId);
}

/** Deletes what belongs to an institution (its environment readings, once they exist). */
export async function deleteInstitutionData(
  _tx: Transaction,
  _institutionId: string,
): Promise<void> {
  // Environments join here.
}
