/**
 * `deno task backup <file> [--force]`: a consistent copy of the service's database, taken
 * while the service runs and writes (docs/backup.md). It uses SQLite's `VACUUM INTO`
 * through the service's own database client: one read transaction, so the copy is the
 * database exactly as of one commit, and writers are never blocked (WAL). The copy is
 * written beside the target, checked (`PRAGMA integrity_check`), made owner-only (0600)
 * and only then renamed into place, so a failed backup never leaves a half file under
 * the target's name. An existing target is replaced only with `--force`.
 */
import { dirname } from "node:path";
import { openDatabase } from "../src/db/client.ts";
import {
  checkDatabaseFile,
  commandInput,
  exists,
  fail,
  type FileCheck,
  keyFiles,
  localDatabasePath,
  sealFile,
} from "./db-file.ts";

/** What a backup produced. */
export interface BackupResult extends FileCheck {
  file: string;
  bytes: number;
}

/** Copies the database at `url` into `target` (see the module comment). */
export async function backupDatabase(
  url: string,
  target: string,
  options: { force?: boolean } = {},
): Promise<BackupResult> {
  const source = localDatabasePath(url);
  if (source === undefined) {
    throw new BackupError(
      "DATABASE_URL is a remote libSQL database: back it up with the server's own tools " +
        "(this command copies a local SQLite file).",
    );
  }
  if (!await exists(source)) throw new BackupError(`There is no database at ${source}.`);
  if (!options.force && await exists(target)) {
    throw new BackupError(`${target} already exists; pass --force to replace it.`);
  }
  await Deno.mkdir(dirname(target), { recursive: true });
  const partial = `${target}.partial-${crypto.randomUUID()}`;
  const database = await openDatabase(url);
  try {
    await database.client.execute({ sql: "VACUUM INTO ?", args: [partial] });
  } finally {
    database.close();
  }
  try {
    await sealFile(partial);
    const check = await checkDatabaseFile(partial);
    if (check.integrity !== "ok") {
      throw new BackupError(`The copy failed its integrity check: ${check.integrity}`);
    }
    await Deno.rename(partial, target);
    return { file: target, bytes: (await Deno.stat(target)).size, ...check };
  } catch (error) {
    await Deno.remove(partial).catch(() => {});
    throw error;
  }
}

/** A refusal or failure explained in one message. */
export class BackupError extends Error {}

async function main() {
  const { file, config } = commandInput("deno task backup <file> [--force]");
  try {
    const result = await backupDatabase(config.DATABASE_URL, file, {
      force: Deno.args.includes("--force"),
    });
    console.log(`Backup written: ${result.file} (${result.bytes} bytes, integrity ok)`);
    console.log(`Rows: ${JSON.stringify(result.rows)}`);
    console.log(
      "Keep these with it, stored apart from the backup (without the data key the " +
        `wearable tokens in it cannot be opened): ${keyFiles(config).join(", ")}`,
    );
  } catch (error) {
    if (error instanceof BackupError) fail(error.message);
    throw error;
  }
}

if (import.meta.main) await main();
