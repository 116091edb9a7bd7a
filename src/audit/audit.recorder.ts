import type { AuditEntry } from "./audit.store.ts";

interface Waiting {
  entry: AuditEntry;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Rows written together at most (one INSERT). */
const MAX_BATCH = 500;

/**
 * Group commit for audit rows. `record` resolves once the row is committed, so a request
 * can be answered only after its row is stored: an answered request never loses its row
 * to a crash. Rows arriving while a write is running wait and go together in the next
 * one, so under load many requests share one write; when idle a row is written at once
 * (no timer, no added delay).
 */
export class AuditRecorder {
  private queue: Waiting[] = [];
  private writing = false;

  constructor(private readonly write: (entries: AuditEntry[]) => Promise<void>) {}

  /** Resolves when the entry is stored; rejects with the storage error. */
  record(entry: AuditEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.write(batch.map((waiting) => waiting.entry));
          for (const waiting of batch) waiting.resolve();
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
