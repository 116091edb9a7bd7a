import type { Context, MiddlewareHandler } from "hono";
import { rateLimiter } from "hono-rate-limiter";
import { clientAddress } from "../core/client-address.ts";
import type { AppEnv, Deps } from "../core/context.ts";
import { DatabaseRateLimitStore } from "../core/rate-limit.ts";
import { Status } from "../core/status.ts";
import { loginBusy } from "./passwords.ts";

/**
 * Login abuse control (issue 10, finding 7): failed logins are counted per username and
 * per client address in the shared database (so every instance counts the same), each
 * in a fixed window. Past a limit every attempt is answered 429 with `Retry-After`,
 * before any password is checked, even a right one; a successful login takes back its own
 * count, so only failures add up. Usernames are counted whether or not they exist, so the
 * answers tell nothing about which exist. Limits and window are settings; 0 disables.
 *
 * Keys are SHA-256 digests: neither usernames nor addresses are stored in clear.
 */

type LoginInput = { out: { json: { username: string } } };
type LoginContext = Context<AppEnv, string, LoginInput>;

/** Counts failed logins and refuses attempts past the limits; runs after body validation. */
export function loginThrottle(
  { db, now, config }: Deps,
): MiddlewareHandler<AppEnv, string, LoginInput> {
  const windowMs = config.LOGIN_RATE_LIMIT_WINDOW_MS;
  /** A limit on the failures of one `counted` thing (undefined: the request is not counted). */
  const limiter = (
    limit: number,
    prefix: string,
    counted: (c: LoginContext) => string | undefined,
  ) => {
    if (windowMs === 0 || limit === 0) return undefined;
    return rateLimiter<AppEnv, string, LoginInput>({
      windowMs,
      limit,
      standardHeaders: false,
      skipSuccessfulRequests: true,
      keyGenerator: async (c) => `${prefix}${await digest(counted(c)!)}`,
      skip: (c) => counted(c) === undefined,
      store: new DatabaseRateLimitStore(db, now),
      handler: (c) => {
        const info = c.get("rateLimit" as never) as { resetTime?: Date } | undefined;
        const resetAt = info?.resetTime?.getTime() ?? now() + windowMs;
        c.header("Retry-After", String(Math.max(1, Math.ceil((resetAt - now()) / 1000))));
        // The same 429 as when the password checks are saturated.
        const error = loginBusy();
        return c.json(error.toBody(), Status.TOO_MANY_REQUESTS);
      },
    });
  };
  const perAddress = limiter(
    config.LOGIN_RATE_LIMIT_PER_ADDRESS,
    "login:address:",
    (c) => clientAddress(c, config.TRUSTED_PROXIES),
  );
  const perUsername = limiter(
    config.LOGIN_RATE_LIMIT_PER_USERNAME,
    "login:username:",
    (c) => c.req.valid("json").username,
  );
  const chain = [perAddress, perUsername].filter((m) => m !== undefined);
  return async (c, next) => {
    // The limiters in turn, then the login itself; a refusal becomes the answer.
    const run = async (i: number): Promise<void> => {
      if (i === chain.length) return await next();
      const refusal = await chain[i](c, () => run(i + 1));
      if (refusal instanceof Response) c.res = refusal;
    };
    await run(0);
    // Saturated password checks answer 429 too; say when to come back.
    if (c.res.status === Status.TOO_MANY_REQUESTS && !c.res.headers.has("Retry-After")) {
      c.header("Retry-After", "1");
    }
  };
}

async function digest(text: string): Promise<string> {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}
