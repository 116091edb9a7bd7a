import { z } from "zod";
import { required, str } from "../../core/validation/rules.ts";

const text = { type: "string", minLength: 1 };

/** Body of `PUT /v1/users/:user_id/password` (account.md §4.2). */
export const changePasswordBody = z.object({
  old_password: required("old_password", str("old_password"), text),
  new_password: required("new_password", str("new_password"), text),
});

/** Body of `POST /v1/users/:user_id/reset-password` (account.md §4.3). */
export const resetPasswordBody = z.object({
  new_password: required("new_password", str("new_password"), text),
});

/** The keys every user view starts with (account.md §1.7); unset keys are left out. */
export const userBaseShape = {
  id: z.string().meta({ description: "24-hex id" }),
  username: z.string(),
  institution_id: z.string().optional(),
  last_login: z.string().optional().meta({ description: "ISO 8601 instant (UTC)" }),
};
