import { assertEquals } from "../../../test/assert.ts";
import { migrateDatabase, openDatabase, sqlRows } from "../../db/client.ts";
import { numberJson, storedJson, textJson, utcSecondsJson } from "./json-sql.ts";
import { utcSeconds } from "./time.ts";

/**
 * The values SQLite writes must be what JSON.stringify writes, byte for byte, or NULL
 * (then the JavaScript view answers). Each case below is a value SQLite renders, and the
 * values a wearable commonly sends must not fall back (else the fast path would never be
 * taken). Whole pages and records: json-pages.test.ts.
 */

const dir = await Deno.makeTempDir();
const { db, close } = await openDatabase(`file:${dir}/json.db`);
await migrateDatabase(db);
await sqlRows(db, "CREATE TABLE scratch (r REAL, i INTEGER, t TEXT, j TEXT)", []);

/** Seeded, so a failure names a reproducible case. */
function random(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}
const next = random(7);

async function rendered(expression: string, column: "r" | "i" | "t" | "j", value: unknown) {
  await sqlRows(db, "DELETE FROM scratch", []);
  await sqlRows(db, `INSERT INTO scratch (${column}) VALUES (?)`, [value as string]);
  const [row] = await sqlRows(db, `SELECT ${expression} FROM scratch`, []);
  return row[0] as string | null;
}

const COMMON_NUMBERS = [0, 1, 100, 109, 210.5, 1020.5, 107.25, 0.1, 0.5, 1500.5, 12345.678, 99.99];
const EDGE_NUMBERS = [
  -0,
  0.30000000000000004,
  1e-7,
  0.0001,
  0.00001,
  1e15,
  1e21,
  123456789012345.6,
  9007199254740993,
  5e-324,
  -1.5,
  2 ** 53,
  1 / 3,
  Number.MAX_VALUE,
  // Around the bounds of plain notation: rounding to 15 digits may cross them.
  999999999999999.9,
  99999999999999.98,
  0.0001 * (1 - 2 ** -52),
  0.00010000000000000002,
  -0.00012345,
  12345678901234.5,
];

Deno.test("numberJson: a REAL is JSON.stringify's text or NULL; common values never NULL", async () => {
  const randoms = Array.from({ length: 300 }, (_, i) => {
    const scale = 10 ** Math.floor(next() * 30 - 10);
    const value = (next() - 0.3) * scale;
    return i % 3 === 0 ? Math.round(value * 100) / 100 : value;
  });
  for (const value of [...COMMON_NUMBERS, ...EDGE_NUMBERS, ...randoms]) {
    const text = await rendered(numberJson("r"), "r", value);
    if (text !== null) assertEquals(text, JSON.stringify(value), `REAL ${value}`);
    if (COMMON_NUMBERS.includes(value)) assertEquals(text, JSON.stringify(value));
  }
});

Deno.test("numberJson: an INTEGER within 2^53 is its digits; beyond, NULL", async () => {
  for (const value of [0, 7, -42, 1_800_000, 2 ** 53 - 1, -(2 ** 53 - 1)]) {
    assertEquals(await rendered(numberJson("i"), "i", value), JSON.stringify(value));
  }
  assertEquals(await rendered(numberJson("i"), "i", 2n ** 60n), null);
  assertEquals(await rendered(numberJson("i"), "i", "text"), null);
});

Deno.test("textJson: escapes as JSON.stringify does", async () => {
  const samples = [
    "Walk",
    "",
    'quote " and \\ backslash',
    "tab\tnew\nline\rform\fback\b",
    "\u0000\u0001\u001f\u007f",
    "ação Ñandú 漢字 😀",
    "\u2028\u2029 /slash",
    ...Array.from(
      { length: 50 },
      () =>
        String.fromCodePoint(
          ...Array.from({ length: 8 }, () => Math.floor(next() * 0x2fff)).filter((c) =>
            c < 0xd800 || c > 0xdfff
          ),
        ),
    ),
  ];
  for (const text of samples) {
    assertEquals(await rendered(textJson("t"), "t", text), JSON.stringify(text), text);
  }
  assertEquals(await rendered(textJson("t"), "t", null), null);
});

Deno.test("utcSecondsJson: the view's time text, 1970–9999; NULL outside", async () => {
  const instants = [
    0,
    999,
    1_544_791_979_123,
    Date.UTC(2000, 1, 29, 23, 59, 59, 999),
    253402300799999,
    ...Array.from({ length: 100 }, () => Math.floor(next() * 253402300799999)),
  ];
  for (const ms of instants) {
    assertEquals(await rendered(utcSecondsJson("i"), "i", ms), JSON.stringify(utcSeconds(ms)));
  }
  for (const ms of [-1, -1500, 253402300800000]) {
    assertEquals(await rendered(utcSecondsJson("i"), "i", ms), null);
  }
});

Deno.test("storedJson: minimal JSON as stored; anything else NULL", async () => {
  const value = { average: 97, zone: { min: 30, max: 91.5 }, names: ['a"b', "ç"] };
  assertEquals(await rendered(storedJson("j"), "j", JSON.stringify(value)), JSON.stringify(value));

  assertEquals(await rendered(storedJson("j"), "j", "not json"), null);
});

Deno.test("(close the database)", async () => {
  close();
  await Deno.remove(dir, { recursive: true });
});
