import { and, desc, eq, ne, sql } from "drizzle-orm";
import { newId } from "../../core/ids.ts";
import type { Executor } from "../../db/client.ts";
import { deleteInstitutionData } from "../../db/cascade.ts";
import { institutions, users } from "../../db/schema/index.ts";
import type {
  InstitutionChanges,
  InstitutionView,
  NewInstitution,
} from "./institutions.schemas.ts";

/** A stored institution row. */
export type InstitutionRow = typeof institutions.$inferSelect;

/** The institution's JSON view (`institutionSchema`); unset keys are left out. */
export function institutionView(row: InstitutionRow): InstitutionView {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    ...(row.address != null && { address: row.address }),
    ...(row.latitude != null && { latitude: row.latitude }),
    ...(row.longitude != null && { longitude: row.longitude }),
  };
}

/** Creates an institution and returns its row. */
export async function insertInstitution(
  db: Executor,
  fields: NewInstitution,
  now: number,
): Promise<InstitutionRow> {
  const row: InstitutionRow = {
    id: newId(now),
    name: fields.name,
    type: fields.type,
    address: fields.address ?? null,
    latitude: fields.latitude ?? null,
    longitude: fields.longitude ?? null,
    createdAt: now,
  };
  await db.insert(institutions).values(row);
  return row;
}

/** The institution with this id, if any. */
export async function findInstitution(
  db: Executor,
  id: string,
): Promise<InstitutionRow | undefined> {
  const rows = await db.select().from(institutions).where(eq(institutions.id, id)).limit(1);
  return rows[0];
}

/** True when another institution than `exceptId` has exactly this name. */
export async function institutionNameTaken(
  db: Executor,
  name: string,
  exceptId?: string,
): Promise<boolean> {
  const sameName = eq(institutions.name, name);
  const rows = await db.select({ id: institutions.id }).from(institutions)
    .where(exceptId ? and(sameName, ne(institutions.id, exceptId)) : sameName).limit(1);
  return rows.length > 0;
}

/** Every institution, newest first (lists filter and page in memory). */
export async function allInstitutions(db: Executor): Promise<InstitutionRow[]> {
  return await db.select().from(institutions)
    .orderBy(desc(institutions.createdAt), desc(sql`rowid`));
}

/** How many institutions exist (the list's `X-Total-Count`). */
export async function countInstitutions(db: Executor): Promise<number> {
  const [{ count }] = await db.select({ count: sql<number>`count(*)` }).from(institutions);
  return count;
}

/** Applies the sent changes; returns the updated row, or undefined when it does not exist. */
export async function updateInstitution(
  db: Executor,
  id: string,
  changes: InstitutionChanges,
): Promise<InstitutionRow | undefined> {
  const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length === 0) return await findInstitution(db, id);
  const rows = await db.update(institutions).set(set).where(eq(institutions.id, id)).returning();
  return rows[0];
}

/**
 * Deletes the institution and what belongs to it, unless a user still references it.
 * The check and the deletion share one transaction, so no user can slip in between.
 */
export async function deleteUnreferencedInstitution(
  db: Executor,
  id: string,
): Promise<"deleted" | "referenced" | "absent"> {
  return await db.transaction(async (tx) => {
    const referenced = await tx.select({ id: users.id }).from(users)
      .where(eq(users.institutionId, id)).limit(1);
    if (referenced.length > 0) return "referenced";
    const deleted = await tx.delete(institutions).where(eq(institutions.id, id))
      .returning({ id: institutions.id });
    if (deleted.length === 0) return "absent";
    await deleteInstitutionData(tx, id);
    return "deleted";
  });
}
