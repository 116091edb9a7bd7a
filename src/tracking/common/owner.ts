import { childExists, institutionExists } from "../../access/relations.ts";
import { type ApiError, errors } from "../../core/errors.ts";
import { normalizeId } from "../../core/ids.ts";
import type { Executor } from "../../db/client.ts";

/**
 * Whether the owner of the records being written still exists, asked inside the writing
 * transaction: undefined when it does, else the error each item then gets. The access
 * guard checked the owner before the request was read, but a deletion may commit in
 * between; asked under the write lock, the answer holds until the records are committed,
 * so a child's erasure can never be followed by rows written for it.
 */
export type OwnerCheck = (tx: Executor) => Promise<ApiError | undefined>;

/** The records belong to a child (tracking.md §1.10 step 3.2's 400 when it is gone). */
export function childOwner(childId: string): OwnerCheck {
  const id = normalizeId(childId);
  return async (tx) => await childExists(tx, id) ? undefined : errors.noSuchChild(id);
}

/** The records belong to an institution (§1.10: its 400 when it is gone). */
export function institutionOwner(institutionId: string): OwnerCheck {
  const id = normalizeId(institutionId);
  return async (tx) => await institutionExists(tx, id) ? undefined : errors.noSuchInstitution(id);
}
