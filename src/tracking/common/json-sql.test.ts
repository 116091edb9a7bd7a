import { assertEquals, assertTrue } from "../../../test/assert.ts";
import { sqlListQuerySchema } from "../../core/list-query-sql.ts";
import { migrateDatabase, openDatabase, sqlRows } from "../../db/client.ts";
import { physicalActivities } from "../../db/schema/index.ts";
import {
  findPhysicalActivity,
  findPhysicalActivityJson,
  listPhysicalActivities,
  listPhysicalActivitiesJson,
  type PhysicalActivityRow,
  physicalActivityView,
} from "../physical-activities/physical-activities.store.ts";
import { numberJson, storedJson, textJson, utcSecondsJson } from "./json-sql.ts";
import { utcSeconds } from "./time.ts";

/**
 * The views SQLite writes must be the JavaScript views byte for byte, or NULL (then the
 * JavaScript view answers). Each case below is a value SQLite renders; the expected text
 * is what JSON.stringify writes, and the values a wearable commonly sends must not fall
 * back (else the fast path would never be taken).
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

const CHILD = "00c0000000000000000000aa";
const query = (raw: Record<string, string> = {}) => sqlListQuerySchema.parse(raw);

/** Activities of every optional shape, with the kinds of numbers a wearable sends. */
function activity(n: number): PhysicalActivityRow {
  const start = Date.UTC(2024, 0, 1) + n * 3_600_000 + Math.floor(next() * 1000);
  const duration = 60_000 + Math.floor(next() * 3_600_000);
  return {
    id: `00a7${n.toString(16).padStart(20, "0")}`,
    childId: CHILD,
    startTime: start,
    endTime: start + duration,
    duration,
    name: ["Walk", "Run", 'Ñandú "fast"', "Swim\t2"][n % 4],
    calories: [100, 107.25, Math.round(next() * 1e5) / 100, Math.round(next() * 1e6) / 1e3][n % 4],
    steps: n % 3 === 0 ? null : Math.floor(next() * 20_000),
    distance: n % 5 === 0 ? null : Math.round(next() * 1e6) / 100,
    levels: n % 4 === 1 ? null : [{ name: "sedentary", duration: n * 1000 }, {
      name: "very",
      duration: 5,
    }],
    heartRate: n % 2 === 0 ? null : {
      average: 90 + n,
      out_of_range_zone: { min: 30, max: 91, duration: 600_000 },
      fat_burn_zone: { min: 91, max: 127, duration: 900_000 + n },
      cardio_zone: { min: 127, max: 154, duration: 240_000 },
      peak_zone: { min: 154, max: 220, duration: 60_000 },
    },
    createdAt: 1_700_000_000_000 + (n % 7),
  };
}

const rows = Array.from({ length: 60 }, (_, n) => activity(n));
await db.insert(physicalActivities).values(rows);

Deno.test("activities: SQLite's page is the JavaScript view's JSON, pages and totals alike", async () => {
  const raws: Record<string, string>[] = [{}, { limit: "7" }, { limit: "7", page: "3" }, {
    limit: "100",
    page: "2",
  }];
  for (const raw of raws) {
    const q = query(raw);
    const written = await listPhysicalActivitiesJson!(db, CHILD, q);
    const viewed = await listPhysicalActivities(db, CHILD, q, Date.now());
    assertTrue(written !== undefined, "the plain page is written by SQLite");
    const views = viewed.map((row) => physicalActivityView(row as PhysicalActivityRow));
    assertEquals(written!.page, JSON.stringify(views));
    assertEquals(written!.total, rows.length);
  }
});

Deno.test("activities: SQLite's record is the JavaScript view's JSON; unknown is null", async () => {
  for (const row of rows) {
    const written = await findPhysicalActivityJson!(db, CHILD, row.id, query());
    const found = await findPhysicalActivity(db, CHILD, row.id, query(), Date.now());
    assertEquals(written, JSON.stringify(physicalActivityView(found!)));
  }
  assertEquals(
    await findPhysicalActivityJson!(db, CHILD, "00a7ffffffffffffffffffff", query()),
    null,
  );
  assertEquals(
    await findPhysicalActivityJson!(db, "00c0ffffffffffffffffffff", rows[0].id, query()),
    null,
  );
});

Deno.test("activities: filters, sorts and windows go the JavaScript way; so does an odd value", async () => {
  const raws: Record<string, string>[] = [{ name: "Run" }, { sort: "-start_time" }, {
    period: "1w",
  }];
  for (const raw of raws) {
    assertEquals(await listPhysicalActivitiesJson!(db, CHILD, query(raw)), undefined);
  }
  assertEquals(
    await findPhysicalActivityJson!(db, CHILD, rows[0].id, query({ name: "Walk" })),
    undefined,
  );
  // An unknown sort key and the path's own child_id change nothing: still the plain page.
  assertTrue(
    await listPhysicalActivitiesJson!(db, CHILD, query({ sort: "nope", child_id: "x" })) !==
      undefined,
  );
  await sqlRows(db, "UPDATE physical_activities SET calories = ? WHERE id = ?", [
    0.1 + 0.2,
    rows[3].id,
  ]);
  assertEquals(await listPhysicalActivitiesJson!(db, CHILD, query()), undefined);
  assertEquals(await findPhysicalActivityJson!(db, CHILD, rows[3].id, query()), undefined);
  await sqlRows(db, "UPDATE physical_activities SET calories = ? WHERE id = ?", [
    rows[3].calories,
    rows[3].id,
  ]);
});

Deno.test("activities: a value of any kind SQLite cannot write exactly sends that record the JavaScript way", async () => {
  const odd: [string, unknown][] = [
    ["name", new Uint8Array([1, 2])],
    ["start_time", "2024-01-01"],
    ["end_time", -5],
    ["duration", 2 ** 60],
    ["steps", 0.1 + 0.2],
    ["levels", "[not json"],
    ["heart_rate", "{}x"],
  ];
  const row = rows[10];
  for (const [column, value] of odd) {
    const before = await sqlRows(
      db,
      `SELECT ${column} FROM physical_activities WHERE rowid = ` +
        `(SELECT rowid FROM physical_activities WHERE id = ?)`,
      [row.id],
    );
    await sqlRows(
      db,
      `UPDATE physical_activities SET ${column} = ? WHERE rowid = ` +
        `(SELECT rowid FROM physical_activities WHERE id = ?)`,
      [value as string, row.id],
    );
    try {
      assertEquals(await findPhysicalActivityJson!(db, CHILD, row.id, query()), undefined);
      assertEquals(await listPhysicalActivitiesJson!(db, CHILD, query()), undefined, column);
    } finally {
      await sqlRows(
        db,
        `UPDATE physical_activities SET ${column} = ? WHERE rowid = ` +
          `(SELECT rowid FROM physical_activities WHERE ${column} IS ?)`,
        [before[0][0] as string, value as string],
      );
    }
  }
  assertTrue(await listPhysicalActivitiesJson!(db, CHILD, query({ limit: "100" })) !== undefined);
});

Deno.test("(close the database)", async () => {
  close();
  await Deno.remove(dir, { recursive: true });
});
