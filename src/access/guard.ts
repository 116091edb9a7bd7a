import { eq } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { Endpoint } from "../api/endpoint.ts";
import { type EndpointIndex, endpointKey } from "../api/mount.ts";
import "../auth/auth.context.ts";
import { bearerToken, type Caller } from "../auth/tokens.ts";
import type { AppEnv, Deps } from "../core/context.ts";
import { errors, tokenErrors } from "../core/errors.ts";
import { toApiError } from "../core/validation/reduce.ts";
import { revokedSubjects } from "../db/schema/index.ts";
import { defaultParamRules } from "./params.ts";

/**
 * The access guard, mounted once for the whole app, in front of every route. For the
 * endpoint that will answer it runs, in the contract's order (gateway.md §1.0, §5.12):
 * token (401), scope (403), path parameters (the route's own 400), then the endpoint's
 * ownership rule (403/400); the body is validated after it, by the route. A request
 * matching no route passes through to the 404 without any token check; a route that
 * has no definition (registered some other way) is refused.
 */
export function accessGuard(deps: Deps, index: EndpointIndex): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const match = findRoute(c);
    if (!match) return await next();
    const endpoint = index.get(endpointKey(match.method, match.path));
    if (!endpoint) {
      deps.log.error("route without a definition", { method: match.method, path: match.path });
      throw errors.forbidden();
    }
    c.set("endpoint", endpoint);
    const { scopes, rule } = endpoint.access;
    if (scopes === "public") {
      c.set("params", validateParams(endpoint, routeParams(c, match.index)));
      return await next();
    }

    const caller = await authenticate(c, deps);
    if (!scopes.some((scope) => caller.scopes.has(scope))) throw errors.forbidden();

    const params = validateParams(endpoint, routeParams(c, match.index));
    c.set("caller", caller);
    c.set("params", params);
    const refusal = await rule?.({ db: deps.db, caller, params });
    if (refusal) throw refusal;
    await next();
  };
}

/** The token's caller: signature, times, issuer and subject, then the revocation list. */
async function authenticate(c: Context<AppEnv>, deps: Deps): Promise<Caller> {
  const token = bearerToken(c.req.header("Authorization"));
  if (!token) throw tokenErrors.missing();
  const caller = await deps.tokens.verify(token);
  const revoked = await deps.db.select({ id: revokedSubjects.subjectId }).from(revokedSubjects)
    .where(eq(revokedSubjects.subjectId, caller.sub)).limit(1);
  if (revoked.length > 0) throw tokenErrors.revoked();
  return caller;
}

interface RouteMatch {
  method: string;
  path: string;
  index: number;
}

/**
 * The route that will answer: the first match that is not app-wide middleware (Hono
 * runs matches in registration order and the first handler's answer ends the request).
 */
function findRoute(c: Context): RouteMatch | undefined {
  const routes = matchedRoutes(c);
  const index = routes.findIndex((route) => route.method !== "ALL");
  if (index < 0) return undefined;
  return { method: routes[index].method, path: routes[index].path, index };
}

function routeParams(c: Context, index: number): Record<string, string> {
  const current = c.req.routeIndex;
  c.req.routeIndex = index;
  try {
    return c.req.param() as Record<string, string>;
  } finally {
    c.req.routeIndex = current;
  }
}

/** Validates path parameters left to right; the first failure is the answer. */
function validateParams(endpoint: Endpoint, raw: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const rule = endpoint.access.params?.[name] ?? defaultParamRules[name];
    if (!rule) {
      params[name] = value;
      continue;
    }
    const result = rule.safeParse(value);
    if (!result.success) throw toApiError(rule, result.error.issues);
    params[name] = result.data;
  }
  return params;
}
