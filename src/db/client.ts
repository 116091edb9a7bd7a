import {
  type Client,
  createClient,
  type InStatement,
  type Transaction as LibsqlTransaction,
  type TransactionMode,
} from "@libsql/client";
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

/**
 * Opens a local file or a remote libSQL database (`file:`, `libsql://`, `http(s)://`).
 * Local files use WAL so readers never wait for writers.
 */
export async function openDatabase(url: string, authToken?: string): Promise<DatabaseHandle> {
  const local = url.startsWith("file:");
  if (local) await ensureParentDir(url.slice("file:".length));
  const client = local ? await concurrencySafe(url) : createClient({ url, authToken });
  const db = drizzle(client, { schema });
  return { db, client, close: () => client.close() };
}

/** How long start-up keeps retrying migrations while another instance applies them. */
const MIGRATION_DEADLINE_MS = 60_000;

/**
 * Applies the migrations in drizzle/ (idempotent). Instances starting together on one
 * database race here: each reads "not applied" and runs the pending migrations in a
 * transaction; the first commits, the others fail ("table exists", or busy while the first
 * holds the write lock) and roll back. Such a loser retries, and its next round finds the
 * winner's migrations recorded. Any other error, or one lasting past the deadline, throws.
 */
export async function migrateDatabase(db: Database): Promise<void> {
  const deadline = Date.now() + MIGRATION_DEADLINE_MS;
  for (let attempt = 1;; attempt++) {
    try {
      await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
      return;
    } catch (error) {
      if (!isMigrationRace(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * attempt, 500)));
    }
  }
}

/** An error another instance's concurrent migration explains (SQLite or remote libSQL). */
function isMigrationRace(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (/already exists|duplicate column|SQLITE_BUSY|database is locked/i.test(cause.message)) {
      return true;
    }
    if ((cause as { code?: string }).code?.startsWith("SQLITE_BUSY")) return true;
  }
  return false;
}

/** How long one connection waits for another process's write lock before BUSY. */
const BUSY_TIMEOUT_MS = 5_000;
/** How long a write waits for this process's own writer queue before giving up. */
const WRITER_QUEUE_TIMEOUT_MS = 15_000;

/** A first-come, first-served lock for the single writer a SQLite file allows. */
class WriterQueue {
  private tail: Promise<void> = Promise.resolve();

  /** Waits for the lock; the returned function releases it. */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise((resolve) => release = resolve);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error("database writer queue timed out (a write issued inside a transaction?)"),
          ),
        WRITER_QUEUE_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([previous, timeout]);
    } catch (error) {
      // Give our turn away when it comes, so later writers are not stuck behind us.
      previous.then(release);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return release;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

/** One queue per database file, shared by every handle this process opens on it. */
const writerQueues = new Map<string, WriterQueue>();

const WRITE_STATEMENT = /^\s*(insert|update|delete|replace|create|drop|alter|pragma|begin|with)\b/i;
const sqlOf = (stmt: InStatement) => typeof stmt === "string" ? stmt : stmt.sql;

/**
 * Makes a local client safe for concurrent requests. The driver is synchronous, so two
 * writers in one process must never meet inside SQLite: one would wait with the event
 * loop blocked while the other, holding the lock, could not run. So this process's
 * writes (single statements, batches and whole transactions) take turns through a
 * writer queue, while reads go straight through (WAL lets them read the last commit).
 * Between processes SQLite's busy timeout makes the second writer wait briefly.
 * Transactions run on one long-lived second connection: the stock client would open a
 * new connection per transaction and never release its file descriptors.
 */
async function concurrencySafe(url: string): Promise<Client> {
  const main = createClient({ url });
  const transactions = createClient({ url });
  for (const connection of [main, transactions]) {
    await connection.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // In WAL mode NORMAL never corrupts; it may lose the last commits on power loss.
    await connection.execute("PRAGMA synchronous = NORMAL");
  }
  await main.execute("PRAGMA journal_mode = WAL");
  const writers = writerQueues.get(url) ?? writerQueues.set(url, new WriterQueue()).get(url)!;
  const execute = main.execute.bind(main);
  const batch = main.batch.bind(main);
  const executeMultiple = main.executeMultiple.bind(main);
  const migrate = main.migrate.bind(main);
  const close = main.close.bind(main);

  main.execute =
    ((stmt: InStatement, args?: unknown) =>
      WRITE_STATEMENT.test(sqlOf(stmt))
        ? writers.run(() => execute(stmt as never, args as never))
        : execute(stmt as never, args as never)) as Client["execute"];
  main.batch =
    ((stmts: InStatement[], mode?: TransactionMode) =>
      writers.run(() => batch(stmts, mode))) as Client["batch"];
  main.executeMultiple = (sql: string) => writers.run(() => executeMultiple(sql));
  main.migrate = (stmts: InStatement[]) => writers.run(() => migrate(stmts));
  main.close = () => {
    close();
    transactions.close();
  };
  main.transaction = async (mode: TransactionMode = "write") => {
    const release = await writers.acquire();
    try {
      await transactions.execute(mode === "read" ? "BEGIN" : "BEGIN IMMEDIATE");
    } catch (error) {
      release();
      throw error;
    }
    let open = true;
    const finish = async (statement: "COMMIT" | "ROLLBACK") => {
      if (!open) return;
      open = false;
      try {
        await transactions.execute(statement);
      } catch (error) {
        if (statement === "COMMIT") await transactions.execute("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        release();
      }
    };
    return {
      execute: (stmt: InStatement) => transactions.execute(stmt),
      batch: async (stmts: InStatement[]) => {
        const results = [];
        for (const stmt of stmts) results.push(await transactions.execute(stmt));
        return results;
      },
      executeMultiple: (sql: string) => transactions.executeMultiple(sql),
      commit: () => finish("COMMIT"),
      rollback: () => finish("ROLLBACK"),
      close: () => void finish("ROLLBACK"),
      get closed() {
        return !open;
      },
    } as unknown as LibsqlTransaction;
  };
  return main;
}

async function ensureParentDir(path: string): Promise<void> {
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
}
