import { z } from "zod";
import { groupSchema } from "../groups/groups.schemas.ts";
import { userBaseShape } from "../users/users.schemas.ts";
import {
  institutionId,
  optionalInstitutionId,
  optionalUsername,
  password,
  passwordNotUpdatable,
  username,
  withInstitutionAlias,
} from "../users/users.fields.ts";
import type { ProfessionalKind } from "./professionals.kinds.ts";

/**
 * Bodies of the educator and health professional routes (account.md §7.1, §7.4). The
 * original also stored an unchecked `children_groups` list sent here; it is ignored:
 * groups are made through their own routes, where they are checked.
 */
export function professionalSchemas(kind: ProfessionalKind) {
  const create = withInstitutionAlias(z.object({
    username: username(),
    password: password(),
    institution_id: institutionId(),
  }));
  const update = (params: Record<string, string>) =>
    withInstitutionAlias(z.object({
      username: optionalUsername(),
      institution_id: optionalInstitutionId(),
      password: passwordNotUpdatable(params[kind.idParam] ?? `{${kind.idParam}}`),
    }));
  return { create, update };
}

/** A valid create body. */
export type NewProfessional = z.output<ReturnType<typeof professionalSchemas>["create"]>;

/** An educator or health professional: the base user keys and all its groups. */
export const professionalSchema = z.strictObject({
  ...userBaseShape,
  children_groups: z.array(groupSchema),
});
