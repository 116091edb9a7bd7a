import { Hono } from "hono";
import type { AppEnv, Deps } from "../core/context.ts";
import { rateLimit } from "../core/rate-limit.ts";
import { noContent, pathParam } from "../core/responses.ts";
import { Status } from "../core/status.ts";
import { validate } from "../core/validation/validator.ts";
import type { AuthorizationOutcome } from "../wearables/wearables.service.ts";
import { callbackQuery, submittedAuthBody, submittedAuthReport } from "./fitbit.schemas.ts";

/** The 429 message of FB5 (gateway.md §5.2). */
export const SYNC_LIMIT_MESSAGE =
  "Synchronization limit per hour exceeded for child. Please try again later...";

/**
 * The Fitbit routes (fitbit.md §1; gateway.md §1.6) plus the platform-managed
 * authorization (start and public callback). Access rules: see access/permissions.ts.
 */
export function fitbitRoutes({ wearables, db, now, config }: Deps) {
  return new Hono<AppEnv>()
    .get("/v1/fitbit", (c) => c.json(wearables.publicClient(), Status.OK))
    .get("/v1/fitbit/callback", validate("query", callbackQuery), async (c) => {
      const outcome = await wearables.completeAuthorization(c.req.valid("query"));
      const page = callbackPage(outcome);
      return c.html(page.html, page.status);
    })
    .post(
      "/v1/users/:user_id/fitbit/auth",
      validate("json", submittedAuthBody, submittedAuthReport),
      async (c) => {
        await wearables.connectSubmitted(pathParam(c, "user_id"), c.req.valid("json"));
        return noContent(c);
      },
    )
    .get("/v1/users/:user_id/fitbit/auth", async (c) => {
      return c.json(await wearables.authView(pathParam(c, "user_id")), Status.OK);
    })
    .post("/v1/users/:user_id/fitbit/auth/revoke", async (c) => {
      await wearables.revoke(pathParam(c, "user_id"));
      return noContent(c);
    })
    .post("/v1/users/:user_id/fitbit/authorize", async (c) => {
      const origin = new URL(c.req.url).origin;
      const started = await wearables.startAuthorization(
        pathParam(c, "user_id"),
        c.var.caller,
        origin,
      );
      return c.json(started, Status.OK);
    })
    .post(
      "/v1/users/:user_id/fitbit/sync",
      rateLimit({
        db,
        now,
        windowMs: config.RATE_LIMIT_WINDOW_MS,
        max: config.RATE_LIMIT_MAX,
        key: (c) => `fitbit-sync:${pathParam(c, "user_id")}`,
        message: SYNC_LIMIT_MESSAGE,
      }),
      async (c) => c.json(await wearables.syncNow(pathParam(c, "user_id")), Status.OK),
    );
}

const PAGES: Record<string, { status: 200 | 400 | 403 | 503; title: string; text: string }> = {
  connected: {
    status: 200,
    title: "Fitbit connected",
    text: "The Fitbit account is now connected. You can close this page.",
  },
  refused: {
    status: 400,
    title: "Authorization not given",
    text: "Fitbit access was not granted. Nothing was connected.",
  },
  expired: {
    status: 400,
    title: "Link expired",
    text: "This authorization link is unknown, already used or expired. Please start again.",
  },
  forbidden: {
    status: 403,
    title: "Not allowed",
    text: "The person who started this authorization may no longer connect this child.",
  },
  scope: {
    status: 400,
    title: "Permissions missing",
    text: "Access to at least one of activity, sleep or weight is needed. Please start again.",
  },
  unavailable: {
    status: 503,
    title: "Fitbit unreachable",
    text: "Could not connect with the Fitbit Server. Please try again later.",
  },
  failed: {
    status: 400,
    title: "Authorization failed",
    text: "Fitbit did not accept the authorization. Please start again.",
  },
};

/** The small result page of the callback (fixed texts only: nothing from the request). */
function callbackPage(outcome: AuthorizationOutcome) {
  const key = typeof outcome === "string"
    ? outcome
    : outcome.failed === "unavailable"
    ? "unavailable"
    : "failed";
  const page = PAGES[key];
  return {
    status: page.status,
    html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${page.title} | OCARIoT</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>${page.title}</h1><p>${page.text}</p></body></html>`,
  };
}
