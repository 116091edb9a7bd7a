import type { Context } from "hono";
import { matchedRoutes } from "hono/route";
import { permissionFor } from "../access/permissions.ts";

/**
 * The route id (gateway.md §1, e.g. `AC40`) of the endpoint that answered, for metric
 * labels; `unmatched` when no route matched (a 404 or a bare OPTIONS). The one place that
 * knows where route ids live: re-point it when endpoint definitions replace the table.
 */
export function routeIdOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let index = routes.length - 1; index >= 0; index--) {
    const { method, path } = routes[index];
    if (method !== "ALL") return permissionFor(method, path)?.id ?? "unlisted";
  }
  return "unmatched";
}
