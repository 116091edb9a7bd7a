import { z } from "zod";
import { HEX_ID, normalizeId } from "../../core/ids.ts";
import {
  type Check,
  fail,
  type FieldDoc,
  hexId,
  optional,
  pass,
  required,
  str,
} from "../../core/validation/rules.ts";
import { accountErrors } from "./users.errors.ts";

/**
 * Field rules shared by every user type's bodies (account.md §1.9, §1.10, §6.1 #1–#3).
 * Each body lists its fields in the contract's validation order; these are the pieces.
 */

const text: FieldDoc = { type: "string", minLength: 1 };
const hex: FieldDoc = { type: "string", pattern: HEX_ID.source };

/** `username`: a non-empty string after trimming; stored trimmed. */
export const username = () => required("username", str("username", { trim: true }), text);
/** `username` on PATCH. */
export const optionalUsername = () => optional(str("username", { trim: true }), text);

/** `password`: any non-empty string, not trimmed. */
export const password = () => required("password", str("password"), text);

/** `institution_id` (alias `institution`); its missing name is `institution`. */
export const institutionId = () =>
  required("institution", hexId("institution_id"), {
    ...hex,
    description: "Id of a registered institution (alias: institution)",
  });
/** `institution_id` where it may be left out (PATCH, applications). */
export const optionalInstitutionId = () => optional(hexId("institution_id"), hex);

/**
 * `password` on a PATCH: present at all (even `null`) is refused, quoting the path id.
 * Documented as never accepted.
 */
export const passwordNotUpdatable = (pathId: string) =>
  optional(() => fail.invalid(accountErrors.passwordNotUpdatable(pathId)), {
    not: {},
    description: "Refused: passwords change through PUT /v1/users/{user_id}/password",
  });

/**
 * The body's `institution` key is an alias of `institution_id` (account.md §6.1): it is
 * used only when `institution_id` is absent.
 */
export function withInstitutionAlias<S extends z.ZodType>(schema: S) {
  return z.preprocess((body) => {
    if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
    const record = body as Record<string, unknown>;
    if (record.institution_id !== undefined || record.institution === undefined) return body;
    const { institution, ...rest } = record;
    return { ...rest, institution_id: institution };
  }, schema);
}

/**
 * The id a `children` item names: a 24-hex string (checked later), an object with a
 * string `id`, or a JSON string of such an object. Anything else has no usable id.
 */
function itemId(item: unknown): string | undefined {
  if (typeof item === "string") {
    if (item.trimStart().startsWith("{")) {
      try {
        return itemId(JSON.parse(item));
      } catch {
        return item;
      }
    }
    return item === "" ? undefined : item;
  }
  if (typeof item === "object" && item !== null && !Array.isArray(item)) {
    const id = (item as { id?: unknown }).id;
    return typeof id === "string" && id !== "" ? id : undefined;
  }
  return undefined;
}

/**
 * `children` of a family or group (account.md §8.1 #5–#8, §9.1 #4–#6): an array whose
 * items each name a child id. An item without a usable id (`null` included: the
 * original crashed there) wins over ids in a bad format, which are all listed. Ids come
 * out lowercase, duplicates removed, order kept. `missingName` set: absent or `[]`
 * counts as missing under that name.
 */
export function childIds(missingName?: string) {
  return (value: unknown): Check<string[]> => {
    if (value === undefined && missingName) return fail.missing(missingName);
    if (!Array.isArray(value)) {
      return fail.invalid(accountErrors.childrenNotArray());
    }
    const ids: string[] = [];
    for (const item of value) {
      const id = itemId(item);
      if (id === undefined) return fail.invalid(accountErrors.childrenItemWithoutId());
      ids.push(id);
    }
    const malformed = ids.filter((id) => !HEX_ID.test(id));
    if (malformed.length > 0) return fail.invalid(accountErrors.childrenIdsNotHex(malformed));
    const unique = [...new Set(ids.map(normalizeId))];
    if (unique.length === 0 && missingName) return fail.missing(missingName);
    return pass(unique);
  };
}

/** The label the contract uses when `children` is missing. */
export const CHILDREN_MISSING = "Collection with children IDs";

const childIdsDoc: FieldDoc = {
  type: "array",
  items: { anyOf: [{ type: "string", pattern: HEX_ID.source }, { type: "object" }] },
  description: "Child ids: 24-hex strings or objects with `id`",
};

/** `children` required with at least one id. */
export const requiredChildIds = () =>
  required(CHILDREN_MISSING, childIds(CHILDREN_MISSING), {
    ...childIdsDoc,
    minItems: 1,
  });
/** `children` on PATCH: replaces the list; `[]` empties it. */
export const optionalChildIds = () => optional(childIds(), childIdsDoc);
