import { sql } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { rateLimiter, type Store } from "hono-rate-limiter";
import type { Database } from "../db/client.ts";
import type { AppEnv } from "./context.ts";
import { Status } from "./status.ts";

const PRUNE_INTERVAL_MS = 60_000;

/**
 * A fixed-window counter kept in the database, so every instance sharing it counts the
 * same hits. The window starts at a key's first counted hit and restarts when it ends.
 */
export class DatabaseRateLimitStore implements Store<AppEnv> {
  private windowMs = 0;
  private prunedAt = 0;

  constructor(private readonly db: Database, private readonly now: () => number) {}

  init(options: { windowMs: number }): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<{ totalHits: number; resetTime: Date }> {
    const now = this.now();
    const reset = now + this.windowMs;
    const [row] = await this.db.all<{ hits: number; reset_at: number }>(sql`
      INSERT INTO rate_limit_windows (key, hits, reset_at) VALUES (${key}, 1, ${reset})
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN reset_at <= ${now} THEN 1 ELSE hits + 1 END,
        reset_at = CASE WHEN reset_at <= ${now} THEN ${reset} ELSE reset_at END
      RETURNING hits, reset_at`);
    await this.pruneEveryMinute(now);
    return { totalHits: row.hits, resetTime: new Date(row.reset_at) };
  }

  /** Windows that ended are dropped now and then, so keys never seen again do not pile up. */
  private async pruneEveryMinute(now: number): Promise<void> {
    if (now - this.prunedAt < PRUNE_INTERVAL_MS) return;
    this.prunedAt = now;
    await this.db.run(sql`DELETE FROM rate_limit_windows WHERE reset_at <= ${now}`);
  }

  async decrement(key: string): Promise<void> {
    await this.db.run(
      sql`UPDATE rate_limit_windows SET hits = hits - 1 WHERE key = ${key} AND hits > 0`,
    );
    // A window no hit is left in is as if it never started: the key's next counted hit
    // starts one. So a request that gives its hit back leaves no row behind.
    await this.db.run(sql`DELETE FROM rate_limit_windows WHERE key = ${key} AND hits = 0`);
  }

  async resetKey(key: string): Promise<void> {
    await this.db.run(sql`DELETE FROM rate_limit_windows WHERE key = ${key}`);
  }
}

/** Settings of one limited route. */
export interface RateLimitOptions {
  db: Database;
  now: () => number;
  /** Window length; 0 disables the limit. */
  windowMs: number;
  /** Requests allowed per window; 0 disables the limit. */
  max: number;
  /** The counter a request belongs to (e.g. the child id). */
  key: (c: Context<AppEnv>) => string;
  /** The 429 message. */
  message: string;
}

/** Whether the limiter refused this request (it decides before the answer exists). */
function overLimit(c: Context<AppEnv>): boolean {
  const info = c.get("rateLimit" as never) as { used: number; limit: number } | undefined;
  return info !== undefined && info.used > info.limit;
}

/**
 * hono-rate-limiter with the contract's headers (gateway.md §5.2): every counted request
 * gets `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (epoch
 * seconds); a refused one also `Retry-After` and the JSON 429 envelope.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  if (options.windowMs === 0 || options.max === 0) return async (_c, next) => await next();
  const setHeaders = (c: Context<AppEnv>) => {
    const info = c.get("rateLimit" as never) as { remaining: number; resetTime?: Date } | undefined;
    c.header("X-RateLimit-Limit", String(options.max));
    c.header("X-RateLimit-Remaining", String(Math.max(info?.remaining ?? 0, 0)));
    if (info?.resetTime) {
      c.header("X-RateLimit-Reset", String(Math.ceil(info.resetTime.getTime() / 1000)));
    }
  };
  const limiter = rateLimiter<AppEnv>({
    windowMs: options.windowMs,
    limit: options.max,
    standardHeaders: false,
    keyGenerator: options.key,
    store: new DatabaseRateLimitStore(options.db, options.now),
    // A rejected request moves no counter: an answer of 400 or more, this limit's own 429
    // included, gives its hit back. Only requests that were served count.
    skipFailedRequests: true,
    requestWasSuccessful: (c) => c.res.status < 400 && !overLimit(c),
    handler: (c) => {
      setHeaders(c);
      c.header("Retry-After", String(Math.ceil(options.windowMs / 1000)));
      return c.json(
        { code: Status.TOO_MANY_REQUESTS, message: options.message },
        Status.TOO_MANY_REQUESTS,
      );
    },
  });
  return (c, next) =>
    limiter(c, async () => {
      setHeaders(c);
      await next();
    });
}
