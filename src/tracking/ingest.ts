/**
 * The contract between the Fitbit sync and tracking (tracking.md §12.3): the sync hands
 * over items shaped like the bulk POST bodies of each resource, and tracking stores them
 * with exactly the bulk POST's validation, de-duplication (409) and log upsert. Nothing
 * is returned to a client; the caller only logs and counts the outcome.
 */

import type { Logger } from "../core/log.ts";
import type { Database } from "../db/client.ts";
import { type BulkResource, multiStatus, storeItems } from "./bulk.ts";
import { logBulk } from "./logs/logs.store.ts";
import { physicalActivityBulk } from "./physical-activities/physical-activities.store.ts";
import { sleepBulk } from "./sleep/sleep.store.ts";
import { weightBulk } from "./weights/weights.store.ts";

/** One failed item, as in a 207 `error` entry. */
export interface IngestError {
  code: number;
  message: string;
  description?: string;
  item: unknown;
}

/** The outcome of storing a list of items, as in a 207 body. */
export interface IngestResult {
  success: { code: number; item: unknown }[];
  error: IngestError[];
}

/** One daily log value, as the Fitbit sync produces it. */
export interface LogItem {
  type: "steps" | "calories" | "active_minutes" | "lightly_active_minutes" | "sedentary_minutes";
  date: string;
  value: number | string;
}

/** Stores synced data for one child. */
export interface TrackingIngest {
  physicalActivities(childId: string, items: unknown[]): Promise<IngestResult>;
  sleep(childId: string, items: unknown[]): Promise<IngestResult>;
  /** Weights may carry `body_fat`; the body fat at the same instant is created or updated. */
  weights(childId: string, items: unknown[]): Promise<IngestResult>;
  /** Upserts by child, type and date. */
  logs(childId: string, items: LogItem[]): Promise<IngestResult>;
}

/**
 * The tracking side of the ingest contract: each list is stored with exactly the bulk
 * POST's code path (validation, 409 de-duplication, body-fat upsert, log upsert), for the
 * child the caller names, without ownership checks (§12.3). A malformed child id fails
 * every item with the ID error; a log item's resource is its own `type`.
 */
export function createTrackingIngest(
  db: Database,
  now: () => number,
  log?: Logger,
): TrackingIngest {
  const ingest = async <Item>(resource: BulkResource<Item>, items: unknown[]) =>
    multiStatus(await storeItems(db, resource, items, log));
  return {
    physicalActivities: (childId, items) => ingest(physicalActivityBulk(childId, now()), items),
    sleep: (childId, items) => ingest(sleepBulk(childId, now()), items),
    weights: (childId, items) => ingest(weightBulk(childId, now()), items),
    logs: (childId, items) => ingest(logBulk(childId, undefined, now()), items),
  };
}
