import type { MiddlewareHandler } from "hono";
import "../api/endpoint.ts";
import type { AppEnv } from "../core/context.ts";
import { recordRequest } from "./metrics.ts";

/**
 * Counts every request and its latency by route id and final status (errors included:
 * they have become the contract's envelope by the time `next` returns). The route id
 * (gateway.md §1, e.g. `AC40`) is that of the definition the access guard matched;
 * `unmatched` when no route matched (a 404 or a bare OPTIONS).
 */
export function requestMetrics(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.get("endpoint")?.id ?? "unmatched";
    recordRequest(route, c.req.method, c.res.status, (performance.now() - started) / 1000);
  };
}
