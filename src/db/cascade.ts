import { eq } from "drizzle-orm";
import { deleteInstitutionEnvironments } from "../tracking/environments/environments.store.ts";
import { deleteWearableData } from "../wearables/store/cascade.ts";
import type { Transaction } from "./client.ts";
import { dailyLogs, measurements, physicalActivities, sleep } from "./schema/index.ts";

/**
 * What is deleted together with a record, in the caller's transaction. Each domain
 * that stores data about a child or an institution adds its deletion here, so the
 * whole cascade reads in one place.
 */

/** Deletes everything the platform holds about a child (account links are removed by accounts). */
export async function deleteChildData(tx: Transaction, childId: string): Promise<void> {
  // Tracking data (tracking.md §12.1): activities, sleep, weights and body fats, logs.
  await tx.delete(physicalActivities).where(eq(physicalActivities.childId, childId));
  await tx.delete(sleep).where(eq(sleep.childId, childId));
  await tx.delete(measurements).where(eq(measurements.childId, childId));
  await tx.delete(dailyLogs).where(eq(dailyLogs.childId, childId));
  // Wearable authorization: tokens removed now, the remote revocation queued (fitbit.md §2.1).
  await deleteWearableData(tx, childId);
}

/** Deletes what belongs to an institution: its environment readings (tracking.md §12.2). */
export async function deleteInstitutionData(
  tx: Transaction,
  institutionId: string,
): Promise<void> {
  await deleteInstitutionEnvironments(tx, institutionId);
}
