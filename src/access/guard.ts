import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { Endpoint } from "../api/endpoint.ts";
import { type EndpointIndex, endpointKey } from "../api/mount.ts";
import "../auth/auth.context.ts";
import { bearerToken, type Caller } from "../auth/tokens.ts";
import type { AppEnv, Deps } from "../core/context.ts";
import { errors, tokenErrors } from "../core/errors.ts";
import { toApiError } from "../core/validation/reduce.ts";
import { defaultParamRules } from "./params.ts";
import { ask, revokedFact } from "./relations.ts";
import type { Ask } from "./rules.ts";

/**
 * The access guard, mounted once for the whole app, in front of every route. For the
 * endpoint that will answer it runs, in the contract's order (gateway.md §1.0, §5.12):
 * token (401, revocation included), scope (403), path parameters (the route's own 400),
 * then the endpoint's ownership rule (403/400); the body is validated after it, by the
 * route. A request matching no route passes through to the 404 without any token check;
 * a route that has no definition (registered some other way) is refused.
 *
 * The database is asked once per request: whether the token's subject is revoked, in the
 * same statement as the facts the rule needs (relations.ts), or alone when the scope, a
 * parameter or a rule without facts decides. Every answer is still judged in the order
 * above, so a revoked token is a 401 whatever else is wrong.
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
    const revocation = new RevocationCheck(deps, caller);
    if (!scopes.some((scope) => caller.scopes.has(scope))) {
      await revocation.settle();
      throw errors.forbidden();
    }
    let params: Record<string, string>;
    try {
      params = validateParams(endpoint, routeParams(c, match.index));
    } catch (error) {
      await revocation.settle();
      throw error;
    }
    c.set("caller", caller);
    c.set("params", params);
    const refusal = await rule?.({ db: deps.db, caller, params, ask: revocation.ask });
    await revocation.settle();
    if (refusal) throw refusal;
    await next();
  };
}

/** The token's caller: signature, times, issuer and subject (revocation comes after). */
async function authenticate(c: Context<AppEnv>, deps: Deps): Promise<Caller> {
  const token = bearerToken(c.req.header("Authorization"));
  if (!token) throw tokenErrors.missing();
  return await deps.tokens.verify(token);
}

/**
 * The revocation step, asked along with the rule's first facts (one statement), or on
 * its own when nothing else asks. A revoked token throws the 401.
 */
class RevocationCheck {
  private asked = false;

  constructor(private readonly deps: Deps, private readonly caller: Caller) {}

  /** The rule's `ask`: its facts, in the statement that checks revocation first. */
  readonly ask: Ask = async (facts) => {
    if (this.asked) return await ask(this.deps.db, facts);
    this.asked = true;
    const [revoked, ...answers] = await ask(this.deps.db, [revokedFact(this.caller.sub), ...facts]);
    if (revoked) throw tokenErrors.revoked();
    return answers;
  };

  /** Checks revocation now unless a rule's facts already did. */
  async settle(): Promise<void> {
    if (!this.asked) await this.ask([]);
  }
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
