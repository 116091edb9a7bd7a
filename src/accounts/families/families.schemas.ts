import { z } from "zod";
import { nestedChildSchema } from "../children/children.schemas.ts";
import { userBaseShape } from "../users/users.schemas.ts";
import {
  institutionId,
  optionalChildIds,
  optionalInstitutionId,
  optionalUsername,
  password,
  passwordNotUpdatable,
  requiredChildIds,
  username,
  withInstitutionAlias,
} from "../users/users.fields.ts";

/** Body of `POST /v1/families` (account.md §9.1), fields in validation order. */
export const createFamilyBody = withInstitutionAlias(z.object({
  username: username(),
  password: password(),
  institution_id: institutionId(),
  children: requiredChildIds(),
}));

/** Body of `PATCH /v1/families/:family_id` (account.md §9.4): `children` replaces the list. */
export const updateFamilyBody = (params: Record<string, string>) =>
  withInstitutionAlias(z.object({
    username: optionalUsername(),
    institution_id: optionalInstitutionId(),
    password: passwordNotUpdatable(params.family_id ?? "{family_id}"),
    children: optionalChildIds(),
  }));

/** A valid create body. */
export type NewFamily = z.output<typeof createFamilyBody>;
/** The changes a family PATCH may make. */
export type FamilyChanges = z.output<ReturnType<typeof updateFamilyBody>>;

/** A family: the base user keys and its children (always an array). */
export const familySchema = z.strictObject({
  ...userBaseShape,
  children: z.array(nestedChildSchema),
});
