import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { Status } from "./status.ts";

/** A list answer: the page as a bare array, and the kind's total in `X-Total-Count`. */
export function listResponse(c: Context<AppEnv>, items: unknown[], total: number) {
  c.header("X-Total-Count", String(total));
  return c.json(items, Status.OK);
}

/** An empty 204. */
export function noContent(c: Context<AppEnv>) {
  return c.body(null, Status.NO_CONTENT);
}
