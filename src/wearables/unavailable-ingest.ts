import type { Logger } from "../core/log.ts";
import type { IngestResult, TrackingIngest } from "../tracking/ingest.ts";

/**
 * Stand-in for tracking's ingest until `createTrackingIngest(db, now)` is merged: it stores
 * nothing and answers every item with a transient 503, so the sync remembers none of them
 * and hands them over again once the real ingest is wired in src/main.ts.
 */
export function unavailableIngest(log: Logger): TrackingIngest {
  let warned = false;
  const refuse = (items: unknown[]): Promise<IngestResult> => {
    if (!warned) {
      warned = true;
      log.warn("tracking ingest not wired: synced items are not stored yet");
    }
    return Promise.resolve({
      success: [],
      error: items.map((item) => ({ code: 503, message: "Tracking ingest unavailable.", item })),
    });
  };
  return {
    physicalActivities: (_childId, items) => refuse(items),
    sleep: (_childId, items) => refuse(items),
    weights: (_childId, items) => refuse(items),
    logs: (_childId, items) => refuse(items),
  };
}
