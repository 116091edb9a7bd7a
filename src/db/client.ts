import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { fileURLToPath } from "node:url";
import * as schema from "./schema/index.ts";

/** The drizzle handle every module receives. */
export type Database = LibSQLDatabase<typeof schema>;

/** A drizzle transaction, accepted wherever an `Executor` is. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Either the database or an open transaction. */
export type Executor = Database | Transaction;

/** An open database: the drizzle handle plus the client to close it with. */
export interface DatabaseHandle {
  db: Database;
  client: Client;
  close(): void;
}

const MIGRATIONS_DIR = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** How long a statement keeps retrying while another connection holds the write lock. */
const BUSY_RETRY_MS = 10_000;

/**
 * Opens a local file or a remote libSQL database (`file:`, `libsql://`, `http(s)://`).
 * Local files use WAL so readers never wait for writers.
 */
export async function openDatabase(url: string, authToken?: string): Promise<DatabaseHandle> {
  const local = url.startsWith("file:");
  if (local) await ensureParentDir(url.slice("file:".length));
  const client = local ? retryWhenBusy(createClient({ url })) : createClient({ url, authToken });
  if (local) {
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = NORMAL");
  }
  const db = drizzle(client, { schema });
  return { db, client, close: () => client.close() };
}

/** Applies the migrations in drizzle/ (idempotent; safe with other instances running). */
export async function migrateDatabase(db: Database): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
}

/**
 * The local driver is synchronous: a busy timeout inside SQLite would block the event
 * loop, and with it the very transaction holding the lock. So SQLite answers BUSY at
 * once (no busy timeout) and the statement, batch or BEGIN IMMEDIATE is retried here
 * after an asynchronous pause, letting the lock holder in this or another process finish.
 * Statements inside a transaction never need this: its BEGIN IMMEDIATE took the lock.
 */
function retryWhenBusy(client: Client): Client {
  const retried = <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
  async (
    ...args: A
  ): Promise<R> => {
    const deadline = Date.now() + BUSY_RETRY_MS;
    for (let pause = 1;; pause = Math.min(pause * 2, 50)) {
      try {
        return await call(...args);
      } catch (error) {
        if (!isBusy(error) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  };
  client.execute = retried(client.execute.bind(client)) as Client["execute"];
  client.batch = retried(client.batch.bind(client)) as Client["batch"];
  client.executeMultiple = retried(client.executeMultiple.bind(client));
  client.migrate = retried(client.migrate.bind(client));
  client.transaction = retried(client.transaction.bind(client)) as Client["transaction"];
  return client;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string; rawCode?: number })?.code ?? "";
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED") ||
    /database is locked/i.test(String((error as Error)?.message));
}

async function ensureParentDir(path: string): Promise<void> {
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
}
