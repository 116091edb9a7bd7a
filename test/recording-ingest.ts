import type { IngestResult, LogItem, TrackingIngest } from "../src/tracking/ingest.ts";

/**
 * A stand-in for tracking's ingest in tests: it keeps every item it receives, answers 201
 * for new ones and 409 for a repeated instant (tracking's second line of de-duplication),
 * and upserts logs by type and date. Swap for `createTrackingIngest(db, now)` at merge.
 */
export class RecordingIngest implements TrackingIngest {
  readonly activities: Record<string, unknown>[] = [];
  readonly sleeps: Record<string, unknown>[] = [];
  readonly weightItems: Record<string, unknown>[] = [];
  readonly logItems = new Map<string, LogItem & { child_id: string }>();
  /** Every call, in order: kind, child and how many items. */
  readonly calls: { kind: string; childId: string; count: number }[] = [];

  physicalActivities(childId: string, items: unknown[]) {
    return this.store("activities", childId, items, this.activities, "start_time");
  }

  sleep(childId: string, items: unknown[]) {
    return this.store("sleep", childId, items, this.sleeps, "start_time");
  }

  weights(childId: string, items: unknown[]) {
    return this.store("weights", childId, items, this.weightItems, "timestamp");
  }

  logs(childId: string, items: LogItem[]): Promise<IngestResult> {
    this.calls.push({ kind: "logs", childId, count: items.length });
    for (const item of items) {
      this.logItems.set(`${childId}:${item.type}:${item.date}`, { ...item, child_id: childId });
    }
    return Promise.resolve({
      success: items.map((item) => ({ code: 201, item })),
      error: [],
    });
  }

  /** Items received for one child. */
  of(childId: string) {
    const mine = (list: Record<string, unknown>[]) => list.filter((i) => i.child_id === childId);
    return {
      activities: mine(this.activities),
      sleep: mine(this.sleeps),
      weights: mine(this.weightItems),
      logs: [...this.logItems.values()].filter((l) => l.child_id === childId),
    };
  }

  private store(
    kind: string,
    childId: string,
    items: unknown[],
    into: Record<string, unknown>[],
    instant: string,
  ): Promise<IngestResult> {
    this.calls.push({ kind, childId, count: items.length });
    const result: IngestResult = { success: [], error: [] };
    for (const item of items as Record<string, unknown>[]) {
      const at = Date.parse(String(item[instant]));
      if (
        into.some((stored) =>
          stored.child_id === childId && Date.parse(String(stored[instant])) === at
        )
      ) {
        result.error.push({ code: 409, message: "already registered", item });
      } else {
        into.push(item);
        result.success.push({ code: 201, item });
      }
    }
    return Promise.resolve(result);
  }
}
