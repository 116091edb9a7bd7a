import { createClient } from "@libsql/client";
import { isAbsolute, resolve } from "node:path";
import { dataKeyPath, type Env, EnvError, loadEnv } from "../src/env.ts";

/**
 * Helpers shared by the backup, restore and crash-test scripts: they work on the
 * service's local SQLite file, never through the HTTP API.
 */

export { localDatabasePath } from "../src/db/client.ts";

/**
 * A path given on the command line, resolved against the directory the user ran
 * `deno task` from (tasks run in the project directory; Deno keeps the caller's in INIT_CWD).
 */
export function argumentPath(path: string): string {
  return isAbsolute(path) ? path : resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), path);
}

/** True when a file exists at the path. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** What a check of a database file found. */
export interface FileCheck {
  /** `ok`, or SQLite's integrity_check messages joined. */
  integrity: string;
  /** Row counts of the main tables (absent tables are left out). */
  rows: Record<string, number>;
}

const COUNTED = [
  "users",
  "institutions",
  "physical_activities",
  "sleep",
  "measurements",
  "daily_logs",
  "environments",
  "wearable_connections",
  "audit_log",
];

/** Runs PRAGMA integrity_check on a file and counts the rows of the main tables. */
export async function checkDatabaseFile(path: string): Promise<FileCheck> {
  const client = createClient({ url: `file:${path}` });
  try {
    const integrity = (await client.execute("PRAGMA integrity_check")).rows
      .map((row) => String(row[0])).join("; ");
    const tables = new Set(
      (await client.execute("SELECT name FROM sqlite_master WHERE type = 'table'")).rows
        .map((row) => String(row[0])),
    );
    const rows: Record<string, number> = {};
    for (const table of COUNTED.filter((name) => tables.has(name))) {
      rows[table] = Number((await client.execute(`SELECT count(*) FROM ${table}`)).rows[0][0]);
    }
    return { integrity, rows };
  } finally {
    client.close();
  }
}

/** Flushes a file to disk and makes it readable by its owner only. */
export async function sealFile(path: string): Promise<void> {
  await Deno.chmod(path, 0o600);
  const file = await Deno.open(path, { read: true, write: true });
  try {
    await file.sync();
  } finally {
    file.close();
  }
}

/**
 * A command's one file argument (resolved, see `argumentPath`) and the service's settings;
 * ends the process with the usage line or the settings error when they are wrong.
 */
export function commandInput(usage: string): { file: string; config: Env } {
  const args = Deno.args.filter((arg) => !arg.startsWith("--"));
  if (args.length !== 1) fail(`usage: ${usage}`, 2);
  try {
    return { file: argumentPath(args[0]), config: loadEnv() };
  } catch (error) {
    if (error instanceof EnvError) fail(error.message);
    throw error;
  }
}

/** Prints a message on stderr and ends the process with `code`. */
export function fail(message: string, code = 1): never {
  console.error(message);
  Deno.exit(code);
}

/** The key files the service keeps beside the database (docs/backup.md). */
export function keyFiles(config: Env): string[] {
  return [
    config.JWT_PRIVATE_KEY_PATH,
    config.JWT_PUBLIC_KEY_PATH,
    config.DATA_ENCRYPTION_KEY ? "DATA_ENCRYPTION_KEY (a setting)" : dataKeyPath(config),
  ];
}
