import { z } from "zod";
import { optional, pass, required, str } from "../core/validation/rules.ts";
import { fitbitErrors } from "../wearables/errors.ts";

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
