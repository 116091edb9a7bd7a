import { type Executor, sqlRows, type SqlValue } from "../../db/client.ts";

/** Rows per INSERT: 12 columns × 500 stays far below SQLite's 32,766 bound parameters. */
export const INSERT_CHUNK = 500;

/** A table's set-based insert: which columns, and the unique key a duplicate hits. */
export interface InsertManySpec {
  table: string;
  /** Column names, `id` first; each row gives its values in this order. */
  columns: readonly string[];
  /** The unique key whose duplicates are refused (the resource's 409), e.g. `child_id, start_time`. */
  conflict: string;
}

/**
 * Inserts rows in input order, one statement per chunk, skipping each row whose key is
 * already taken (by a stored row or an earlier row of the same call), and returns the
 * ids stored. Any other failure (another constraint) throws. Values are bound as
 * parameters, so numbers are stored as the same doubles a single insert would store.
 * Statement texts differ only by row count, and each is prepared once per connection.
 */
export async function insertMany(
  tx: Executor,
  spec: InsertManySpec,
  rows: readonly (readonly SqlValue[])[],
): Promise<Set<string>> {
  const stored = new Set<string>();
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    const returned = await sqlRows(tx, insertText(spec, chunk.length), chunk.flat());
    for (const row of returned) stored.add(row[0] as string);
  }
  return stored;
}

const texts = new WeakMap<InsertManySpec, Map<number, string>>();

function insertText(spec: InsertManySpec, count: number): string {
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
