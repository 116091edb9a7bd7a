import { Hono } from "hono";
import type { AppEnv, Deps } from "../core/context.ts";
import { noContent } from "../core/responses.ts";
import { Status } from "../core/status.ts";

/**
 * GH1: Google Health's push notifications (google-health.md §5), public (Google calls it;
 * the registered secret and the signature authenticate it). The logic is the service's.
 */
export function notificationRoutes({ wearables }: Deps) {
  return new Hono<AppEnv>().post("/v1/google-health/notifications", async (c) => {
    const status = await wearables.receiveNotification({
      authorization: c.req.header("Authorization"),
      headers: c.req.raw.headers,
      body: () => c.req.arrayBuffer(),
    });
    return status === 201 ? c.body(null, Status.CREATED) : noContent(c);
  });
}
