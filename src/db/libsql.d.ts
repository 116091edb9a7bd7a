/**
 * The part of the `libsql` package (the native driver under @libsql/client) that
 * connection.ts uses. Its own typings reference Node's global types, which clash with
 * Deno's, so these stand in for them.
 */

/** A prepared statement. */
export interface Statement {
  readonly reader: boolean;
  raw(toggle?: boolean): this;
  safeIntegers(toggle?: boolean): this;
  columns(): { name: string; type: string | null }[];
  all(args: unknown[] | Record<string, unknown>): unknown[];
  run(
    args: unknown[] | Record<string, unknown>,
  ): { changes: number; lastInsertRowid: number | bigint };
}

/** An open connection to a local database file. */
declare class Database {
  constructor(path: string, options?: Record<string, unknown>);
  readonly inTransaction: boolean;
  prepare(sql: string): Statement;
  exec(sql: string): void;
  close(): void;
  static SqliteError: new (message: string, code: string, rawCode?: number) => Error;
}

export default Database;
