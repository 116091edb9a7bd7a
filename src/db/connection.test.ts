import { createClient, type InStatement, LibsqlError } from "@libsql/client";
import assert from "node:assert/strict";
import { assertEquals } from "../../test/assert.ts";
import { Connection, placeholders } from "./connection.ts";

/** What a result looks like from outside: rows by position and by name, counts, errors. */
function shape(result: Awaited<ReturnType<Connection["execute"]>>) {
  return {
    columns: result.columns,
    columnTypes: result.columnTypes,
    positions: result.rows.map((row) => Array.prototype.slice.call(row)),
    names: result.rows.map((row) => ({ ...Object.fromEntries(Object.entries(row)) })),
    keys: result.rows.map((row) => Object.keys(row)),
    length: result.rows.map((row) => row.length),
    json: JSON.stringify(result.rows),
    rowsAffected: result.rowsAffected,
    lastInsertRowid: result.lastInsertRowid,
  };
}

async function outcome(run: () => unknown) {
  try {
    return { ok: shape(await run() as Awaited<ReturnType<Connection["execute"]>>) };
  } catch (error) {
    const e = error as LibsqlError;
    return { error: [e.constructor.name, e.name, e.message, e.code] };
  }
}

const SCRIPT: InStatement[] = [
  "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, score REAL, data BLOB, big INTEGER)",
  { sql: "INSERT INTO t (name, score, data, big) VALUES (?, ?, ?, ?)", args: ["a", 1.5, null, 1] },
  { sql: "INSERT INTO t (name, score, data, big) VALUES (?, ?, ?, ?)", args: ["b", 2, null, 2] },
  // The same statement again (reused), then one that breaks the unique index.
  { sql: "INSERT INTO t (name, score, data, big) VALUES (?, ?, ?, ?)", args: ["c", -0.5, null, 3] },
  { sql: "INSERT INTO t (name, score, data, big) VALUES (?, ?, ?, ?)", args: ["a", 0, null, 4] },
  { sql: "SELECT id, name, score FROM t WHERE id > ? ORDER BY id", args: [1] },
  { sql: "SELECT id, name, score FROM t WHERE id > ? ORDER BY id", args: [0] },
  // Fewer arguments than placeholders: a fresh statement binds NULL, never a stale value.
  { sql: "SELECT id, name, score FROM t WHERE id > ? ORDER BY id", args: [] },
  { sql: "SELECT name AS x, score AS x, ? AS y FROM t ORDER BY id", args: [true] },
  { sql: "SELECT count(*) AS n, max(big) AS m FROM t WHERE name IN (?, ?)", args: ["a", "c"] },
  { sql: "SELECT :name AS named", args: { ":name": "v" } },
  { sql: "UPDATE t SET score = score * 2 WHERE name <> ?", args: ["b"] },
  { sql: "DELETE FROM t WHERE name = ? RETURNING id, name", args: ["c"] },
  { sql: "SELECT 9007199254740993 AS unsafe", args: [] },
  { sql: "SELECT ? AS d", args: [new Date(Date.UTC(2025, 0, 1))] },
  { sql: "SELECT * FROM t ORDER BY id", args: [] },
  "ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'x'",
  // After a schema change the same text must show the new column.
  { sql: "SELECT * FROM t ORDER BY id", args: [] },
  { sql: "SELECT nope FROM t", args: [] },
  { sql: "INSERT INTO t (name) VALUES ('q') -- a comment with a ? in it", args: [] },
  { sql: "SELECT ? AS n", args: [Number.NaN] },
];

Deno.test("results, rows and errors are those of the stock client, statement by statement", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ocariot-connection-" });
  const stock = createClient({ url: `file:${dir}/stock.db` });
  const ours = new Connection(`${dir}/ours.db`);
  try {
    for (const [i, stmt] of SCRIPT.entries()) {
      const expected = await outcome(() => stock.execute(stmt));
      const actual = await outcome(() => ours.execute(stmt));
      assertEquals(
        actual,
        expected,
        `statement ${i}: ${typeof stmt === "string" ? stmt : stmt.sql}`,
      );
    }
  } finally {
    stock.close();
    ours.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a failed unique insert is a LibsqlError whose message names the constraint", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ocariot-connection-" });
  const connection = new Connection(`${dir}/db.sqlite`);
  try {
    connection.execute("CREATE TABLE u (k TEXT UNIQUE)");
    const insert = { sql: "INSERT INTO u (k) VALUES (?)", args: ["x"] };
    connection.execute(insert);
    assert.throws(
      () => connection.execute(insert),
      (error: unknown) =>
        error instanceof LibsqlError && /UNIQUE constraint failed: u\.k/.test(error.message),
    );
    // The statement stays usable after its failure.
    assertEquals(connection.execute({ ...insert, args: ["y"] }).rowsAffected, 1);
  } finally {
    connection.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("placeholders are counted outside quotes and comments; named ones are not reused", () => {
  const cases: [string, number][] = [
    ["SELECT ?", 1],
    ["SELECT ?, ? FROM t WHERE a = ?", 3],
    ["SELECT '?' || \"?\" || `?` || [?], ?", 1],
    ["SELECT ? -- ?\n, ? /* ? */", 2],
    ["SELECT json_extract(x, '$.a') FROM t WHERE y = ?", 1],
    ["SELECT ?1", -1],
    ["SELECT :name", -1],
    ["SELECT @name", -1],
    ["SELECT $name", -1],
    ["SELECT 1", 0],
  ];
  for (const [sql, count] of cases) assertEquals(placeholders(sql), count, sql);
});
