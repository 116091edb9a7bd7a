import { sql } from "drizzle-orm";
import { loadOrCreateKeys } from "../../src/auth/keys.ts";
import { migrateDatabase, openDatabase } from "../../src/db/client.ts";
import { loadOrCreateDataKey } from "../../src/wearables/secrets.ts";
import { assertEquals } from "../assert.ts";

/**
 * Issue 10: the database and key files the service creates are readable by its own user
 * only (0600), in directories it creates 0700, whatever the process umask allows (the
 * usual 022 would give 0644 and 0755).
 */

const mode = async (path: string) => (await Deno.stat(path)).mode! & 0o777;

async function inTempDir(work: (dir: string) => Promise<void>) {
  const previous = Deno.umask(0o022);
  const dir = await Deno.makeTempDir({ prefix: "ocariot-perms-" });
  try {
    await work(dir);
  } finally {
    Deno.umask(previous);
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("file permissions: a new database, its WAL and shared-memory files are 0600", async () => {
  await inTempDir(async (dir) => {
    const file = `${dir}/data/ocariot.db`;
    const handle = await openDatabase(`file:${file}`);
    try {
      await migrateDatabase(handle.db);
      await handle.db.run(sql`INSERT INTO revoked_subjects VALUES ('x', 1)`);
      const modes = [];
      for (const path of [file, `${file}-wal`, `${file}-shm`]) modes.push(await mode(path));
      assertEquals(modes, [0o600, 0o600, 0o600]);
      assertEquals(await mode(`${dir}/data`), 0o700);
    } finally {
      handle.close();
    }
  });
});

Deno.test("file permissions: generated key files are 0600", async () => {
  await inTempDir(async (dir) => {
    await loadOrCreateKeys(`${dir}/keys/jwt.key`, `${dir}/keys/jwt.pem`);
    await loadOrCreateDataKey(undefined, `${dir}/keys/data.key`);
    const modes = [];
    for (const name of ["jwt.key", "jwt.pem", "data.key"]) {
      modes.push(await mode(`${dir}/keys/${name}`));
    }
    assertEquals(modes, [0o600, 0o600, 0o600]);
    assertEquals(await mode(`${dir}/keys`), 0o700);
  });
});

Deno.test("file permissions: an existing database file is opened as it is", async () => {
  await inTempDir(async (dir) => {
    const file = `${dir}/existing.db`;
    await Deno.writeFile(file, new Uint8Array(), { mode: 0o640 });
    await Deno.chmod(file, 0o640);
    const handle = await openDatabase(`file:${file}`);
    handle.close();
    assertEquals(await mode(file), 0o640);
  });
});
