import { eq } from "drizzle-orm";
import type { CascadeStep } from "../db/cascade.ts";
import { dailyLogs, measurements, physicalActivities, sleep } from "../db/schema/index.ts";
import { deleteInstitutionEnvironments } from "./environments/environments.store.ts";

/**
 * Tracking's part of an erasure (tracking.md §12): a child's activities, sleep, weights,
 * body fats and daily logs; an institution's environment readings.
 */
export const trackingCascade: CascadeStep = {
  name: "tracking",
  async child(tx, childId) {
    await tx.delete(physicalActivities).where(eq(physicalActivities.childId, childId));
    await tx.delete(sleep).where(eq(sleep.childId, childId));
    await tx.delete(measurements).where(eq(measurements.childId, childId));
    await tx.delete(dailyLogs).where(eq(dailyLogs.childId, childId));
  },
  institution: deleteInstitutionEnvironments,
};
