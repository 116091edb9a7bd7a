import type { Client } from "@libsql/client";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.ts";

/**
 * The database side of the property suite: a checksum of every table (computed inside
 * SQLite with `sha3_query`, so it stays cheap however many requests run), a snapshot of
 * the populated world and its restoration. Runs on a connection of its own to the app's
 * file; it shares the app's writer queue, so restores never meet the app's writes.
 */

/**
 * What a rejected request may legitimately write, left out of the checksum:
 * - `audit_log`: the audit trail records refused writes and reads on purpose (who tried
 *   what, with the status), so every request, rejected or not, may append a row;
 * - `sqlite_sequence`'s row for `audit_log`: its AUTOINCREMENT counter, moved by those rows;
 * - `rate_limit_windows` rows keyed `login:…`: the login throttle counts failed logins
 *   (401 answers) per username and per address by design (issue 10, finding 7).
 * Every other row of every table is covered, so another counter moved by a rejected
 * request (a wearable call budget, a sync limit) is a failure.
 */
const EXCLUDED = {
  tables: new Set(["audit_log"]),
  rows: {
    sqlite_sequence: `name <> 'audit_log'`,
    rate_limit_windows: `key NOT LIKE 'login:%'`,
  } as Record<string, string>,
};

/** Tables restored from the snapshot: what requests may change, less the audit trail. */
const NEVER_RESTORED = new Set(["audit_log", "sqlite_sequence", "__drizzle_migrations"]);

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The covered rows of a table, as a query (`schema`: `main` or the snapshot). */
function coveredRows(table: string, schema = "main"): string {
  const where = EXCLUDED.rows[table];
  return `SELECT * FROM ${schema}.${quote(table)}${where ? ` WHERE ${where}` : ""}`;
}

/** The checksum of the app's database, its snapshot and the way back to it. */
export class DatabaseState {
  private constructor(
    private readonly handle: DatabaseHandle,
    private readonly tables: string[],
    /** The checksum of the snapshot, taken when it was made. */
    readonly snapshotSum: string,
  ) {}

  /**
   * Opens a connection to the database at `url` and snapshots it into `snapshotFile`
   * (`VACUUM INTO`: a consistent copy), attached as the schema `snapshot`.
   */
  static async open(url: string, snapshotFile: string): Promise<DatabaseState> {
    const handle = await openDatabase(url);
    const client = handle.client;
    const rows = await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    );
    const tables = rows.rows.map((row) => String(row.name)).filter((name) =>
      !EXCLUDED.tables.has(name)
    );
    await client.execute({ sql: "VACUUM INTO ?", args: [snapshotFile] });
    await client.execute({ sql: "ATTACH DATABASE ? AS snapshot", args: [snapshotFile] });
    return new DatabaseState(handle, tables, await sum(client, tables));
  }

  /** The checksum of the covered rows of every table, now. */
  checksum(): Promise<string> {
    return sum(this.handle.client, this.tables);
  }

  /** Puts every table but the audit trail back as it was in the snapshot, in one transaction. */
  async restore(): Promise<void> {
    const statements = this.tables.filter((table) => !NEVER_RESTORED.has(table)).flatMap((
      table,
    ) => [
      `DELETE FROM main.${quote(table)}`,
      `INSERT INTO main.${quote(table)} SELECT * FROM snapshot.${quote(table)}`,
    ]);
    await this.handle.client.batch(statements, "write");
  }

  /**
   * What differs from the snapshot, table by table: how many covered rows were added
   * and removed, with a few of them (to say what a rejected request wrote).
   */
  async differences(): Promise<string[]> {
    const client = this.handle.client;
    const found: string[] = [];
    for (const table of this.tables) {
      const now = coveredRows(table), before = coveredRows(table, "snapshot");
      const added = await client.execute(`${now} EXCEPT ${before}`);
      const removed = await client.execute(`${before} EXCEPT ${now}`);
      if (added.rows.length === 0 && removed.rows.length === 0) continue;
      const show = (rows: typeof added.rows) =>
        rows.slice(0, 3).map((row) => JSON.stringify(row, jsonSafe)).join(", ");
      found.push(
        `${table}: +${added.rows.length} ${show(added.rows)} / -${removed.rows.length} ${
          show(removed.rows)
        }`,
      );
    }
    return found;
  }

  /** Detaches the snapshot and closes this connection (the app's stays open). */
  close(): void {
    this.handle.close();
  }
}

async function sum(client: Client, tables: string[]): Promise<string> {
  const queries = tables.map((table) => coveredRows(table)).join("; ");
  const result = await client.execute({ sql: "SELECT hex(sha3_query(?)) AS sum", args: [queries] });
  return String(result.rows[0].sum);
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof ArrayBuffer) return `<${value.byteLength} bytes>`;
  return typeof value === "bigint" ? String(value) : value;
}
