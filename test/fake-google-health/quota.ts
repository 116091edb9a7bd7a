/**
 * Quotas (google-health.md §4.1, §6.6): a sliding minute per `healthUserId` (default 300) and one
 * per project (default 120,000). Only admitted calls take a slot, so a client that backs off
 * recovers. Every attempt is also recorded per user, so a benchmark can read the peak rate the
 * client really sent.
 */

const MINUTE_MS = 60_000;

/** Why a call was refused, and when a slot frees (seconds, rounded up). */
export interface QuotaRefusal {
  scope: "user" | "project";
  retryAfterSeconds: number;
}

/** Sliding-minute counters. */
export class Quota {
  private readonly admitted = new Map<string, number[]>();
  private project: number[] = [];
  /** Every attempt per user (admitted or not), in arrival order. */
  private readonly attempts = new Map<string, number[]>();
  /** Calls answered 429 by the quota. */
  refused = 0;

  /** Clears all counters. */
  reset(): void {
    this.admitted.clear();
    this.attempts.clear();
    this.project = [];
    this.refused = 0;
  }

  /** Records an attempt and admits it when both windows have room. */
  take(
    user: string | undefined,
    now: number,
    limits: { perUser: number; perProject: number },
  ): QuotaRefusal | undefined {
    if (user) {
      const list = this.attempts.get(user) ?? [];
      list.push(now);
      this.attempts.set(user, list);
    }
    this.project = trim(this.project, now);
    if (this.project.length >= limits.perProject) {
      this.refused++;
      return { scope: "project", retryAfterSeconds: secondsUntilFree(this.project, now) };
    }
    if (user) {
      const window = trim(this.admitted.get(user) ?? [], now);
      this.admitted.set(user, window);
      if (window.length >= limits.perUser) {
        this.refused++;
        return { scope: "user", retryAfterSeconds: secondsUntilFree(window, now) };
      }
      window.push(now);
    }
    this.project.push(now);
    return undefined;
  }

  /** The most attempts any user made within one sliding minute. */
  peakPerUserMinute(): number {
    let peak = 0;
    for (const times of this.attempts.values()) {
      const sorted = [...times].sort((a, b) => a - b);
      let first = 0;
      for (let last = 0; last < sorted.length; last++) {
        while (sorted[last] - sorted[first] >= MINUTE_MS) first++;
        peak = Math.max(peak, last - first + 1);
      }
    }
    return peak;
  }

  /** Attempts per user so far. */
  attemptsOf(user: string): number {
    return this.attempts.get(user)?.length ?? 0;
  }
}

function trim(times: number[], now: number): number[] {
  let drop = 0;
  while (drop < times.length && times[drop] <= now - MINUTE_MS) drop++;
  return drop === 0 ? times : times.slice(drop);
}

function secondsUntilFree(times: number[], now: number): number {
  return Math.max(1, Math.ceil((times[0] + MINUTE_MS - now) / 1000));
}
