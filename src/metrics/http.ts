import type { MiddlewareHandler } from "hono";
import { recordRequest } from "./metrics.ts";
import { routeIdOf } from "./route-id.ts";

/**
 * Counts every request and its latency by route id and final status (errors included:
 * they have become the contract's envelope by the time `next` returns).
 */
export function requestMetrics(): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    recordRequest(routeIdOf(c), c.req.method, c.res.status, (performance.now() - started) / 1000);
  };
}
