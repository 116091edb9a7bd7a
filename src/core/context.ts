import type { Env as Config } from "../env.ts";
import type { Database } from "../db/client.ts";
import type { Caller, TokenService } from "../auth/tokens.ts";
import type { Logger } from "./log.ts";
import type { Wearables } from "../wearables/wearables.service.ts";

/** What the app's modules are built with; tests build the same thing on a temporary database. */
export interface Deps {
  db: Database;
  config: Config;
  tokens: TokenService;
  log: Logger;
  /** The clock, in epoch milliseconds (tests move it). */
  now: () => number;
  /** Fitbit (wearables): tokens, sync, scheduler, revoker; one per process. */
  wearables: Wearables;
}

/** Hono environment shared by every route. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** Set by the access guard on every route that needs a token. */
    caller: Caller;
    /** Path parameters, validated and normalised by the access guard. */
    params: Record<string, string>;
  };
}
