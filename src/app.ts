import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { accessGuard } from "./access/guard.ts";
import { applicationRoutes } from "./accounts/applications/applications.routes.ts";
import { childRoutes } from "./accounts/children/children.routes.ts";
import { familyRoutes } from "./accounts/families/families.routes.ts";
import { groupRoutes } from "./accounts/groups/groups.routes.ts";
import { institutionRoutes } from "./accounts/institutions/institutions.routes.ts";
import { EDUCATOR, HEALTH_PROFESSIONAL } from "./accounts/professionals/professionals.kinds.ts";
import { professionalRoutes } from "./accounts/professionals/professionals.routes.ts";
import { userRoutes } from "./accounts/users/users.routes.ts";
import { loginRoutes } from "./auth/login.routes.ts";
import type { AppEnv, Deps } from "./core/context.ts";
import { ApiError, errors } from "./core/errors.ts";
import { cors, httpsRedirect, requestLog, securityHeaders } from "./core/middleware.ts";
import { Status } from "./core/status.ts";
import { dashboardRoutes } from "./dashboard/dashboard.routes.ts";
import { fitbitRoutes } from "./fitbit/fitbit.routes.ts";
import { platformRoutes } from "./platform/platform.routes.ts";
import { bodyFatRoutes } from "./tracking/bodyfats/bodyfats.routes.ts";
import { environmentRoutes } from "./tracking/environments/environments.routes.ts";
import { logRoutes } from "./tracking/logs/logs.routes.ts";
import { physicalActivityRoutes } from "./tracking/physical-activities/physical-activities.routes.ts";
import { sleepRoutes } from "./tracking/sleep/sleep.routes.ts";
import { weightRoutes } from "./tracking/weights/weights.routes.ts";

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
  app.use(accessGuard(deps));

  app.route("/", platformRoutes(deps, () => app));
  app.route("/v1/auth", loginRoutes(deps));
  app.route("/v1/institutions", institutionRoutes(deps));
  app.route("/v1/users", userRoutes(deps));
  app.route("/v1/children", childRoutes(deps));
  app.route("/v1/educators", professionalRoutes(deps, EDUCATOR));
  app.route("/v1/healthprofessionals", professionalRoutes(deps, HEALTH_PROFESSIONAL));
  app.route("/v1/educators/:educator_id/children/groups", groupRoutes(deps, EDUCATOR));
  app.route(
    "/v1/healthprofessionals/:healthprofessional_id/children/groups",
    groupRoutes(deps, HEALTH_PROFESSIONAL),
  );
  app.route("/v1/families", familyRoutes(deps));
  app.route("/v1/applications", applicationRoutes(deps));
  app.route("/", fitbitRoutes(deps));
  app.route("/v1/institutions", environmentRoutes(deps));
  app.route("/v1/children", physicalActivityRoutes(deps));
  app.route("/v1/children", logRoutes(deps));
  app.route("/v1/children", sleepRoutes(deps));
  app.route("/v1/children", weightRoutes(deps));
  app.route("/v1/children", bodyFatRoutes(deps));
  app.route("/", dashboardRoutes(deps, () => app));

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
