import type { IngestResult, LogItem, TrackingIngest } from "../src/tracking/ingest.ts";

/** The four lists the sync hands over. */
export type IngestKind = "activities" | "sleep" | "weights" | "logs";

/** One hand-over: what the sync sent and what tracking answered. */
export interface IngestCall {
  kind: IngestKind;
  childId: string;
  items: unknown[];
  result: IngestResult;
}

/**
 * An observing decorator around the real tracking ingest (tests only): every call is
 * delegated unchanged to `createTrackingIngest`, which stores into the real tables, and
 * is remembered together with tracking's own answer. It stores and decides nothing itself.
 */
export class ObservedIngest implements TrackingIngest {
  /** Every hand-over, in order. */
  readonly calls: IngestCall[] = [];

  constructor(private readonly real: TrackingIngest) {}

  physicalActivities(childId: string, items: unknown[]) {
    return this.observe(
      "activities",
      childId,
      items,
      () => this.real.physicalActivities(childId, items),
    );
  }

  sleep(childId: string, items: unknown[]) {
    return this.observe("sleep", childId, items, () => this.real.sleep(childId, items));
  }

  weights(childId: string, items: unknown[]) {
    return this.observe("weights", childId, items, () => this.real.weights(childId, items));
  }

  logs(childId: string, items: LogItem[]) {
    return this.observe("logs", childId, items, () => this.real.logs(childId, items));
  }

  /** The hand-overs for one child (optionally of one kind). */
  callsFor(childId: string, kind?: IngestKind): IngestCall[] {
    return this.calls.filter((c) => c.childId === childId && (!kind || c.kind === kind));
  }

  /** What tracking refused for a child: status code and message per refused item. */
  refused(childId: string): { kind: IngestKind; code: number; message: string }[] {
    return this.callsFor(childId).flatMap((c) =>
      c.result.error.map((e) => ({ kind: c.kind, code: e.code, message: e.message }))
    );
  }

  private async observe(
    kind: IngestKind,
    childId: string,
    items: unknown[],
    delegate: () => Promise<IngestResult>,
  ): Promise<IngestResult> {
    const result = await delegate();
    this.calls.push({ kind, childId, items: structuredClone(items), result });
    return result;
  }
}
