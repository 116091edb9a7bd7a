/**
 * `deno task restore <file>`: puts a backup made by `deno task backup` in place of the
 * service's database (docs/backup.md). Safe by default:
 * - the backup is copied first and the copy checked (integrity, an OCARIoT database, not
 *   made by a newer version than this code); the backup file itself is never changed;
 * - it refuses while any process has the database open (the service, another instance,
 *   a shell): SQLite lets a connection leave WAL mode only when it is the only one, and
 *   that is the test. There is no flag to override it: restoring under a running service
 *   would mix its in-flight writes and leases with the restored state. Stop the service;
 * - the database it replaces is kept beside it (`<db>.before-restore-<time>`), never
 *   deleted.
 * It also checks that the current data key opens the backup's sealed wearable tokens.
 */
import { createClient } from "@libsql/client";
import { dirname } from "node:path";
import { dataKeyPath } from "../src/env.ts";
import { DataCipher, importDataKey } from "../src/wearables/secrets.ts";
import { openTokens } from "../src/wearables/store/sealing.ts";
import {
  checkDatabaseFile,
  commandInput,
  exists,
  fail,
  type FileCheck,
  localDatabasePath,
  sealFile,
} from "./db-file.ts";

const JOURNAL = new URL("../drizzle/meta/_journal.json", import.meta.url);

/** A refusal explained in one message (nothing was changed). */
export class RestoreError extends Error {}

/** What a restore did. */
export interface RestoreResult extends FileCheck {
  database: string;
  /** Where the replaced database was kept, if there was one. */
  keptAside?: string;
}

/** Restores `backup` as the database at `url` (see the module comment). */
export async function restoreDatabase(url: string, backup: string): Promise<RestoreResult> {
  const target = localDatabasePath(url);
  if (target === undefined) {
    throw new RestoreError(
      "DATABASE_URL is a remote libSQL database: restore it with the server's own tools.",
    );
  }
  if (!await exists(backup)) throw new RestoreError(`There is no backup at ${backup}.`);
  await Deno.mkdir(dirname(target), { recursive: true });
  const incoming = `${target}.restoring-${crypto.randomUUID()}`;
  await Deno.copyFile(backup, incoming);
  try {
    await sealFile(incoming);
    const check = await verifyBackup(incoming);
    const keptAside = await moveAsideUnlessOpen(target);
    await Deno.rename(incoming, target);
    return { database: target, keptAside, ...check };
  } catch (error) {
    await Deno.remove(incoming).catch(() => {});
    throw error;
  }
}

/** Integrity, the service's tables, and a schema no newer than this code's migrations. */
async function verifyBackup(path: string): Promise<FileCheck> {
  const check = await checkDatabaseFile(path).catch((error) => {
    throw new RestoreError(`The backup is not a readable SQLite database (${error.message}).`);
  });
  if (check.integrity !== "ok") {
    throw new RestoreError(`The backup failed its integrity check: ${check.integrity}`);
  }
  const client = createClient({ url: `file:${path}` });
  try {
    const migrations = await client.execute(
      "SELECT max(created_at) FROM __drizzle_migrations",
    ).catch(() => undefined);
    if (!migrations || !("users" in check.rows)) {
      throw new RestoreError("The backup is not an OCARIoT database (no users or migrations).");
    }
    const backupSchema = Number(migrations.rows[0][0]);
    const journal = JSON.parse(await Deno.readTextFile(JOURNAL));
    const codeSchema = Math.max(...journal.entries.map((entry: { when: number }) => entry.when));
    if (backupSchema > codeSchema) {
      throw new RestoreError(
        "The backup was made by a newer version of the service (its schema has migrations " +
          "this code does not know); restore it with that version.",
      );
    }
  } finally {
    client.close();
  }
  return check;
}

/**
 * Moves the current database (if any) aside, after making sure no other connection has
 * it open: leaving WAL mode needs the only connection, and folds the WAL into the file,
 * so the file moved aside is complete on its own.
 */
async function moveAsideUnlessOpen(target: string): Promise<string | undefined> {
  if (!await exists(target)) return undefined;
  const client = createClient({ url: `file:${target}` });
  try {
    await client.execute("PRAGMA busy_timeout = 0");
    await client.execute("PRAGMA journal_mode = DELETE");
  } catch {
    throw new RestoreError(
      `The database ${target} is open in another process (the service is probably running). ` +
        "Stop every instance of the service, then run the restore again.",
    );
  } finally {
    client.close();
  }
  const aside = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  await Deno.rename(target, aside);
  for (const suffix of ["-wal", "-shm"]) await Deno.remove(`${target}${suffix}`).catch(() => {});
  return aside;
}

/**
 * Whether the configured data key opens the restored wearable tokens: `ok`, `none` (no
 * connection to check), or `fails` (the key differs from the one that sealed them).
 */
export async function dataKeyOpensTokens(
  databasePath: string,
  key: string | undefined,
): Promise<"ok" | "none" | "fails"> {
  const client = createClient({ url: `file:${databasePath}` });
  try {
    const rows = (await client.execute(
      "SELECT provider, child_id, tokens, expires_at FROM wearable_connections LIMIT 1",
    )).rows;
    if (rows.length === 0) return "none";
    if (key === undefined) return "fails";
    const [row] = rows;
    await openTokens(new DataCipher(await importDataKey(key)), {
      provider: String(row.provider),
      childId: String(row.child_id),
      tokens: String(row.tokens),
      expiresAt: Number(row.expires_at),
    });
    return "ok";
  } catch {
    return "fails";
  } finally {
    client.close();
  }
}

async function readKey(configured: string | undefined, path: string) {
  if (configured) return configured;
  return await Deno.readTextFile(path).catch(() => undefined);
}

async function main() {
  const { file, config } = commandInput("deno task restore <file>");
  let result;
  try {
    result = await restoreDatabase(config.DATABASE_URL, file);
  } catch (error) {
    if (error instanceof RestoreError) fail(error.message);
    throw error;
  }
  console.log(`Restored ${file} as ${result.database} (integrity ok).`);
  console.log(`Rows: ${JSON.stringify(result.rows)}`);
  if (result.keptAside) console.log(`The database it replaced is kept at ${result.keptAside}.`);
  const key = await readKey(config.DATA_ENCRYPTION_KEY, dataKeyPath(config));
  if (await dataKeyOpensTokens(result.database, key) === "fails") {
    console.warn(
      "Warning: the current data key does not open this backup's wearable tokens. Put back " +
        "the data key saved with the backup (DATA_DIR/keys/data.key or DATA_ENCRYPTION_KEY), " +
        "or the children will have to connect their wearables again.",
    );
  }
}

if (import.meta.main) await main();
