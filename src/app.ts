import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { accessGuard } from "./access/guard.ts";
import { permissions } from "./access/permissions.ts";
import type { Endpoint, Method } from "./api/endpoint.ts";
import { indexEndpoints, mountEndpoints } from "./api/mount.ts";
import { ENDPOINTS } from "./domains.ts";
import type { AppEnv, Deps } from "./core/context.ts";
import { ApiError, errors } from "./core/errors.ts";
import { cors, httpsRedirect, requestLog, securityHeaders } from "./core/middleware.ts";
import { Status } from "./core/status.ts";
import { fitbitRoutes } from "./fitbit/fitbit.routes.ts";

/** Bodies above 100 KB are refused (gateway.md §5.4). */
export const BODY_LIMIT_BYTES = 100 * 1024;

/**
 * The whole service as one Hono app. Global middleware runs in the contract's order
 * (gateway.md §5.12); each resource is a sub-app mounted with `route()`; every error
 * leaves through `onError` as the contract envelope.
 */
export function createApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });

  app.use(requestLog(deps.log));
  app.use(securityHeaders());
  app.use(cors());
  if (deps.config.REDIRECT_HTTPS) app.use(httpsRedirect(deps.config.HTTPS_PORT));
  app.use(bodyLimit({
    maxSize: BODY_LIMIT_BYTES,
    onError: () => {
      throw errors.bodyTooLarge();
    },
  }));
  const endpoints = withLegacy(ENDPOINTS);
  app.use(accessGuard(deps, indexEndpoints(endpoints)));

  mountEndpoints(app, ENDPOINTS, deps);
  app.route("/", fitbitRoutes(deps));

  app.notFound((c) => c.json(errors.notFoundRoute(c.req.path).toBody(), Status.NOT_FOUND));
  app.onError((error, c) => {
    const known = toApiError(error);
    if (!known) {
      deps.log.error("unexpected error", {
        request_id: c.var.requestId,
        method: c.req.method,
        path: c.req.path,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
    const answer = known ?? errors.internal();
    return c.json(answer.toBody(), answer.status);
  });
  return app;
}

/** Routes not yet converted to definitions: their permission rows, as endpoints. */
function withLegacy(endpoints: readonly Endpoint[]): Endpoint[] {
  const defined = new Set(endpoints.map((e) => `${e.method} ${e.path}`));
  const legacy = Object.entries(permissions).filter(([key]) => !defined.has(key)).map(
    ([key, p]): Endpoint => {
      const [method, path] = key.split(" ");
      return {
        method: method as Method,
        path,
        id: p.id,
        operationId: p.id,
        summary: p.summary,
        tag: p.tag,
        access: { scopes: p.scopes, rule: p.rule, params: p.params },
        responses: {},
        handler: () => new Response(null),
      };
    },
  );
  return [...endpoints, ...legacy];
}

/** The contract error for a thrown value, or undefined when it is unexpected. */
function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    // Hono's JSON parser: "Malformed JSON in request body".
    if (error.status === Status.BAD_REQUEST) return errors.malformedBody();
    if (error.status === Status.PAYLOAD_TOO_LARGE) return errors.bodyTooLarge();
  }
  return undefined;
}
