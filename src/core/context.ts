import type { Env as Config } from "../env.ts";
import type { Database } from "../db/client.ts";
import type { Logger } from "./log.ts";

/**
 * The services the domains put on the context. This layer names none of them: each
 * domain adds its own by declaration merging (`declare module ".../core/context.ts"`),
 * e.g. auth adds `tokens`, wearables adds `wearables`.
 */
// deno-lint-ignore no-empty-interface
export interface Services {}

/** What the app's modules are built with; tests build the same thing on a temporary database. */
export interface Deps extends Services {
  db: Database;
  config: Config;
  log: Logger;
  /** The clock, in epoch milliseconds (tests move it). */
  now: () => number;
}

/** Per-request values; domains add theirs by declaration merging (auth adds `caller`). */
export interface RequestVariables {
  requestId: string;
  /** Path parameters, validated and normalised by the access guard. */
  params: Record<string, string>;
}

/** Hono environment shared by every route. */
export interface AppEnv {
  Variables: RequestVariables;
}
