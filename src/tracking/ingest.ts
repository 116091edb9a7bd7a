/**
 * The contract between the Fitbit sync and tracking (tracking.md §12.3): the sync hands
 * over items shaped like the bulk POST bodies of each resource, and tracking stores them
 * with exactly the bulk POST's validation, de-duplication (409) and log upsert. Nothing
 * is returned to a client; the caller only logs and counts the outcome.
 */

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
