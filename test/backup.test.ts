import { createClient } from "@libsql/client";
import { backupDatabase, BackupError } from "../scripts/backup.ts";
import { checkDatabaseFile, localDatabasePath } from "../scripts/db-file.ts";
import { dataKeyOpensTokens } from "../scripts/restore.ts";
import { wearableConnections } from "../src/db/schema/index.ts";
import { activityBody } from "../src/tracking/testing.ts";
import { DataCipher, generateDataKey, importDataKey } from "../src/wearables/secrets.ts";
import { sealTokens } from "../src/wearables/store/sealing.ts";
import { assertEquals, assertMatch, assertTrue } from "./assert.ts";
import { startTestApp } from "./harness.ts";
import { withTempDir } from "./service-process.ts";

// `deno task backup` and `deno task restore`, run as the real scripts in their own
// processes while this process plays the running service.
const ROOT = new URL("..", import.meta.url).pathname;
const t = await startTestApp();
const databaseUrl = t.deps.config.DATABASE_URL;
const inst = await t.createInstitution();
const app = await t.login("application", { institutionId: inst.id });
const child = await t.createUser("child", { institutionId: inst.id });

/** Runs a script of scripts/ with the service's settings pointing at `dataDir`. */
async function script(name: string, args: string[], env: Record<string, string>) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}scripts/${name}.ts`, ...args],
    env: { LOG_LEVEL: "silent", ...env },
    cwd: ROOT,
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** Activity ids stored in a database file. */
async function activityIds(path: string): Promise<Set<string>> {
  const client = createClient({ url: `file:${path}` });
  try {
    const rows = (await client.execute("SELECT id FROM physical_activities")).rows;
    return new Set(rows.map((row) => String(row[0])));
  } finally {
    client.close();
  }
}

let instant = Date.UTC(2020, 0, 1);
/** Posts batches of activities until told to stop; collects the ids acknowledged with 201. */
function writer(acknowledged: Set<string>, stop: { now: boolean }) {
  return (async () => {
    while (!stop.now) {
      const batch = Array.from({ length: 20 }, () => {
        instant += 3_600_000;
        return activityBody(new Date(instant).toISOString());
      });
      const res = await t.request("POST", `/v1/children/${child.id}/physicalactivities`, {
        token: app.token,
        body: batch,
      });
      const body = await res.json();
      for (const item of body.success) acknowledged.add(item.item.id);
    }
  })();
}

Deno.test("backup: a consistent copy while the service writes, with every row acknowledged before it", async () => {
  const acknowledged = new Set<string>();
  const stop = { now: false };
  const writers = [writer(acknowledged, stop), writer(acknowledged, stop)];
  while (acknowledged.size < 400) await new Promise((resolve) => setTimeout(resolve, 10));
  const beforeBackup = new Set(acknowledged);
  const copy = `${t.dir}/backups/copy.db`;
  const run = await script("backup", ["backups/copy.db"], {
    DATABASE_URL: databaseUrl,
    INIT_CWD: t.dir,
  });
  const duringBackup = acknowledged.size - beforeBackup.size;
  stop.now = true;
  await Promise.all(writers);

  assertEquals(run.code, 0, run.stderr);
  assertMatch(run.stdout, /Backup written: .*copy\.db .*integrity ok/);
  assertMatch(run.stdout, /data\.key/);
  assertTrue(duringBackup > 0, "the service kept writing during the backup");
  assertEquals((await Deno.stat(copy)).mode! & 0o777, 0o600);
  assertEquals((await checkDatabaseFile(copy)).integrity, "ok");
  const copied = await activityIds(copy);
  assertEquals([...beforeBackup].filter((id) => !copied.has(id)), []);
  // Nothing in the copy that the service did not store.
  const stored = await activityIds(localDatabasePath(databaseUrl)!);
  assertEquals([...copied].filter((id) => !stored.has(id)), []);

  // The copy opens as a service database and answers with what it holds.
  const restored = await startTestApp({ DATABASE_URL: `file:${copy}` });
  try {
    const token = (await restored.login("admin")).token;
    const res = await restored.request("GET", `/v1/children/${child.id}/physicalactivities`, {
      token,
    });
    assertEquals(res.headers.get("X-Total-Count"), String(copied.size));
    await res.body?.cancel();
  } finally {
    await restored.close();
  }
});

Deno.test("backup: an existing file is replaced only with --force; a remote database is refused", async () => {
  const target = `${t.dir}/exists.db`;
  await Deno.writeTextFile(target, "keep me");
  const refusal = await backupDatabase(databaseUrl, target).catch((error) => error);
  assertTrue(refusal instanceof BackupError);
  assertMatch(refusal.message, /already exists; pass --force/);
  assertEquals(await Deno.readTextFile(target), "keep me");
  const forced = await backupDatabase(databaseUrl, target, { force: true });
  assertEquals(forced.integrity, "ok");
  const remote = await backupDatabase("libsql://db.example.org", `${t.dir}/r.db`)
    .catch((error) => error);
  assertMatch(remote.message, /remote libSQL database/);
});

Deno.test("restore: refused while the service has the database open; nothing changes", async () => {
  const backup = `${t.dir}/for-restore.db`;
  await backupDatabase(databaseUrl, backup);
  const before = await checkDatabaseFile(localDatabasePath(databaseUrl)!);
  const run = await script("restore", [backup], { DATABASE_URL: databaseUrl });
  assertEquals(run.code, 1);
  assertMatch(run.stderr, /is open in another process .* Stop every instance of the service/);
  assertEquals(await checkDatabaseFile(localDatabasePath(databaseUrl)!), before);
  const leftovers = [...Deno.readDirSync(t.dir)].filter((e) =>
    /restoring|before-restore/.test(e.name)
  );
  assertEquals(leftovers, []);
});

Deno.test("restore: into a stopped service's place, keeping the database it replaces", async () => {
  const backup = `${t.dir}/for-restore-2.db`;
  const made = await backupDatabase(databaseUrl, backup);
  await withTempDir(async (dataDir) => {
    const env = { DATA_DIR: dataDir };
    const first = await script("restore", [backup], env);
    assertEquals(first.code, 0, first.stderr);
    assertMatch(first.stdout, /Restored .* \(integrity ok\)/);
    const second = await script("restore", [backup], env);
    assertEquals(second.code, 0, second.stderr);
    const aside = /kept at (\S+)\.$/m.exec(second.stdout)?.[1];
    assertTrue(aside, second.stdout);
    const database = `${dataDir}/ocariot.db`;
    assertEquals((await checkDatabaseFile(database)).rows, made.rows);
    assertEquals((await checkDatabaseFile(aside)).rows, made.rows);
    assertEquals((await Deno.stat(database)).mode! & 0o777, 0o600);
    assertEquals(await Deno.readTextFile(backup).then(() => true), true);
  });
});

Deno.test("restore: a file that is not a database, or from a newer version, is refused", async () => {
  await withTempDir(async (dataDir) => {
    const junk = `${dataDir}/junk.db`;
    await Deno.writeTextFile(junk, "not a database at all, just text");
    const refused = await script("restore", [junk], { DATA_DIR: dataDir });
    assertEquals(refused.code, 1);
    assertMatch(refused.stderr, /not a readable SQLite database|integrity/);

    const newer = `${dataDir}/newer.db`;
    await backupDatabase(databaseUrl, newer);
    const client = createClient({ url: `file:${newer}` });
    await client.execute(
      "INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', 99999999999999)",
    );
    client.close();
    const tooNew = await script("restore", [newer], { DATA_DIR: dataDir });
    assertEquals(tooNew.code, 1);
    assertMatch(tooNew.stderr, /made by a newer version/);
    const names = [...Deno.readDirSync(dataDir)].map((entry) => entry.name).sort();
    assertEquals(names, ["junk.db", "newer.db"]);
  });
});

Deno.test("restore: the data-key check tells whether the backup's wearable tokens open", async () => {
  const key = generateDataKey();
  const sealed = await sealTokens(new DataCipher(await importDataKey(key)), "fitbit", child.id, {
    accessToken: "a",
    refreshToken: "r",
    expiresAt: 0,
    scope: "",
    externalUserId: "X",
  });
  const now = t.clock.now();
  await t.db.insert(wearableConnections).values({
    childId: child.id,
    provider: "fitbit",
    externalUserId: "X",
    tokens: sealed,
    scope: "activity",
    expiresAt: now,
    status: "valid_token",
    tokenVersion: 1,
    nextSyncAt: now,
    createdAt: now,
    updatedAt: now,
  });
  const backup = `${t.dir}/with-tokens.db`;
  await backupDatabase(databaseUrl, backup);
  assertEquals(await dataKeyOpensTokens(backup, key), "ok");
  assertEquals(await dataKeyOpensTokens(backup, generateDataKey()), "fails");
  assertEquals(await dataKeyOpensTokens(backup, undefined), "fails");
});

Deno.test("(close the test database)", () => t.close());
