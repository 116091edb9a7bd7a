/**
 * `deno task admin`: operator commands against the configured database (the same
 * variables as the service: DATA_DIR, DATABASE_URL, DATABASE_AUTH_TOKEN). Safe while the
 * service runs. Every failure is one line on stderr and exit status 1.
 */
import { and, asc, eq } from "drizzle-orm";
import { generatePassword } from "../src/accounts/admin/seed.ts";
import { setPasswordHash } from "../src/accounts/users/users.store.ts";
import { hashPassword } from "../src/auth/passwords.ts";
import { type DatabaseHandle, openDatabase } from "../src/db/client.ts";
import { users } from "../src/db/schema/index.ts";
import { exists, localDatabasePath } from "./db-file.ts";
import { type Env, EnvError, loadEnv, redactDatabaseUrl } from "../src/env.ts";

const USAGE = `Usage: deno task admin <command>

  list                         the admins: username, id, creation date
  reset-password <username>    sets a new password for that admin: the first line of
                               standard input when one is piped in
                               (printf '%s' 'new-pass' | deno task admin reset-password admin),
                               otherwise a generated one, printed once

The database is the service's own: DATA_DIR, DATABASE_URL, DATABASE_AUTH_TOKEN.
Backups: deno task backup <file> (see docs/backup.md).`;

/** A failure whose message is the one line printed. */
class CommandError extends Error {}

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === undefined || command === "help" || command === "--help") {
    console.log(USAGE);
    return;
  }
  if (!["list", "reset-password"].includes(command)) {
    throw new CommandError(`Unknown command "${command}". Run: deno task admin help`);
  }
  const config = configuration();
  const database = await open(config);
  try {
    if (command === "list") await list(database);
    else await resetPassword(database, rest[0]);
  } finally {
    database.close();
  }
}

function configuration(): Env {
  try {
    return loadEnv();
  } catch (error) {
    if (error instanceof EnvError) throw new CommandError(error.message);
    throw error;
  }
}

/** Opens the database without creating it: a typo in DATA_DIR must not make a new one. */
async function open(config: Env): Promise<DatabaseHandle> {
  const shown = redactDatabaseUrl(config.DATABASE_URL);
  const path = localDatabasePath(config.DATABASE_URL);
  if (path !== undefined && !await exists(path)) {
    throw new CommandError(
      `No database at ${path}: start the service once first, or set DATA_DIR or DATABASE_URL to the service's`,
    );
  }
  try {
    const database = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
    await database.db.select({ id: users.id }).from(users).limit(1);
    return database;
  } catch (error) {
    throw new CommandError(`Cannot open the database ${shown}: ${oneLine(error)}`);
  }
}

async function list({ db }: DatabaseHandle): Promise<void> {
  const admins = await db.select({
    id: users.id,
    username: users.username,
    createdAt: users.createdAt,
  }).from(users).where(eq(users.type, "admin")).orderBy(asc(users.createdAt));
  if (admins.length === 0) {
    console.log("No admin yet: the service creates the first one at start.");
    return;
  }
  for (const admin of admins) {
    console.log(`${admin.username}\t${admin.id}\t${new Date(admin.createdAt).toISOString()}`);
  }
}

async function resetPassword({ db }: DatabaseHandle, username: string | undefined) {
  if (!username) throw new CommandError("Which admin? deno task admin reset-password <username>");
  const [admin] = await db.select({ id: users.id }).from(users)
    .where(and(eq(users.type, "admin"), eq(users.username, username))).limit(1);
  if (!admin) {
    const names = (await db.select({ username: users.username }).from(users)
      .where(eq(users.type, "admin"))).map((row) => row.username);
    throw new CommandError(
      `No admin named "${username}" (admins: ${names.join(", ") || "none"})`,
    );
  }
  const given = Deno.stdin.isTerminal() ? undefined : await passwordFromStdin();
  const fromInput = given !== undefined;
  const password = given ?? generatePassword();
  await setPasswordHash(db, admin.id, await hashPassword(password));
  if (fromInput) console.log(`Password of admin "${username}" changed.`);
  else console.log(`Password of admin "${username}" changed to: ${password}`);
}

/** The first line of standard input, without its line break; undefined when empty. */
async function passwordFromStdin(): Promise<string | undefined> {
  const text = await new Response(Deno.stdin.readable).text();
  return text.split(/\r?\n/)[0] || undefined;
}

function oneLine(error: unknown): string {
  let cause = error;
  while (cause instanceof Error && cause.cause !== undefined) cause = cause.cause;
  return (cause instanceof Error ? cause.message : String(cause)).replace(/\s*\n\s*/g, " ");
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (error) {
    console.error(error instanceof CommandError ? error.message : `admin: ${oneLine(error)}`);
    Deno.exit(1);
  }
}
