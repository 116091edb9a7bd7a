import { eq } from "drizzle-orm";
import { hashPassword } from "../../auth/passwords.ts";
import { newId } from "../../core/ids.ts";
import { randomToken } from "../../core/encoding.ts";
import type { Database } from "../../db/client.ts";
import { users } from "../../db/schema/index.ts";

/** What start-up did about the first admin. */
export type SeedOutcome =
  /** No admin existed: one was created (with the generated password when one was printed). */
  | { created: true; username: string; generatedPassword?: string }
  /** An admin exists already; ADMIN_PASSWORD, when set, was not applied. */
  | { created: false; passwordIgnored: boolean };

/**
 * Creates the first admin when no admin exists (account.md §11). An existing admin is
 * never changed (ADMIN_PASSWORD is then ignored; `deno task admin` resets a password).
 * Without ADMIN_PASSWORD a strong random password is generated; the caller prints it
 * once, since nobody could log in otherwise. Two instances starting together create one
 * admin: only the one whose insert landed reports it (and its password).
 */
export async function seedFirstAdmin(
  db: Database,
  options: { username: string; password?: string; now: number },
): Promise<SeedOutcome> {
  const passwordIgnored = options.password !== undefined;
  if (await adminExists(db)) return { created: false, passwordIgnored };
  const password = options.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const inserted = await db.insert(users).values({
    id: newId(options.now),
    type: "admin",
    username: options.username,
    passwordHash,
    createdAt: options.now,
  }).onConflictDoNothing().returning({ id: users.id });
  if (inserted.length === 0) return { created: false, passwordIgnored };
  return {
    created: true,
    username: options.username,
    generatedPassword: options.password === undefined ? password : undefined,
  };
}

async function adminExists(db: Database): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.type, "admin"))
    .limit(1);
  return rows.length > 0;
}

/** A random password of 24 URL-safe characters (18 random bytes). */
export function generatePassword(): string {
  return randomToken(18);
}
