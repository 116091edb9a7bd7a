import {
  type Client,
  createClient,
  type InArgs,
  type InStatement,
  LibsqlError,
  type Transaction as LibsqlTransaction,
  type TransactionMode,
} from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { setImmediate } from "node:timers";
import { fileURLToPath } from "node:url";
import { Connection } from "./connection.ts";
import * as schema from "./schema/index.ts";

/** The drizzle handle every module receives. */
export type Database = LibSQLDatabase<typeof schema>;

/** A drizzle transaction, accepted wherever an `Executor` is. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Either the database or an open transaction. */
export type Executor = Database | Transaction;

/** One argument of a fixed-text statement. */
export type SqlValue = string | number | bigint | null;

/**
 * Runs one statement of fixed text with plain `?` placeholders and returns its rows as
 * arrays of values by position, on the connection `db` runs on: inside a transaction, the
 * transaction's. The hot paths use it instead of drizzle's builder: fixed text means the
 * local connection prepares it once and reuses it (connection.ts), and no query is built.
 */
export async function sqlRows(
  db: Executor,
  text: string,
  args: readonly SqlValue[],
): Promise<ArrayLike<unknown>[]> {
  const result = await driverOf(db).execute({ sql: text, args: args as SqlValue[] });
  return result.rows;
}

/**
 * The driver handle under a drizzle database or transaction: drizzle keeps it on its
 * session (`tx` inside a transaction, `client` otherwise) and runs every query there.
 */
function driverOf(db: Executor): Pick<Client, "execute"> {
  const session = (db as unknown as { session: { client: Client; tx?: LibsqlTransaction } })
    .session;
  return session.tx ?? session.client;
}

/** An open database: the drizzle handle plus the client to close it with. */
export interface DatabaseHandle {
  db: Database;
  client: Client;
  close(): void;
}

const MIGRATIONS_DIR = fileURLToPath(new URL("../../drizzle", import.meta.url));

/**
 * Opens a local file or a remote libSQL database (`file:`, `libsql://`, `http(s)://`).
 * Local files use WAL so readers never wait for writers, and are created owner-only.
 */
export async function openDatabase(url: string, authToken?: string): Promise<DatabaseHandle> {
  const path = localDatabasePath(url);
  if (path !== undefined) await createOwnerOnly(path);
  const client = path !== undefined
    ? await concurrencySafe(url, path)
    : createClient({ url, authToken });
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

/**
 * One turn of the event loop. The local driver answers synchronously (its promises settle
 * as microtasks), so a loop of writes would otherwise starve timers and I/O, other
 * requests included, for as long as it runs.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A first-come, first-served lock for the single writer a SQLite file allows. */
class WriterQueue {
  private tail: Promise<void> = Promise.resolve();

  /** Waits for the lock (after one turn of the event loop); the returned function releases it. */
  async acquire(): Promise<() => void> {
    await nextTurn();
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
 * new connection per transaction and never release its file descriptors. Both
 * connections keep their prepared statements (see connection.ts).
 */
async function concurrencySafe(url: string, path: string): Promise<Client> {
  const main = new Connection(path);
  const transactions = new Connection(path);
  for (const connection of [main, transactions]) {
    connection.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // In WAL mode NORMAL never corrupts; it may lose the last commits on power loss.
    connection.execute("PRAGMA synchronous = NORMAL");
  }
  main.execute("PRAGMA journal_mode = WAL");
  const writers = writerQueues.get(url) ?? writerQueues.set(url, new WriterQueue()).get(url)!;
  let closed = false;
  const open = () => {
    if (closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED");
  };
  const write = <T>(work: () => T) =>
    writers.run(() => {
      open();
      return Promise.resolve(work());
    });

  const client = {
    protocol: "file",
    get closed() {
      return closed;
    },
    execute(stmt: InStatement, args?: InArgs) {
      const statement = typeof stmt === "string" ? { sql: stmt, args: args ?? [] } : stmt;
      if (WRITE_STATEMENT.test(sqlOf(statement))) return write(() => main.execute(statement));
      try {
        open();
        return Promise.resolve(main.execute(statement));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    batch: (stmts: InStatement[], mode: TransactionMode = "deferred") =>
      write(() => atomically(main, BEGIN[mode], stmts)),
    migrate: (stmts: InStatement[]) =>
      write(() => {
        main.execute("PRAGMA foreign_keys=off");
        try {
          return atomically(main, BEGIN.deferred, stmts);
        } finally {
          main.execute("PRAGMA foreign_keys=on");
        }
      }),
    executeMultiple: (sql: string) =>
      write(() => {
        try {
          main.executeMultiple(sql);
        } finally {
          if (main.inTransaction) main.execute("ROLLBACK");
        }
      }),
    transaction: async (mode: TransactionMode = "write") => {
      const release = await writers.acquire();
      try {
        open();
        transactions.execute(mode === "read" ? "BEGIN" : "BEGIN IMMEDIATE");
      } catch (error) {
        release();
        throw error;
      }
      let active = true;
      const finish = (statement: "COMMIT" | "ROLLBACK") => {
        if (!active) return;
        active = false;
        try {
          transactions.execute(statement);
        } catch (error) {
          if (statement === "COMMIT") {
            try {
              transactions.execute("ROLLBACK");
            } catch {
              // the commit's error is the one to report
            }
          }
          throw error;
        } finally {
          release();
        }
      };
      return {
        execute: (stmt: InStatement) => run(() => transactions.execute(stmt)),
        batch: (stmts: InStatement[]) => run(() => stmts.map((s) => transactions.execute(s))),
        executeMultiple: (sql: string) => run(() => transactions.executeMultiple(sql)),
        commit: () => run(() => finish("COMMIT")),
        rollback: () => run(() => finish("ROLLBACK")),
        close: () => void run(() => finish("ROLLBACK")).catch(() => {}),
        get closed() {
          return !active;
        },
      } as unknown as LibsqlTransaction;
    },
    sync: () => Promise.resolve(undefined),
    reconnect: () => Promise.resolve(),
    close: () => {
      if (closed) return;
      closed = true;
      main.close();
      transactions.close();
    },
  };
  return await Promise.resolve(client as unknown as Client);
}

const BEGIN: Record<TransactionMode, string> = {
  write: "BEGIN IMMEDIATE",
  read: "BEGIN TRANSACTION READONLY",
  deferred: "BEGIN DEFERRED",
};

/** A synchronous step as a promise (its throw becomes a rejection). */
function run<T>(step: () => T): Promise<T> {
  try {
    return Promise.resolve(step());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Statements in one transaction on `connection`, all or nothing (the stock `batch`). */
function atomically(connection: Connection, begin: string, stmts: InStatement[]) {
  connection.execute(begin);
  try {
    const results = stmts.map((stmt) => {
      if (!connection.inTransaction) {
        throw new LibsqlError("The transaction has been rolled back", "TRANSACTION_CLOSED");
      }
      return connection.execute(stmt);
    });
    connection.execute("COMMIT");
    return results;
  } finally {
    if (connection.inTransaction) connection.execute("ROLLBACK");
  }
}

/**
 * The file behind a `file:` database URL (`file:rel/path`, `file:/abs`, `file:///abs`), or
 * undefined for a remote libSQL URL. The one reading of such a URL: the file the service
 * creates owner-only and opens, and the one the operator scripts check, back up and restore.
 */
export function localDatabasePath(url: string): string | undefined {
  if (!url.startsWith("file:")) return undefined;
  const rest = url.slice("file:".length);
  if (!rest.startsWith("//")) return decodeURIComponent(rest);
  const parsed = new URL(url);
  if (parsed.host !== "" && parsed.host !== "localhost") {
    throw new LibsqlError(`Invalid host in file URL: ${parsed.host}`, "URL_INVALID");
  }
  return decodeURIComponent(parsed.pathname);
}

/**
 * Creates a missing database file empty (SQLite's new database) and readable by the
 * service's user only (0600), in directories made 0700. SQLite gives the `-wal` and `-shm`
 * files it creates next to it the database file's permissions. An existing file is left
 * as it is.
 */
async function createOwnerOnly(path: string): Promise<void> {
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true, mode: 0o700 });
  try {
    await Deno.writeFile(path, new Uint8Array(), { createNew: true, mode: 0o600 });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
}
