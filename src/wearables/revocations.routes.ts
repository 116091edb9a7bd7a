import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Deps } from "../core/context.ts";
import { errors } from "../core/errors.ts";
import { Status } from "../core/status.ts";
import { fail, optional, pass } from "../core/validation/rules.ts";
import { validate } from "../core/validation/validator.ts";

const STATES = ["pending", "failed"] as const;

/** Query of GH2: an optional `state` filter. */
export const revocationsQuery = z.object({
  state: optional(
    (value) =>
      (STATES as readonly unknown[]).includes(value)
        ? pass(value as (typeof STATES)[number])
        : fail.invalid(errors.invalidFields("state must be one of: pending, failed!")),
    {
      type: "string",
      enum: STATES,
      description: "Only revocations in this state",
    },
  ),
});

/**
 * GH2: the remote revocations still waiting for a provider, or given up after their
 * last attempt (failed), for admins: never a token. The logic is the service's.
 */
export function revocationRoutes({ wearables }: Deps) {
  return new Hono<AppEnv>().get(
    "/v1/wearables/revocations",
    validate("query", revocationsQuery),
    async (c) => c.json(await wearables.revocations(c.req.valid("query").state), Status.OK),
  );
}
