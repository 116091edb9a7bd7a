import { type Executor, sqlRows, type SqlValue } from "../db/client.ts";

/**
 * Lookups the ownership rules make. Each reads the database afresh (no caching). Every
 * yes/no lookup is a `Fact`: an SQL expression of fixed text with its arguments, so that
 * several facts, and the token's revocation, are answered by one statement (`ask`)
 * which the connection prepares once and reuses.
 */

/** One yes/no question about the database: an SQL expression (0 or 1) and its arguments. */
export interface Fact {
  readonly sql: string;
  readonly args: readonly SqlValue[];
}

const fact = (sql: string, ...args: SqlValue[]): Fact => ({ sql, args });

/** True when the subject of a token is on the revocation list (a deleted user). */
export const revokedFact = (subjectId: string) =>
  fact("EXISTS (SELECT 1 FROM revoked_subjects WHERE subject_id = ?)", subjectId);

/** True when a user of type child has this id. */
export const childExistsFact = (childId: string) =>
  fact("EXISTS (SELECT 1 FROM users WHERE id = ? AND type = 'child')", childId);

/** True when the child is in at least one group owned by `ownerId` (all groups are checked). */
export const childInGroupsOfFact = (ownerId: string, childId: string) =>
  fact(
    "EXISTS (SELECT 1 FROM children_group_members m JOIN children_groups g ON g.id = m.group_id " +
      "WHERE m.child_id = ? AND g.owner_id = ?)",
    childId,
    ownerId,
  );

/** True when the child is associated with the family. */
export const childOfFamilyFact = (familyId: string, childId: string) =>
  fact(
    "EXISTS (SELECT 1 FROM family_children WHERE family_id = ? AND child_id = ?)",
    familyId,
    childId,
  );

/** True when the user's own record names this institution. */
export const memberOfInstitutionFact = (userId: string, institutionId: string) =>
  fact("EXISTS (SELECT 1 FROM users WHERE id = ? AND institution_id = ?)", userId, institutionId);

/** True when an institution has this id. */
export const institutionExistsFact = (institutionId: string) =>
  fact("EXISTS (SELECT 1 FROM institutions WHERE id = ?)", institutionId);

/** Asks several facts in one statement; the answers come in the order asked. */
export async function ask(db: Executor, facts: readonly Fact[]): Promise<boolean[]> {
  if (facts.length === 0) return [];
  const text = `SELECT ${facts.map((f) => f.sql).join(", ")}`;
  const [row] = await sqlRows(db, text, facts.flatMap((f) => f.args));
  return facts.map((_, i) => row[i] === 1);
}

/** Asks one fact. */
async function holds(db: Executor, question: Fact): Promise<boolean> {
  return (await ask(db, [question]))[0];
}

/** True when a user of type child has this id. */
export const childExists = (db: Executor, childId: string) => holds(db, childExistsFact(childId));

/** True when an institution has this id. */
export const institutionExists = (db: Executor, institutionId: string) =>
  holds(db, institutionExistsFact(institutionId));

/** The institution id on a user's own record; undefined when the record or the link is gone. */
export async function institutionOf(db: Executor, userId: string): Promise<string | undefined> {
  const [row] = await sqlRows(db, "SELECT institution_id FROM users WHERE id = ? LIMIT 1", [
    userId,
  ]);
  return (row?.[0] as string | null | undefined) ?? undefined;
}

/** The id of the child holding this NFC tag, if any. */
export async function childIdByNfcTag(db: Executor, tag: string): Promise<string | undefined> {
  const [row] = await sqlRows(
    db,
    "SELECT id FROM users WHERE type = 'child' AND nfc_tag = ? LIMIT 1",
    [tag],
  );
  return row?.[0] as string | undefined;
}
