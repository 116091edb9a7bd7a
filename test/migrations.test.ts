import { sql } from "drizzle-orm";
import { migrateDatabase, openDatabase } from "../src/db/client.ts";
import { assertEquals } from "./assert.ts";
import { withTempDir } from "./service-process.ts";

// Upgrades run the migrations at start. Instances starting together on an empty (or older)
// database all read "not applied"; the first to write wins and the others must not fail.

Deno.test("migrations: three instances migrating one empty database at once all succeed, each migration recorded once", async () => {
  await withTempDir(async (dir) => {
    const url = `file:${dir}/ocariot.db`;
    const handles = await Promise.all([1, 2, 3].map(() => openDatabase(url)));
    try {
      await Promise.all(handles.map((handle) => migrateDatabase(handle.db)));
      const applied = await handles[0].db.all<{ n: number }>(
        sql`SELECT count(*) AS n FROM __drizzle_migrations`,
      );
      const journal = JSON.parse(
        await Deno.readTextFile(new URL("../drizzle/meta/_journal.json", import.meta.url)),
      );
      assertEquals(applied[0].n, journal.entries.length);
    } finally {
      for (const handle of handles) handle.close();
    }
  });
});
