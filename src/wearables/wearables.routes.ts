import "../auth/auth.context.ts";
import { genericIdParam } from "../access/params.ts";
import { fitbitChild } from "../access/rules.ts";
import { defineEndpoint, empty, html, json, named } from "../api/endpoint.ts";
import { rateLimit } from "../core/rate-limit.ts";
import { noContent } from "../core/responses.ts";
import { fitbitErrors } from "./errors.ts";
import { Status } from "../core/status.ts";
import "./wearables.context.ts";
import type { AuthorizationOutcome } from "./wearables.service.ts";
import {
  authorizationStartSchema,
  authViewSchema,
  callbackQuery,
  clientInfoSchema,
  submittedAuthBody,
  submittedAuthReport,
  syncCountsSchema,
} from "./wearables.schemas.ts";

/** The 429 message of FB5 (gateway.md §5.2). */
export const SYNC_LIMIT_MESSAGE =
  "Synchronization limit per hour exceeded for child. Please try again later...";

const TAG = "Fitbit";
/** R-FITBIT on the child named by `user_id` (reported with the generic id message). */
const CHILD_ACCESS = {
  scopes: ["external:sync"],
  rule: fitbitChild,
  params: { user_id: genericIdParam() },
};
const NO_CHILD = "A malformed id, or no child has this id.";
const PROVIDER_ERRORS = {
  400: `${NO_CHILD} Or Fitbit refused the tokens (expired, invalid, other client, missing ` +
    "scope) or failed.",
  503: "Fitbit could not be reached.",
};

/**
 * The Fitbit routes (fitbit.md §1; gateway.md §1.6, FB1–FB7) plus the platform-managed
 * authorization (start and public callback). Each handler is one call to the wearables
 * service.
 */
export const wearableEndpoints = [
  defineEndpoint({
    method: "GET",
    path: "/v1/fitbit",
    id: "FB1",
    operationId: "getFitbitClient",
    summary: "Fitbit client id and what a client needs to start authorization",
    tag: TAG,
    access: { scopes: ["external:sync"] },
    responses: {
      200: json(
        "The client id and authorization parameters.",
        named("FitbitClient", clientInfoSchema),
      ),
      404: "The service has no Fitbit client configured.",
    },
    handler: ({ c, deps: { wearables } }) => {
      const info = wearables.fitbit.clientInfo();
      if (!info) throw fitbitErrors.clientNotConfigured();
      return c.json(info, Status.OK);
    },
  }),
  defineEndpoint({
    method: "GET",
    path: "/v1/fitbit/callback",
    id: "FB7",
    operationId: "completeFitbitAuthorization",
    summary: "Fitbit's redirect after consent: stores the child's tokens, shows a result page",
    description: "Opened by the browser Fitbit redirects; the single-use `state` proves the " +
      "authorization was started through FB6. Answers a small page.",
    tag: TAG,
    access: { scopes: "public" },
    query: {
      schema: callbackQuery,
      parameters: [
        { name: "code", description: "The authorization code Fitbit issued." },
        { name: "state", description: "The state FB6 put in the consent URL." },
        { name: "error", description: "Set by Fitbit when consent was refused." },
      ],
    },
    responses: {
      200: html("Connected."),
      400: html("Refused, expired link, missing permissions or Fitbit's refusal."),
      403: html("The person who started it may no longer connect this child."),
      503: html("Fitbit could not be reached."),
    },
    handler: async ({ c, deps: { wearables }, query }) => {
      const page = callbackPage(await wearables.completeAuthorization(query));
      return c.html(page.html, page.status);
    },
  }),
  defineEndpoint({
    method: "POST",
    path: "/v1/users/:user_id/fitbit/auth",
    id: "FB2",
    operationId: "storeFitbitTokens",
    summary: "Store a child's Fitbit tokens after checking them with Fitbit",
    tag: TAG,
    access: CHILD_ACCESS,
    body: { name: "FitbitTokens", schema: submittedAuthBody, report: submittedAuthReport },
    responses: { 204: empty("Checked and stored (sealed)."), ...PROVIDER_ERRORS },
    handler: async ({ c, deps: { wearables }, params, body }) => {
      await wearables.connectSubmitted(params.user_id, body);
      return noContent(c);
    },
  }),
  defineEndpoint({
    method: "GET",
    path: "/v1/users/:user_id/fitbit/auth",
    id: "FB3",
    operationId: "getFitbitAuthorization",
    summary: "Read a child's Fitbit authorization data",
    description: "The refresh token is shown to admins and applications only.",
    tag: TAG,
    access: CHILD_ACCESS,
    responses: {
      200: json("The stored authorization.", named("FitbitAuthorization", authViewSchema)),
      400: NO_CHILD,
      404: "Nothing is stored for the child.",
    },
    handler: async ({ c, deps: { wearables }, params }) =>
      c.json(await wearables.authView(params.user_id, c.var.caller), Status.OK),
  }),
  defineEndpoint({
    method: "POST",
    path: "/v1/users/:user_id/fitbit/auth/revoke",
    id: "FB4",
    operationId: "revokeFitbitAuthorization",
    summary: "Revoke and forget a child's Fitbit tokens",
    description: "The tokens are forgotten at once; a revocation Fitbit refused is answered " +
      "and retried in the background. Synced data stays.",
    tag: TAG,
    access: CHILD_ACCESS,
    responses: { 204: empty("Revoked (or nothing was stored)."), ...PROVIDER_ERRORS },
    handler: async ({ c, deps: { wearables }, params }) => {
      await wearables.revoke(params.user_id);
      return noContent(c);
    },
  }),
  defineEndpoint({
    method: "POST",
    path: "/v1/users/:user_id/fitbit/authorize",
    id: "FB6",
    operationId: "startFitbitAuthorization",
    summary: "Start connecting a child's Fitbit account: returns the Fitbit consent URL",
    tag: TAG,
    access: CHILD_ACCESS,
    responses: {
      200: json(
        "The consent URL to open, valid until `expires_at`.",
        named("FitbitAuthorizationStart", authorizationStartSchema),
      ),
      400: NO_CHILD,
      404: "The service has no Fitbit client configured.",
    },
    handler: async ({ c, deps: { wearables }, params }) => {
      const origin = new URL(c.req.url).origin;
      return c.json(
        await wearables.startAuthorization(params.user_id, c.var.caller, origin),
        Status.OK,
      );
    },
  }),
  defineEndpoint({
    method: "POST",
    path: "/v1/users/:user_id/fitbit/sync",
    id: "FB5",
    operationId: "syncFitbit",
    summary: "Synchronise a child's Fitbit data now",
    description: "At most a configured number of times per child and hour.",
    tag: TAG,
    access: CHILD_ACCESS,
    before: ({ db, now, config }) => [
      rateLimit({
        db,
        now,
        windowMs: config.RATE_LIMIT_WINDOW_MS,
        max: config.RATE_LIMIT_MAX,
        key: (c) => `fitbit-sync:${c.var.params.user_id}`,
        message: SYNC_LIMIT_MESSAGE,
      }),
    ],
    responses: {
      200: json(
        "How many records of each kind were stored.",
        named("SyncCounts", syncCountsSchema),
      ),
      ...PROVIDER_ERRORS,
      429: "Too many syncs of this child within the hour.",
    },
    handler: async ({ c, deps: { wearables }, params }) =>
      c.json(await wearables.syncNow(params.user_id), Status.OK),
  }),
];
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
