import type { Context } from "hono";
import type { AppEnv } from "../core/context.ts";
import "../api/endpoint.ts";

/**
 * The route id (gateway.md §1, e.g. `AC40`) of the endpoint that answered, for metric
 * labels: the definition the access guard matched; `unmatched` when no route matched (a
 * 404 or a bare OPTIONS).
 */
export function routeIdOf(c: Context<AppEnv>): string {
  return c.get("endpoint")?.id ?? "unmatched";
}
