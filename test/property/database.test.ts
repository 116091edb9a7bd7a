import { sql } from "drizzle-orm";
import { assertEquals, assertMatch, assertTrue } from "../assert.ts";
import { startTestApp } from "../harness.ts";
import { DatabaseState } from "./database.ts";

/**
 * The property suite's database checksum: it must see a change in any covered row, ignore
 * only what rejected requests may write on purpose, and the restore must bring the
 * snapshot back. Otherwise "no rejected request changes the database" could not fail.
 */

const t = await startTestApp();
const child = await t.login("child");
await t.db.run(
  sql`INSERT INTO rate_limit_windows (key, hits, reset_at) VALUES ('fitbit-sync:x', 1, 1)`,
);
const state = await DatabaseState.open(t.deps.config.DATABASE_URL, `${t.dir}/snapshot.db`);

/** Runs a change, reads whether the checksum moved, then restores the snapshot. */
async function moves(change: string): Promise<boolean> {
  await t.db.run(sql.raw(change));
  const moved = await state.checksum() !== state.snapshotSum;
  await state.restore();
  assertEquals(await state.checksum(), state.snapshotSum);
  return moved;
}

const covered = [
  `UPDATE users SET username = 'renamed' WHERE id = '${child.id}'`,
  `UPDATE users SET last_login = 1 WHERE id = '${child.id}'`,
  `DELETE FROM users WHERE id = '${child.id}'`,
  `INSERT INTO revoked_subjects (subject_id, revoked_at) VALUES ('x', 1)`,
  `UPDATE rate_limit_windows SET hits = 2 WHERE key = 'fitbit-sync:x'`,
  `INSERT INTO rate_limit_windows (key, hits, reset_at) VALUES ('fitbit-sync:y', 1, 1)`,
];
for (const change of covered) {
  Deno.test(`database checksum: sees ${change.split(" WHERE")[0]}`, async () => {
    assertTrue(await moves(change));
  });
}

const allowed = [
  `INSERT INTO audit_log (at, user_id, user_type, method, route_id, path, status, request_id)
     VALUES (1, 'u', 'admin', 'GET', 'AC5', '/v1/children', 401, 'r')`,
  `INSERT INTO rate_limit_windows (key, hits, reset_at) VALUES ('login:username:ab', 1, 1)`,
];
for (const change of allowed) {
  Deno.test(`database checksum: ignores ${change.split(" (")[0]}`, async () => {
    assertEquals(await moves(change), false);
  });
}

Deno.test("database checksum: the differences name the table and the rows", async () => {
  await t.db.run(sql.raw(`UPDATE users SET username = 'renamed' WHERE id = '${child.id}'`));
  const differences = await state.differences();
  await state.restore();
  assertEquals(differences.length, 1);
  assertMatch(differences[0], /^users: \+1 .*renamed.* \/ -1 /);
  assertEquals(await state.differences(), []);
});

Deno.test("(close the test database)", async () => {
  state.close();
  await t.close();
});
