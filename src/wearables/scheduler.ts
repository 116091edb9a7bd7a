import type { Logger } from "../core/log.ts";
import type { Database } from "../db/client.ts";
import type { CallBudget } from "./budget.ts";
import { redact } from "./errors.ts";
import type { ProviderRegistry, WearableProvider } from "./provider.ts";
import { SyncFailure, type WearableSync } from "./sync.ts";
import { claimDue, countDue, type DueQuery } from "./store/schedule.ts";

/** What the scheduler is built with. */
export interface SchedulerDeps {
  db: Database;
  sync: WearableSync;
  budget: CallBudget;
  providers: ProviderRegistry;
  log: Logger;
  now: () => number;
  /** Children synced at once. */
  concurrency: number;
  leaseMs: number;
}

/** The outcome of one scheduler round. */
export interface RoundReport {
  total: number;
  done: number;
  failed: number;
  items: number;
}

/**
 * The background sync. A round syncs every child that is due (all of them, in batches),
 * with bounded concurrency. Due-ness lives in the database (`next_sync_at`, a per-child
 * lease, the call budget), so restarts and several instances never duplicate work and
 * never let a child exceed its provider's rate limit: a child without budget room for a
 * whole sync waits for the next window.
 */
export class SyncScheduler {
  private readonly owner = crypto.randomUUID();

  constructor(private readonly deps: SchedulerDeps) {}

  /** Runs one round over every provider; resolves when every due child was handled. */
  async runRound(): Promise<RoundReport> {
    const report: RoundReport = { total: 0, done: 0, failed: 0, items: 0 };
    for (const provider of Object.values(this.deps.providers)) {
      if (provider?.configured()) await this.runProvider(provider, report);
    }
    return report;
  }

  private due(provider: WearableProvider): DueQuery {
    const now = this.deps.now();
    return {
      provider: provider.id,
      now,
      windowStart: this.deps.budget.windowStart(provider, now),
      maxUsedBefore: provider.rateLimit.max - provider.rateLimit.callsPerSync,
    };
  }

  private async runProvider(provider: WearableProvider, report: RoundReport): Promise<void> {
    const { db, log, concurrency } = this.deps;
    const total = await countDue(db, this.due(provider));
    if (total === 0) return;
    report.total += total;
    log.info("wearable sync round started", { provider: provider.id, due: total });
    const started = performance.now();
    let lastLogged = 0;
    for (;;) {
      const now = this.deps.now();
      const batch = await claimDue(db, {
        ...this.due(provider),
        owner: this.owner,
        until: now + this.deps.leaseMs,
        limit: concurrency * 4,
      });
      if (batch.length === 0) break;
      let next = 0;
      const worker = async () => {
        while (next < batch.length) {
          const childId = batch[next++];
          try {
            const counts = await this.deps.sync.syncChild(childId, this.owner);
            report.items += counts.activities + counts.sleep + counts.weights +
              Object.values(counts.logs).reduce((a, b) => a + b, 0);
          } catch (error) {
            report.failed++;
            if (!(error instanceof SyncFailure)) {
              log.error("wearable sync crashed", {
                child_id: childId,
                error: redact(String(error)),
              });
            }
          }
          report.done++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
      if (report.done - lastLogged >= Math.max(concurrency * 4, 100) || report.done >= total) {
        lastLogged = report.done;
        log.info("wearable sync progress", {
          provider: provider.id,
          done: report.done,
          total: report.total,
          items: report.items,
          errors: report.failed,
        });
      }
    }
    log.info("wearable sync round finished", {
      provider: provider.id,
      done: report.done,
      total: report.total,
      items: report.items,
      errors: report.failed,
      ms: Math.round(performance.now() - started),
    });
  }
}
