import { eq } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { bearerToken, type Caller } from "../auth/tokens.ts";
import type { AppEnv, Deps } from "../core/context.ts";
import { errors, tokenErrors } from "../core/errors.ts";
import { toApiError } from "../core/validation/reduce.ts";
import { revokedSubjects } from "../db/schema/index.ts";
import { defaultParamRules } from "./params.ts";
import { type Permission, permissionFor } from "./permissions.ts";

/**
 * The access guard, mounted once for the whole app. For the route that matched it runs,
 * in the contract's order (gateway.md §1.0, §5.12): token (401), scope (403), path
 * parameters (the route's own 400), then the route's ownership rule (403/400). A request
 * matching no route passes through to the 404 without any token check; a route with no
 * permission row is refused.
 */
export function accessGuard(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const endpoint = findEndpoint(c);
    if (!endpoint) return await next();
    const permission = permissionFor(endpoint.method, endpoint.path);
    if (!permission) {
      deps.log.error("route without a permission row", {
        method: endpoint.method,
        path: endpoint.path,
      });
      throw errors.forbidden();
    }
    if (permission.scopes === "public") return await next();

    const caller = await authenticate(c, deps);
    if (!permission.scopes.some((scope) => caller.scopes.has(scope))) throw errors.forbidden();

    const params = validateParams(permission, endpointParams(c, endpoint.index));
    c.set("caller", caller);
    c.set("params", params);
    const refusal = await permission.rule?.({ db: deps.db, caller, params });
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

interface Endpoint {
  method: string;
  path: string;
  index: number;
}

/** The route handler that will answer (the last non-middleware match), if any. */
export function findEndpoint(c: Context): Endpoint | undefined {
  const routes = matchedRoutes(c);
  for (let index = routes.length - 1; index >= 0; index--) {
    const route = routes[index];
    if (route.method !== "ALL") return { method: route.method, path: route.path, index };
  }
  return undefined;
}

function endpointParams(c: Context, index: number): Record<string, string> {
  const current = c.req.routeIndex;
  c.req.routeIndex = index;
  try {
    return c.req.param() as Record<string, string>;
  } finally {
    c.req.routeIndex = current;
  }
}

/** Validates path parameters left to right; the first failure is the answer. */
function validateParams(
  permission: Permission,
  raw: Record<string, string>,
): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const rule = permission.params?.[name] ?? defaultParamRules[name];
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
