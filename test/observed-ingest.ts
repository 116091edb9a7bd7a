import type { IngestResult, LogItem, TrackingIngest } from "../src/tracking/ingest.ts";

/**
 * Tracking's real ingest, observed: every list goes on to the real one (which validates
 * and stores it in the tracking tables); this only remembers what the sync handed over
 * and what tracking answered, so tests can tell the two apart.
 */
export class ObservedIngest implements TrackingIngest {
  /** Every call, in order: kind, child, how many items, and how many tracking stored. */
  readonly calls: { kind: string; childId: string; count: number; stored: number }[] = [];
  private readonly handed: { kind: string; childId: string; item: Record<string, unknown> }[] = [];

  constructor(private readonly real: TrackingIngest) {}

  physicalActivities(childId: string, items: unknown[]) {
    return this.pass(
      "activities",
      childId,
      items,
      () => this.real.physicalActivities(childId, items),
    );
  }

  sleep(childId: string, items: unknown[]) {
    return this.pass("sleep", childId, items, () => this.real.sleep(childId, items));
  }

  weights(childId: string, items: unknown[]) {
    return this.pass("weights", childId, items, () => this.real.weights(childId, items));
  }

  logs(childId: string, items: LogItem[]) {
    return this.pass("logs", childId, items, () => this.real.logs(childId, items));
  }

  /** What the sync handed over for one child (logs: the latest value per type and date). */
  of(childId: string) {
    const mine = (kind: string) =>
      this.handed.filter((h) => h.kind === kind && h.childId === childId).map((h) => h.item);
    const logs = new Map<string, Record<string, unknown>>();
    for (const item of mine("logs")) logs.set(`${item.type}:${item.date}`, item);
    return {
      activities: mine("activities"),
      sleep: mine("sleep"),
      weights: mine("weights"),
      logs: [...logs.values()],
    };
  }

  private async pass(
    kind: string,
    childId: string,
    items: unknown[],
    store: () => Promise<IngestResult>,
  ): Promise<IngestResult> {
    const result = await store();
    this.calls.push({ kind, childId, count: items.length, stored: result.success.length });
    for (const item of items) {
      this.handed.push({ kind, childId, item: item as Record<string, unknown> });
    }
    return result;
  }
}
