import { type InStatement, type InValue, LibsqlError, type ResultSet } from "@libsql/client";
// @ts-types="./libsql.d.ts"
import Database, { type Statement } from "libsql";
import { Buffer } from "node:buffer";

/** How many prepared statements one connection keeps (oldest dropped first). */
export const STATEMENT_CACHE_SIZE = 500;

/** A statement prepared once and run again and again with new arguments. */
interface Prepared {
  statement: Statement;
  /** Plain `?` placeholders in the text; -1 with numbered or named ones. */
  placeholders: number;
  reader: boolean;
  columns: string[];
  columnTypes: string[];
  /** Row shape: index getters and `length` on a shared prototype. */
  proto: object;
  /** The own, enumerable name of each column (undefined for a repeated name). */
  names: (string | undefined)[];
}

/** Where a row keeps its values by position (not enumerable by Object.keys). */
const VALUES = Symbol("values");

type RowValues = { [VALUES]: unknown[] };

/**
 * One local SQLite connection (the `libsql` package @libsql/client runs on) that keeps its
 * prepared statements: the stock client prepares every statement anew, reads each
 * statement's columns twice and builds every row with one `defineProperty` per cell.
 * Results have the stock shape: rows answer by position (`row[0]`, `length`, what
 * drizzle reads) and by column name (own enumerable properties), integers come back as
 * numbers and an integer beyond 2^53 is a RangeError, errors are `LibsqlError`s.
 *
 * A statement is reused only when its arguments bind every placeholder (plain `?`s
 * counted in its text): SQLite keeps earlier bindings, so a short argument list on a
 * reused statement would bind stale values where a fresh statement binds NULL.
 */
export class Connection {
  private readonly db: Database;
  private readonly statements = new Map<string, Prepared>();

  constructor(readonly path: string) {
    try {
      this.db = new Database(path);
    } catch (error) {
      throw mapError(error);
    }
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  /** Runs one statement (a string or `{sql, args}`), as the stock client's `execute`. */
  execute(stmt: InStatement): ResultSet {
    const sql = typeof stmt === "string" ? stmt : stmt.sql;
    const given = typeof stmt === "string" ? [] : stmt.args ?? [];
    try {
      const args = Array.isArray(given) ? given.map(toSql) : namedArgs(given);
      const prepared = this.prepare(sql, args);
      if (!prepared.reader) {
        const info = prepared.statement.run(args);
        if (SCHEMA_CHANGE.test(sql)) this.statements.clear();
        return resultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
      }
      const raw = prepared.statement.all(args) as unknown[][];
      if (raw.length > 0 && raw[0].length !== prepared.columns.length) {
        // Another process changed the schema and SQLite re-prepared with new columns.
        Object.assign(prepared, describe(prepared.statement));
      }
      const { proto, names } = prepared;
      const rows = new Array(raw.length);
      for (let r = 0; r < raw.length; r++) {
        const values = raw[r];
        const row = Object.create(proto) as RowValues & Record<string, unknown>;
        row[VALUES] = values;
        for (let i = 0; i < values.length; i++) {
          const value = values[i];
          if (typeof value === "bigint") values[i] = fromBigint(value);
          else if (value instanceof Buffer) values[i] = arrayBufferOf(value);
          const name = names[i];
          if (name !== undefined) row[name] = values[i];
        }
        rows[r] = row;
      }
      return resultSet(prepared.columns, prepared.columnTypes, rows, 0, undefined);
    } catch (error) {
      throw mapError(error);
    }
  }

  /** Runs a script of several statements (no results). */
  executeMultiple(sql: string): void {
    this.statements.clear();
    try {
      this.db.exec(sql);
    } catch (error) {
      throw mapError(error);
    }
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }

  private prepare(sql: string, args: unknown[] | Record<string, unknown>): Prepared {
    const cached = this.statements.get(sql);
    if (cached) {
      // Only statements whose every placeholder is a plain `?` are ever kept.
      return Array.isArray(args) && cached.placeholders === args.length ? cached : this.fresh(sql);
    }
    const prepared = this.fresh(sql);
    if (Array.isArray(args) && prepared.placeholders === args.length) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) {
        this.statements.delete(this.statements.keys().next().value!);
      }
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  private fresh(sql: string): Prepared {
    const statement = this.db.prepare(sql);
    statement.safeIntegers(true);
    const reader = statement.reader;
    const counted = placeholders(sql);
    if (!reader) {
      return {
        statement,
        placeholders: counted,
        reader,
        columns: [],
        columnTypes: [],
        proto: {},
        names: [],
      };
    }
    statement.raw(true);
    return { statement, placeholders: counted, reader, ...describe(statement) };
  }
}

/** The result columns of a reader statement and the shape of its rows. */
function describe(statement: Statement) {
  const described = statement.columns();
  const columns = described.map((column) => column.name);
  const proto = {};
  columns.forEach((_, i) =>
    Object.defineProperty(proto, i, {
      get(this: RowValues) {
        return this[VALUES][i];
      },
    })
  );
  Object.defineProperty(proto, "length", { value: columns.length });
  return {
    columns,
    columnTypes: described.map((column) => column.type ?? ""),
    proto,
    names: columns.map((name, i) => columns.indexOf(name) === i ? name : undefined),
  };
}

/** DDL makes SQLite re-prepare statements with new columns: start the cache afresh. */
const SCHEMA_CHANGE = /^\s*(create|alter|drop)\b/i;

/**
 * The number of plain `?` placeholders in a statement, or -1 when it has numbered or named
 * ones (never reused then). Quotes, identifiers and comments are skipped.
 */
export function placeholders(sql: string): number {
  let count = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === "`" || c === "[") {
      const close = c === "[" ? "]" : c;
      i = sql.indexOf(close, i + 1);
      if (i < 0) break;
    } else if (c === "-" && sql[i + 1] === "-") {
      i = sql.indexOf("\n", i);
      if (i < 0) break;
    } else if (c === "/" && sql[i + 1] === "*") {
      i = sql.indexOf("*/", i + 2);
      if (i < 0) break;
      i++;
    } else if (c === "?") {
      if (/[0-9]/.test(sql[i + 1] ?? "")) {
        count = -1;
        break;
      }
      count++;
    } else if ((c === ":" || c === "@" || c === "$") && /[A-Za-z_]/.test(sql[i + 1] ?? "")) {
      count = -1;
      break;
    }
  }
  return count;
}

function resultSet(
  columns: string[],
  columnTypes: string[],
  rows: unknown[],
  rowsAffected: number,
  lastInsertRowid: bigint | undefined,
): ResultSet {
  return {
    columns,
    columnTypes,
    rows: rows as ResultSet["rows"],
    rowsAffected,
    lastInsertRowid,
    toJSON() {
      return {
        columns,
        columnTypes,
        rows: rows.map((row) => Array.prototype.slice.call(row)),
        rowsAffected,
        lastInsertRowid: lastInsertRowid?.toString() ?? null,
      };
    },
  };
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER), MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function fromBigint(value: bigint): number {
  if (value < MIN_SAFE || value > MAX_SAFE) {
    throw new RangeError(
      "Received integer which cannot be safely represented as a JavaScript number",
    );
  }
  return Number(value);
}

function arrayBufferOf(value: Buffer): ArrayBuffer {
  return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer;
}

const MIN_INTEGER = -9223372036854775808n, MAX_INTEGER = 9223372036854775807n;

/** An argument as SQLite takes it (the stock client's rules, `intMode: "number"`). */
function toSql(value: InValue | undefined): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
    }
    return value;
  }
  if (typeof value === "bigint") {
    if (value < MIN_INTEGER || value > MAX_INTEGER) {
      throw new RangeError(
        "bigint is too large to be represented as a 64-bit integer and passed as argument",
      );
    }
    return value;
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) {
    throw new TypeError("undefined cannot be passed as argument to the database");
  }
  return value;
}

function namedArgs(args: Record<string, InValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in args) {
    const key = name[0] === "@" || name[0] === "$" || name[0] === ":" ? name.substring(1) : name;
    out[key] = toSql(args[name]);
  }
  return out;
}

function mapError(error: unknown): unknown {
  if (error instanceof Database.SqliteError) {
    const e = error as Error & { code: string; rawCode?: number };
    return new LibsqlError(e.message, e.code, e.rawCode, e);
  }
  return error;
}
