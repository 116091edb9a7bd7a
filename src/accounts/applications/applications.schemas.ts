import { z } from "zod";
import { userBaseShape } from "../users/users.schemas.ts";
import { optional, required, str } from "../../core/validation/rules.ts";
import {
  optionalInstitutionId,
  optionalUsername,
  password,
  passwordNotUpdatable,
  username,
  withInstitutionAlias,
} from "../users/users.fields.ts";

const text = { type: "string", minLength: 1 };

/** Body of `POST /v1/applications` (account.md §10.1); the institution is optional. */
export const createApplicationBody = withInstitutionAlias(z.object({
  username: username(),
  password: password(),
  institution_id: optionalInstitutionId(),
  application_name: required("application_name", str("application_name"), text),
}));

/** Body of `PATCH /v1/applications/:application_id` (account.md §10.4). */
export const updateApplicationBody = (params: Record<string, string>) =>
  withInstitutionAlias(z.object({
    username: optionalUsername(),
    institution_id: optionalInstitutionId(),
    password: passwordNotUpdatable(params.application_id ?? "{application_id}"),
    application_name: optional(str("application_name"), text),
  }));

/** A valid create body. */
export type NewApplication = z.output<typeof createApplicationBody>;
/** The changes an application PATCH may make. */
export type ApplicationChanges = z.output<ReturnType<typeof updateApplicationBody>>;

/** An application: the base user keys and its name. */
export const applicationSchema = z.strictObject({
  ...userBaseShape,
  application_name: z.string().optional(),
});
