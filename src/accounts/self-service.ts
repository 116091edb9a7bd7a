import { eq } from "drizzle-orm";
import { institutionOf } from "../access/relations.ts";
import type { Caller } from "../auth/tokens.ts";
import { errors } from "../core/errors.ts";
import type { Executor } from "../db/client.ts";
import type { Env } from "../env.ts";
import { familyChildren } from "../db/schema/index.ts";
import { childrenByIds, type UserRow } from "./users/users.store.ts";

/**
 * Self-service never widens reach (issue 10, finding 5; contract decision). Reach follows
 * from account links: a family reads its children, an educator or health professional the
 * children of its groups, and both what their institution holds. So, unless the deployment
 * sets `LEGACY_SELF_SERVICE=true` (the original platform's behaviour):
 * - only an admin changes a family's children or any user's institution;
 * - a group holds only children of its owner's institution.
 * A refusal is the contract's 403 FORBIDDEN body: the request is well formed (an admin
 * sending it succeeds), the caller lacks the permission, and clients already handle that
 * body as "not allowed". The checks run inside the writing transaction, so a refused
 * request changes nothing. A user update is judged before its references are checked, so
 * its refusal reveals nothing about them; a group's children are first checked to be
 * registered (the original's 400 naming the unknown ids), then to be of the institution.
 */

/** The setting restoring the original's self-service. */
export type SelfServiceSetting = Pick<Env, "LEGACY_SELF_SERVICE">;

/** The account links a user update would set (fields left undefined are not changed). */
export interface LinkChanges {
  institutionId?: string;
  childIds?: string[];
}

/**
 * 403 when a caller other than an admin would change the institution or children links
 * of `current` (the user as stored, read by the update in the same transaction).
 */
export async function assertLinkChangesAllowed(
  tx: Executor,
  caller: Caller,
  setting: SelfServiceSetting,
  current: UserRow,
  changes: LinkChanges,
): Promise<void> {
  if (setting.LEGACY_SELF_SERVICE || caller.type === "admin") return;
  if (changes.institutionId !== undefined && changes.institutionId !== current.institutionId) {
    throw errors.forbidden();
  }
  if (changes.childIds !== undefined) {
    const links = await tx.select({ childId: familyChildren.childId }).from(familyChildren)
      .where(eq(familyChildren.familyId, current.id));
    if (!sameMembers(changes.childIds, links.map((link) => link.childId))) {
      throw errors.forbidden();
    }
  }
}

/** 403 when a group would hold a child of another institution than its owner's (none: no change). */
export async function assertGroupChildrenAllowed(
  tx: Executor,
  setting: SelfServiceSetting,
  ownerId: string,
  childIds: readonly string[] | undefined,
): Promise<void> {
  if (setting.LEGACY_SELF_SERVICE || !childIds?.length) return;
  const institution = await institutionOf(tx, ownerId);
  const children = await childrenByIds(tx, [...childIds]);
  const foreign = [...children.values()].some((child) =>
    institution === undefined || child.institutionId !== institution
  );
  if (foreign) throw errors.forbidden();
}

/** True when both lists hold the same ids (order does not change reach). */
function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a), right = new Set(b);
  return left.size === right.size && [...left].every((id) => right.has(id));
}
