import { getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { type Executor, sqlRows, type SqlValue } from "../../db/client.ts";

/** Rows per INSERT: 12 columns × 500 stays far below SQLite's 32,766 bound parameters. */
export const INSERT_CHUNK = 500;

/** A table's set-based insert: which columns, and the unique key a duplicate hits. */
export interface InsertManySpec<Row extends { id: string }> {
  table: string;
  /** Column names; `values` gives a row's values in this order. */
  columns: readonly string[];
  /** A row's values as drizzle binds them (JSON columns as `JSON.stringify` text). */
  values: (row: Row) => SqlValue[];
  /** The unique key whose duplicates are refused (the resource's 409), e.g. `child_id, start_time`. */
  conflict: string;
}

/**
 * The set-based insert of a drizzle table: every column, each value mapped as drizzle
 * maps it for an insert (null stays null; JSON columns become `JSON.stringify` text).
 */
export function tableInsert<T extends SQLiteTable>(
  table: T,
  conflict: string,
): InsertManySpec<T["$inferSelect"] & { id: string }> {
  const columns = Object.entries(getTableColumns(table));
  const keys = columns.map(([key]) => key);
  const encoders = columns.map(([, column]) => column);
  return {
    table: getTableName(table),
    columns: encoders.map((column) => column.name),
    values: (row) => {
      const values = new Array<SqlValue>(keys.length);
      for (let i = 0; i < keys.length; i++) {
        const value = (row as Record<string, unknown>)[keys[i]];
        values[i] = value === null || value === undefined
          ? null
          : encoders[i].mapToDriverValue(value) as SqlValue;
      }
      return values;
    },
    conflict,
  };
}

/**
 * Inserts rows in input order, one statement per chunk, skipping each row whose key is
 * already taken (by a stored row or an earlier row of the same call): each row stored,
 * or undefined for a skipped one. Any other failure (another constraint) throws. Values
 * are bound as parameters, so numbers are stored as the same doubles a single insert
 * would store. Statement texts differ only by row count; each is prepared once per
 * connection.
 */
export async function insertMany<Row extends { id: string }>(
  tx: Executor,
  spec: InsertManySpec<Row>,
  rows: readonly Row[],
): Promise<(Row | undefined)[]> {
  const stored = new Set<string>();
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    const returned = await sqlRows(tx, insertText(spec, chunk.length), chunk.flatMap(spec.values));
    for (const row of returned) stored.add(row[0] as string);
  }
  return rows.map((row) => stored.has(row.id) ? row : undefined);
}

/** Statement texts by spec and row count. */
const texts = new WeakMap<object, Map<number, string>>();

function insertText<Row extends { id: string }>(spec: InsertManySpec<Row>, count: number): string {
  const known = texts.get(spec) ?? texts.set(spec, new Map()).get(spec)!;
  let text = known.get(count);
  if (text === undefined) {
    const row = `(${spec.columns.map(() => "?").join(", ")})`;
    text = `INSERT INTO ${spec.table} (${spec.columns.join(", ")}) VALUES ` +
      `${Array(count).fill(row).join(", ")} ` +
      `ON CONFLICT (${spec.conflict}) DO NOTHING RETURNING id`;
    known.set(count, text);
  }
  return text;
}
