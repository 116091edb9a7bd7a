import { sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import {
  type CallContext,
  ProviderError,
  type RateInfo,
  type WearableProvider,
} from "./provider.ts";
import { noTelemetry, type WearableTelemetry } from "./telemetry.ts";

/**
 * The per-child call budget for a provider, kept in the database so restarts and several
 * instances share it: at most `rateLimit.max` calls per rate window (Fitbit: 150 per
 * clock hour; Google Health: 150 per clock minute, which keeps any sliding minute within
 * Google's 300), and none while the provider said to wait (429, or nothing remaining).
 * Every call context is made here, so every provider answer reaches the telemetry.
 */
export class CallBudget {
  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    private readonly telemetry: WearableTelemetry = noTelemetry,
  ) {}

  /** Start of the provider's current window (Fitbit: the clock hour). */
  windowStart(provider: WearableProvider, at = this.now()): number {
    return at - (at % provider.rateLimit.windowMs);
  }

  /**
   * Takes `calls` from the child's budget in one conditional statement. Returns undefined
   * when granted, or the instant the budget frees up.
   */
  async reserve(
    provider: WearableProvider,
    childId: string,
    calls: number,
  ): Promise<number | undefined> {
    const now = this.now();
    const window = this.windowStart(provider, now);
    const max = provider.rateLimit.max;
    const rows = await this.db.all<{ used: number }>(sql`
      INSERT INTO wearable_call_budgets (provider, child_id, window_start, used, blocked_until)
      SELECT ${provider.id}, ${childId}, ${window}, ${calls}, 0 WHERE ${calls} <= ${max}
      ON CONFLICT (provider, child_id) DO UPDATE SET
        used = CASE WHEN window_start = ${window} THEN used + ${calls} ELSE ${calls} END,
        window_start = ${window}
      WHERE blocked_until <= ${now}
        AND (CASE WHEN window_start = ${window} THEN used ELSE 0 END) + ${calls} <= ${max}
      RETURNING used`);
    if (rows.length > 0) return undefined;
    const [state] = await this.db.all<{ blocked_until: number; window_start: number }>(sql`
      SELECT blocked_until, window_start FROM wearable_call_budgets
      WHERE provider = ${provider.id} AND child_id = ${childId}`);
    return Math.max(state?.blocked_until ?? now, window + provider.rateLimit.windowMs);
  }

  /**
   * Learns from a provider answer: a 429 blocks the child until the reset; a remaining
   * count lower than ours raises our count; none remaining blocks until the reset.
   */
  async observe(provider: WearableProvider, childId: string, info: RateInfo): Promise<void> {
    const now = this.now();
    const window = this.windowStart(provider, now);
    const max = provider.rateLimit.max;
    const resetAt = now + (info.resetMs ?? window + provider.rateLimit.windowMs - now);
    if (info.limited || info.remaining === 0) {
      await this.db.run(sql`UPDATE wearable_call_budgets
        SET blocked_until = max(blocked_until, ${resetAt}),
          used = CASE WHEN window_start = ${window} THEN max(used, ${max}) ELSE ${max} END,
          window_start = ${window}
        WHERE provider = ${provider.id} AND child_id = ${childId}`);
    } else if (info.remaining !== undefined) {
      const usedByProvider = Math.max(0, Math.min(max, (info.limit ?? max) - info.remaining));
      await this.db.run(sql`UPDATE wearable_call_budgets
        SET used = max(used, ${usedByProvider})
        WHERE provider = ${provider.id} AND child_id = ${childId} AND window_start = ${window}
          AND used < ${usedByProvider}`);
    }
  }

  /**
   * Records calls made outside the budget (the checks of a request that was then
   * accepted), so the provider's per-user limit stays counted. Never refuses.
   */
  async charge(provider: WearableProvider, childId: string, calls: number): Promise<void> {
    if (calls <= 0) return;
    const window = this.windowStart(provider);
    await this.db.run(sql`
      INSERT INTO wearable_call_budgets (provider, child_id, window_start, used, blocked_until)
      VALUES (${provider.id}, ${childId}, ${window}, ${calls}, 0)
      ON CONFLICT (provider, child_id) DO UPDATE SET
        used = CASE WHEN window_start = ${window} THEN used + ${calls} ELSE ${calls} END,
        window_start = ${window}`);
  }

  /** Gives back calls taken but not made (a prepaid block larger than the sync needed). */
  async refund(
    provider: WearableProvider,
    childId: string,
    calls: number,
    windowStart: number,
  ): Promise<void> {
    if (calls <= 0) return;
    await this.db.run(sql`UPDATE wearable_call_budgets SET used = max(used - ${calls}, 0)
      WHERE provider = ${provider.id} AND child_id = ${childId} AND window_start = ${windowStart}`);
  }

  /**
   * Call hooks for one child: calls are taken from the database budget in blocks of
   * `prepaid` (one statement per sync instead of one per call), then one at a time;
   * `settle` gives back what was taken and not used. Reservations are serialised, so
   * parallel calls never each take a block. With `exempt`, calls are counted but never
   * refused (revocations must go through). With `detached`, calls are only counted here,
   * nothing is written (checks of a request that may yet be rejected: a rejected request
   * changes nothing); `charge` them once the request is accepted.
   */
  context(
    provider: WearableProvider,
    childId: string,
    options: { prepaid?: number; exempt?: boolean; detached?: boolean } = {},
  ): BudgetContext {
    const report = (info: RateInfo) =>
      this.telemetry.providerCall({ provider: provider.id, status: info.status });
    if (options.detached) {
      const ctx: BudgetContext = {
        calls: 0,
        before: () => {
          ctx.calls++;
          return Promise.resolve();
        },
        after: (info) => {
          report(info);
          return Promise.resolve();
        },
        settle: () => Promise.resolve(),
      };
      return ctx;
    }
    let allowance = 0;
    let prepaid = options.prepaid ?? 0;
    let reservedIn: number | undefined;
    let queue: Promise<void> = Promise.resolve();
    const take = async () => {
      if (allowance > 0) {
        allowance--;
        return;
      }
      const block = Math.max(1, prepaid);
      prepaid = 0;
      const busyUntil = await this.reserve(provider, childId, block);
      if (busyUntil === undefined) {
        reservedIn = this.windowStart(provider);
        allowance = block - 1;
      } else if (!options.exempt) {
        throw new ProviderError("rate_limited", undefined, busyUntil - this.now());
      }
    };
    const ctx: BudgetContext = {
      calls: 0,
      before: () => {
        const turn = queue.then(take);
        queue = turn.catch(() => {});
        return turn.then(() => {
          ctx.calls++;
        });
      },
      after: (info: RateInfo) => {
        report(info);
        return this.observe(provider, childId, info);
      },
      settle: async () => {
        await queue;
        if (reservedIn !== undefined) await this.refund(provider, childId, allowance, reservedIn);
        allowance = 0;
      },
    };
    return ctx;
  }
}

/** Call hooks that count, and can give back unused prepaid calls. */
export interface BudgetContext extends CallContext {
  /** Calls made through this context. */
  calls: number;
  /** Returns the unused part of a prepaid block. */
  settle(): Promise<void>;
}
