import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { accessGuard } from "./access/guard.ts";
import type { Endpoint } from "./api/endpoint.ts";
import { indexEndpoints, mountEndpoints } from "./api/mount.ts";
import { auditTrail } from "./audit/audit.middleware.ts";
import { ENDPOINTS } from "./domains.ts";
import type { AppEnv, Deps } from "./core/context.ts";
import { ApiError, errors } from "./core/errors.ts";
import { dashboardEndpoints } from "./dashboard/dashboard.routes.ts";
import { cors, httpsRedirect, requestLog, securityHeaders } from "./core/middleware.ts";
import { Status } from "./core/status.ts";
import { requestMetrics } from "./metrics/http.ts";

/** Bodies above 100 KB are refused (gateway.md §5.4). */
export const BODY_LIMIT_BYTES = 100 * 1024;

/**
 * The whole service as one Hono app. Global middleware runs in the contract's order
 * (gateway.md §5.12), the access guard last; then every endpoint definition is
 * registered under its literal path (src/domains.ts lists them); every error leaves
 * through `onError` as the contract envelope.
 */
export function createApp(deps: Deps, endpoints: readonly Endpoint[] = ENDPOINTS): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });

  app.use(requestMetrics());
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
  const pages = dashboardEndpoints(() => app);
  app.use(accessGuard(deps, indexEndpoints([...endpoints, ...pages])));
  app.use(auditTrail(deps));
  mountEndpoints(app, endpoints, deps);
  mountEndpoints(app, pages, deps);

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
