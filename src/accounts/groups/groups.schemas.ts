import { z } from "zod";
import { nestedChildSchema } from "../children/children.schemas.ts";
import { optional, required, str } from "../../core/validation/rules.ts";
import { optionalChildIds, requiredChildIds } from "../users/users.fields.ts";

const text = { type: "string", minLength: 1 };

/** Body of `POST …/children/groups` (account.md §8.1), fields in validation order. */
export const createGroupBody = z.object({
  name: required("name", str("name"), { ...text, description: "Unique among the owner's groups" }),
  school_class: optional(str("school_class"), text),
  children: requiredChildIds(),
});

/** Body of `PATCH …/children/groups/:group_id` (account.md §8.4): `children` replaces the list. */
export const updateGroupBody = z.object({
  name: optional(str("name"), text),
  school_class: optional(str("school_class"), text),
  children: optionalChildIds(),
});

/** A valid create body. */
export type NewGroup = z.output<typeof createGroupBody>;
/** The changes a group PATCH may make. */
export type GroupChanges = z.output<typeof updateGroupBody>;

/** A children group as every answer shows it (account.md §1.7): the owner is not shown. */
export const groupSchema = z.strictObject({
  id: z.string().meta({ description: "24-hex id" }),
  name: z.string(),
  children: z.array(nestedChildSchema),
  school_class: z.string().optional(),
});
