import "../auth/auth.context.ts";
import { genericIdParam } from "../access/params.ts";
import { adminOnly, fitbitChild } from "../access/rules.ts";
import { defineEndpoint, empty, html, json, named } from "../api/endpoint.ts";
import { rateLimit } from "../core/rate-limit.ts";
import { noContent } from "../core/responses.ts";
import { Status } from "../core/status.ts";
import type { ProviderId } from "./provider.ts";
import "./wearables.context.ts";
import type { AuthorizationResult } from "./wearables.service.ts";
import {
  authorizationStartSchema,
  authViewSchema,
  callbackQuery,
  clientInfoSchema,
  revocationSchema,
  revocationsQuery,
  submittedAuthBody,
  submittedAuthReport,
  syncCountsSchema,
  wearableStatusSchema,
} from "./wearables.schemas.ts";

/** The 429 message of FB5 (gateway.md §5.2). */
export const SYNC_LIMIT_MESSAGE =
  "Synchronization limit per hour exceeded for child. Please try again later...";

const TAG = "Wearables";
/** R-FITBIT on the child named by `user_id` (reported with the generic id message). */
const CHILD_ACCESS = {
  scopes: ["external:sync"],
  rule: fitbitChild,
  params: { user_id: genericIdParam() },
};
const NO_CHILD = "A malformed id, or no child has this id.";
const PROVIDER_ERRORS = {
  400: `${NO_CHILD} Or the provider refused the tokens (expired, invalid, other client, ` +
    "missing scope, grant gone) or failed. The messages name Fitbit whatever the provider.",
  503: "The provider could not be reached.",
};

/**
 * The wearable routes: FB1–FB7 (fitbit.md §1; gateway.md §1.6; paths unchanged, served by
 * the connection's provider, new connections by `WEARABLE_PROVIDER`), the platform-managed
 * authorization (start and public callback), a child's connection status (WS1), Google
 * Health's push receiver (GH1) and the admins' view of pending and failed remote
 * revocations (GH2). Each handler is one call to
 * the wearables service.
 */
export const wearableEndpoints = [
  defineEndpoint({
    method: "GET",
    path: "/v1/fitbit",
    id: "FB1",
    operationId: "getFitbitClient",
    summary: "The active wearable provider, its client id and what a client needs to " +
      "start authorization",
    tag: TAG,
    access: { scopes: ["external:sync"] },
    responses: {
      200: json(
        "The provider new connections use, its client id and authorization parameters " +
          "(never a secret).",
        named("FitbitClient", clientInfoSchema),
      ),
      404: "The service has no client configured for the active provider.",
    },
    handler: ({ c, deps: { wearables } }) => c.json(wearables.publicClient(), Status.OK),
  }),
  defineEndpoint({
    method: "GET",
    path: "/v1/fitbit/callback",
    id: "FB7",
    operationId: "completeFitbitAuthorization",
    summary: "The provider's redirect after consent: stores the child's tokens, shows a " +
      "result page",
    description: "Opened by the browser the provider (Google or Fitbit) redirects; the " +
      "single-use `state` proves the authorization was started through FB6. Answers a small page.",
    tag: TAG,
    access: { scopes: "public" },
    query: {
      schema: callbackQuery,
      parameters: [
        { name: "code", description: "The authorization code the provider issued." },
        { name: "state", description: "The state FB6 put in the consent URL." },
        { name: "error", description: "Set by the provider when consent was refused." },
      ],
    },
    responses: {
      200: html("Connected."),
      400: html("Refused, expired link, missing permissions or the provider's refusal."),
      403: html("The person who started it may no longer connect this child."),
      503: html("The provider could not be reached."),
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
    summary: "Store a child's wearable tokens after checking them with the active provider",
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
    summary: "Read a child's wearable authorization data",
    description: "The access token and the connection's status; the refresh token is " +
      "never shown.",
    tag: TAG,
    access: CHILD_ACCESS,
    responses: {
      200: json("The stored authorization.", named("FitbitAuthorization", authViewSchema)),
      400: NO_CHILD,
      404: "Nothing is stored for the child.",
    },
    handler: async ({ c, deps: { wearables }, params }) =>
      c.json(await wearables.authView(params.user_id), Status.OK),
  }),
  defineEndpoint({
    method: "GET",
    path: "/v1/users/:user_id/wearable",
    id: "WS1",
    operationId: "getWearableStatus",
    summary: "A child's wearable connection: provider, status, last sync and whether the " +
      "device sends any data",
    description: "Who may call it as FB3, for any child, connected or not (`provider` " +
      "null when not). Never a token. `no_data` stays true from a sync that found no " +
      "data at all (e.g. a Fitbit Ace, which Google Health does not support) until a " +
      "later sync finds some. Connecting another provider account, or revoking, forgets " +
      "what was known of the old connection.",
    tag: TAG,
    access: CHILD_ACCESS,
    responses: {
      200: json(
        "The child's connection state.",
        named("WearableStatus", wearableStatusSchema),
      ),
      400: NO_CHILD,
    },
    handler: async ({ c, deps: { wearables }, params }) =>
      c.json(await wearables.wearableStatus(params.user_id), Status.OK),
  }),
  defineEndpoint({
    method: "POST",
    path: "/v1/users/:user_id/fitbit/auth/revoke",
    id: "FB4",
    operationId: "revokeFitbitAuthorization",
    summary: "Revoke and forget a child's wearable tokens",
    description: "The tokens are forgotten at once; a revocation the provider refused is " +
      "answered and retried in the background (a bounded number of times: GH2 lists what " +
      "is pending or given up). Synced data stays.",
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
    summary: "Start connecting a child's wearable account: returns the active provider's " +
      "consent URL",
    tag: TAG,
    access: CHILD_ACCESS,
    responses: {
      200: json(
        "The consent URL to open, valid until `expires_at`.",
        named("FitbitAuthorizationStart", authorizationStartSchema),
      ),
      400: NO_CHILD,
      404: "The service has no client configured for the active provider.",
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
    summary: "Synchronise a child's wearable data now",
    description: "At most a configured number of times per child and hour. A connected " +
      "child for whom the provider has no data at all is answered with zero counts, " +
      "`no_data` and a `message`.",
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
        "How many records of each kind were stored (`no_data` when the provider has none).",
        named("SyncCounts", syncCountsSchema),
      ),
      ...PROVIDER_ERRORS,
      429: "Too many syncs of this child within the hour.",
    },
    handler: async ({ c, deps: { wearables }, params }) =>
      c.json(await wearables.syncNow(params.user_id), Status.OK),
  }),
  defineEndpoint({
    method: "POST",
    path: "/v1/google-health/notifications",
    id: "GH1",
    operationId: "receiveGoogleHealthNotification",
    summary: "Google Health push notification: makes the child with that health user due " +
      "for a sync",
    description: "Called by Google (the subscriber's endpoint), not by clients. The " +
      "`Authorization` header must carry the registered secret (checked before the body is " +
      "read); the signature is verified when a keyset is configured. The body is a " +
      'notification (`{"data": {…}}`), an array of them, or the verification probe ' +
      '(`{"type": "verification"}`). Unknown users and replays change nothing.',
    tag: TAG,
    access: { scopes: "public" },
    responses: {
      201: empty("The verification probe, with the right secret."),
      204: empty("Received: each known health user's child is due for a sync."),
      400: "The body is not JSON.",
      401: "No `Authorization` header.",
      403: "The secret or the signature is not valid (or no secret is configured).",
      503: "The signing keys could not be read (a keyset is configured).",
    },
    handler: async ({ c, deps: { wearables } }) => {
      const status = await wearables.receiveNotification({
        authorization: c.req.header("Authorization"),
        headers: c.req.raw.headers,
        body: () => c.req.arrayBuffer(),
      });
      return status === 201 ? c.body(null, Status.CREATED) : noContent(c);
    },
  }),
  defineEndpoint({
    method: "GET",
    path: "/v1/wearables/revocations",
    id: "GH2",
    operationId: "listWearableRevocations",
    summary: "Wearable grants whose remote revocation is pending or was given up",
    description: "For admins: the revocations still waiting for a provider, and those given " +
      "up after their last attempt (`failed`), oldest first. Never a token.",
    tag: TAG,
    access: { scopes: ["users:delete"], rule: adminOnly },
    query: {
      schema: revocationsQuery,
      parameters: [{
        name: "state",
        description: "Only revocations in this state: `pending` or `failed`.",
        schema: { type: "string", enum: ["pending", "failed"] },
      }],
    },
    responses: {
      200: {
        ...json("The revocations, oldest first.", named("WearableRevocation", revocationSchema)),
        many: true,
      },
    },
    handler: async ({ c, deps: { wearables }, query }) =>
      c.json(await wearables.revocations(query.state), Status.OK),
  }),
];
const PROVIDER_NAMES: Record<ProviderId, string> = {
  google_health: "Google Health",
  fitbit: "Fitbit",
};

type PageKey =
  | "connected"
  | "refused"
  | "expired"
  | "forbidden"
  | "scope"
  | "unavailable"
  | "failed";

/** The callback pages' texts; `provider` names the provider when the outcome knows it. */
const PAGES: Record<
  PageKey,
  { status: 200 | 400 | 403 | 503; title: string; text: (provider: string) => string }
> = {
  connected: {
    status: 200,
    title: "Wearable connected",
    text: (p) => `The ${p} account is now connected. You can close this page.`,
  },
  refused: {
    status: 400,
    title: "Authorization not given",
    text: (p) => `${p} access was not granted. Nothing was connected.`,
  },
  expired: {
    status: 400,
    title: "Link expired",
    text: () => "This authorization link is unknown, already used or expired. Please start again.",
  },
  forbidden: {
    status: 403,
    title: "Not allowed",
    text: () => "The person who started this authorization may no longer connect this child.",
  },
  scope: {
    status: 400,
    title: "Permissions missing",
    text: () =>
      "Access to at least one of activity, sleep or weight is needed. Please start again.",
  },
  unavailable: {
    status: 503,
    title: "Wearable provider unreachable",
    text: (p) => `Could not connect with ${p}. Please try again later.`,
  },
  failed: {
    status: 400,
    title: "Authorization failed",
    text: (p) => `${p} did not accept the authorization. Please start again.`,
  },
};

/**
 * The small result page of the callback (fixed texts and the provider's name only: nothing
 * from the request).
 */
function callbackPage({ outcome, provider }: AuthorizationResult) {
  const key: PageKey = typeof outcome === "string"
    ? outcome
    : outcome.failed === "unavailable"
    ? "unavailable"
    : "failed";
  const page = PAGES[key];
  const text = page.text((provider && PROVIDER_NAMES[provider]) ?? "The wearable provider");
  return {
    status: page.status,
    html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${page.title} | OCARIoT</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>${page.title}</h1><p>${text}</p></body></html>`,
  };
}
