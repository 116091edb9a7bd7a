import { eq } from "drizzle-orm";
import { hashPassword } from "../../auth/passwords.ts";
import { newId } from "../../core/ids.ts";
import type { Logger } from "../../core/log.ts";
import type { Database } from "../../db/client.ts";
import { users } from "../../db/schema/index.ts";

/**
 * Creates the first admin when no admin exists (account.md §11). An existing admin is
 * never changed. Without ADMIN_PASSWORD a strong random password is generated and
 * printed once, since nobody could log in otherwise.
 */
export async function seedFirstAdmin(
  db: Database,
  options: { username: string; password?: string; now: number; log: Logger },
): Promise<void> {
  const existing = await db.select({ id: users.id }).from(users).where(eq(users.type, "admin"))
    .limit(1);
  if (existing.length > 0) return;
  const password = options.password ?? generatePassword();
  await db.insert(users).values({
    id: newId(options.now),
    type: "admin",
    username: options.username,
    passwordHash: await hashPassword(password),
    createdAt: options.now,
  }).onConflictDoNothing();
  options.log.info("first admin created", { username: options.username });
  if (options.password === undefined) {
    // Printed once, on the console only: not a log line, so log shipping never stores it.
    console.log(`\nFirst admin created: username "${options.username}", password "${password}"\n`);
  }
}

function generatePassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
}
