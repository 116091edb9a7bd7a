import type { Hono, MiddlewareHandler } from "hono";
import type { AppEnv, Deps } from "../core/context.ts";
import { validate, validateLenientBody, validateWithParams } from "../core/validation/validator.ts";
import type { BodyInput, Endpoint } from "./endpoint.ts";

/** The endpoints by `METHOD path`, as the access guard looks them up. */
export type EndpointIndex = ReadonlyMap<string, Endpoint>;

/** The key of an endpoint in the index. */
export const endpointKey = (method: string, path: string) => `${method} ${path}`;

/** Indexes endpoints; two definitions of one method and path are a programming error. */
export function indexEndpoints(endpoints: readonly Endpoint[]): EndpointIndex {
  const index = new Map<string, Endpoint>();
  for (const endpoint of endpoints) {
    const key = endpointKey(endpoint.method, endpoint.path);
    if (index.has(key)) throw new Error(`two definitions of ${key}`);
    index.set(key, endpoint);
  }
  return index;
}

function bodyValidator(body: BodyInput, deps: Deps): MiddlewareHandler {
  const { build, report } = body;
  if (body.lenient) return validateLenientBody(body.schema, report);
  if (build) return validateWithParams("json", (params) => build(params, deps), report);
  return validate("json", body.schema, report);
}

/**
 * Registers each endpoint on the app under its literal path, in the given order (a
 * literal segment, `/children/nfc/…`, must come before a parameter in the same place):
 * its own middleware, then the query and body validators, then the middleware that needs
 * valid inputs, then the handler. The access
 * guard, mounted once for the app, has run before any of these.
 */
export function mountEndpoints(
  app: Hono<AppEnv>,
  endpoints: readonly Endpoint[],
  deps: Deps,
): void {
  for (const endpoint of endpoints) {
    const chain: MiddlewareHandler[] = [...(endpoint.before?.(deps) ?? [])];
    if (endpoint.query) chain.push(validate("query", endpoint.query.schema));
    if (endpoint.body) chain.push(bodyValidator(endpoint.body, deps));
    chain.push(...(endpoint.beforeHandler?.(deps) ?? []));
    const handler: MiddlewareHandler<AppEnv> = (c) => {
      const valid = (target: string) => (c.req.valid as (t: string) => unknown).call(c.req, target);
      return Promise.resolve(endpoint.handler({
        c,
        deps,
        params: c.get("params"),
        query: endpoint.query ? valid("query") : undefined,
        body: endpoint.body ? valid("json") : undefined,
        endpoints,
      }));
    };
    app.on(endpoint.method, [endpoint.path], ...chain, handler);
  }
}
