import { z } from "zod";
import { FITBIT_STATUSES } from "../accounts/children/children.store.ts";
import { errors } from "../core/errors.ts";
import { fail, optional, pass, required, str } from "../core/validation/rules.ts";
import { fitbitErrors } from "./errors.ts";
import type { ProviderErrorKind } from "./provider.ts";

const token = { type: "string", minLength: 1 };

/** Body of FB2 (fitbit.md §1.3): both tokens, in this order; extra keys are ignored. */
export const submittedAuthBody = z.object({
  access_token: required("access_token", str("access_token"), {
    ...token,
    description: "The provider's OAuth 2.0 access token (Fitbit: a JWT)",
  }),
  refresh_token: required("refresh_token", str("refresh_token"), {
    ...token,
    description: "The provider's refresh token",
  }),
});

/** FB2's missing-fields message (`Fitbit Auth Data Validation: … required!`). */
export const submittedAuthReport = { missing: fitbitErrors.authRequired };

/** A query value as text: the first one when the key is repeated. */
const queryText = optional((value) =>
  pass(Array.isArray(value) ? String(value[0]) : typeof value === "string" ? value : undefined)
);

/** Query of the authorization callback (the provider's redirect). Nothing here can fail. */
export const callbackQuery = z.object({
  code: queryText,
  state: queryText,
  error: queryText,
}).transform((q) => ({ code: q.code, state: q.state, error: q.error }));

/** FB1: what a client needs to start an authorization with the active provider (never the secret). */
export const clientInfoSchema = z.looseObject({
  provider: z.enum(["google_health", "fitbit"]).meta({
    description: "The provider new connections use (`WEARABLE_PROVIDER`)",
  }),
  client_id: z.string(),
  authorization_uri: z.string().meta({ description: "The provider's consent page" }),
  scope: z.string().meta({ description: "The scopes to ask for, space-separated" }),
  code_challenge_method: z.string().meta({ description: "PKCE method: S256" }),
  platform_authorization: z.string().meta({
    description: "Or let the platform run it: this route (FB6) returns the consent URL",
  }),
});

/** FB3: a child's stored authorization: the access token and status (the refresh token to no one). */
export const authViewSchema = z.strictObject({
  access_token: z.string(),
  status: z.string().meta({ description: "The connection's state, e.g. valid_token" }),
});

const logCounts = z.looseObject({
  steps: z.number(),
  calories: z.number(),
  active_minutes: z.number(),
  lightly_active_minutes: z.number(),
  sedentary_minutes: z.number(),
});

/** FB5: how many records of each kind the sync stored. */
export const syncCountsSchema = z.looseObject({
  activities: z.number(),
  sleep: z.number(),
  weights: z.number(),
  logs: logCounts,
  no_data: z.literal(true).optional().meta({
    description: "Set when the provider has no data at all for the child (e.g. a device " +
      "Google Health does not support, such as a Fitbit Ace)",
  }),
  message: z.string().optional().meta({ description: "Says why, when `no_data` is set" }),
});

/** FB6: where to send the person who consents, and until when the link works. */
export const authorizationStartSchema = z.strictObject({
  authorization_url: z.string().meta({
    description: "The active provider's consent page for this child",
  }),
  expires_at: z.string().meta({ description: "ISO 8601 instant" }),
});

const REVOCATION_STATES = ["pending", "failed"] as const;

/** Query of GH2: an optional `state` filter. */
export const revocationsQuery = z.object({
  state: optional(
    (value) =>
      (REVOCATION_STATES as readonly unknown[]).includes(value)
        ? pass(value as (typeof REVOCATION_STATES)[number])
        : fail.invalid(errors.invalidFields("state must be one of: pending, failed!")),
    {
      type: "string",
      enum: REVOCATION_STATES,
      description: "Only revocations in this state",
    },
  ),
});

const instant = (description: string) => z.string().meta({ description });

/** GH2: one remote revocation as admins see it (never a token). */
export const revocationSchema = z.strictObject({
  id: z.string(),
  provider: z.enum(["google_health", "fitbit"]),
  child_id: z.string(),
  state: z.enum(REVOCATION_STATES).meta({
    description: "`pending`: will be tried again; `failed`: given up after its last attempt",
  }),
  attempts: z.number(),
  last_error: z.string().nullable().meta({ description: "The last failure's kind" }),
  queued_at: instant("ISO 8601 instant"),
  last_attempt_at: instant("ISO 8601 instant").nullable(),
  next_attempt_at: instant("ISO 8601 instant; null unless pending").nullable(),
});

/** How a finished sync can end, and what each outcome means (shown in the reference). */
export const SYNC_OUTCOMES = {
  ok: "data read and stored (or nothing new since the last sync)",
  no_data: "the provider has no data at all for this account (e.g. a Fitbit Ace, which " +
    "Google Health does not support)",
  token_expired: "the access token had expired and could not be renewed",
  token_invalid: "the access token was refused",
  grant_invalid: "the grant is gone",
  client_invalid: "the platform's client credentials were refused",
  rate_limited: "the provider's per-user limit was reached",
  scope_missing: "the grant allows none of the data the platform reads",
  provider_internal: "the provider failed or answered something unreadable",
  unavailable: "the provider could not be reached",
  unmapped: "the provider refused the request",
} as const satisfies Record<"ok" | "no_data" | ProviderErrorKind, string>;

/** An outcome of `SYNC_OUTCOMES`. */
export type SyncOutcomeKind = keyof typeof SYNC_OUTCOMES;

const outcomeKinds = Object.keys(SYNC_OUTCOMES) as [SyncOutcomeKind, ...SyncOutcomeKind[]];

/** WS1: a child's wearable connection as anyone who may manage it sees it (never a token). */
export const wearableStatusSchema = z.strictObject({
  provider: z.enum(["google_health", "fitbit"]).nullable().meta({
    description: "The connection's provider; null when the child has no connection",
  }),
  status: z.enum(FITBIT_STATUSES).meta({
    description: "The connection's state in the child's `fitbit_status` values: " +
      "`valid_token`, `expired_token`, `invalid_token` or `invalid_client` from the " +
      "connection, `rate_limit` when its last sync hit the provider's limit; without a " +
      "connection `invalid_grant` when the provider withdrew the grant, else `none`",
  }),
  connected_at: instant("ISO 8601 instant: when this provider account was connected").nullable(),
  last_sync: instant(
    "ISO 8601 instant of the connection's last successful sync (with data or without); " +
      "null before the first",
  ).nullable(),
  last_sync_outcome: z.enum(outcomeKinds).nullable().meta({
    description: "How the connection's last finished sync ended: " +
      Object.entries(SYNC_OUTCOMES).map(([kind, text]) => `\`${kind}\`: ${text}`).join("; ") +
      ". Null before the first",
  }),
  last_sync_outcome_at: instant("ISO 8601 instant when that sync ended").nullable(),
  no_data: z.boolean().meta({
    description: "True when the last successful sync found no data at all for this " +
      "connection (a later failed sync does not change it)",
  }),
});

/** WS1's body. */
export type WearableStatus = z.infer<typeof wearableStatusSchema>;
