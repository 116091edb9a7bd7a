import { z } from "zod";
import { optional, pass, required, str } from "../core/validation/rules.ts";
import { fitbitErrors } from "./errors.ts";

const token = { type: "string", minLength: 1 };

/** Body of FB2 (fitbit.md §1.3): both tokens, in this order; extra keys are ignored. */
export const submittedAuthBody = z.object({
  access_token: required("access_token", str("access_token"), {
    ...token,
    description: "Fitbit OAuth 2.0 access token (a JWT)",
  }),
  refresh_token: required("refresh_token", str("refresh_token"), {
    ...token,
    description: "Fitbit refresh token",
  }),
});

/** FB2's missing-fields message (`Fitbit Auth Data Validation: … required!`). */
export const submittedAuthReport = { missing: fitbitErrors.authRequired };

/** A query value as text: the first one when the key is repeated. */
const queryText = optional((value) =>
  pass(Array.isArray(value) ? String(value[0]) : typeof value === "string" ? value : undefined)
);

/** Query of the authorization callback (Fitbit's redirect). Nothing here can fail. */
export const callbackQuery = z.object({
  code: queryText,
  state: queryText,
  error: queryText,
}).transform((q) => ({ code: q.code, state: q.state, error: q.error }));

/** FB1: what a client needs to start a Fitbit authorization (never the secret). */
export const clientInfoSchema = z.looseObject({
  client_id: z.string(),
  authorization_uri: z.string().meta({ description: "Fitbit's consent page" }),
  scope: z.string().meta({ description: "The scopes to ask for, space-separated" }),
  code_challenge_method: z.string().meta({ description: "PKCE method: S256" }),
  platform_authorization: z.string().meta({
    description: "Or let the platform run it: this route (FB6) returns the consent URL",
  }),
});

/** FB3: a child's stored authorization; the refresh token only to admins and applications. */
export const authViewSchema = z.strictObject({
  access_token: z.string(),
  refresh_token: z.string().optional(),
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
});

/** FB6: where to send the person who consents, and until when the link works. */
export const authorizationStartSchema = z.strictObject({
  authorization_url: z.string().meta({ description: "Fitbit's consent page for this child" }),
  expires_at: z.string().meta({ description: "ISO 8601 instant" }),
});
