import { sql } from "drizzle-orm";
import { assertEquals } from "../../test/assert.ts";
import { startTestApp } from "../../test/harness.ts";
import { auditLog } from "../db/schema/index.ts";
import { pruneExpiredAudit } from "./audit.prune.ts";
import { PRUNE_CHUNK } from "./audit.store.ts";

// Retention: rows older than AUDIT_RETENTION_DAYS go (in several chunks), newer ones stay,
// and 0 keeps everything.
const DAY = 86_400_000;

async function seeded(retentionDays: string) {
  const t = await startTestApp({ AUDIT_RETENTION_DAYS: retentionDays });
  const now = t.clock.now();
  const row = (at: number, requestId: string) => ({
    at,
    userId: "6b0000000000000000000001",
    userType: "admin",
    method: "DELETE",
    routeId: "AC1",
    path: "/v1/users/6b0000000000000000000002",
    status: 204,
    requestId,
  });
  // More expired rows than one prune chunk, then rows just inside the window.
  const expired = Array.from(
    { length: PRUNE_CHUNK * 2 + 7 },
    (_, i) => row(now - 31 * DAY - i, `old-${i}`),
  );
  for (let i = 0; i < expired.length; i += 500) {
    await t.db.insert(auditLog).values(expired.slice(i, i + 500));
  }
  await t.db.insert(auditLog).values([row(now - 29 * DAY, "recent-1"), row(now, "recent-2")]);
  return t;
}

const remaining = async (t: Awaited<ReturnType<typeof seeded>>) =>
  (await t.db.select({ id: auditLog.requestId }).from(auditLog).orderBy(auditLog.at))
    .map((row) => row.id);

Deno.test("audit prune: rows past the retention go, in chunks; newer rows stay", async () => {
  const t = await seeded("30");
  try {
    assertEquals(await pruneExpiredAudit(t.deps), PRUNE_CHUNK * 2 + 7);
    assertEquals(await remaining(t), ["recent-1", "recent-2"]);
    assertEquals(await pruneExpiredAudit(t.deps), 0);
  } finally {
    await t.close();
  }
});

Deno.test("audit prune: AUDIT_RETENTION_DAYS=0 keeps every row", async () => {
  const t = await seeded("0");
  try {
    assertEquals(await pruneExpiredAudit(t.deps), 0);
    assertEquals((await remaining(t)).length, PRUNE_CHUNK * 2 + 9);
  } finally {
    await t.close();
  }
});

Deno.test("audit prune: pruned ids are never handed out again", async () => {
  const t = await seeded("30");
  try {
    const [{ max }] = await t.db.all<{ max: number }>(sql`SELECT max(id) AS max FROM audit_log`);
    await t.db.run(sql`DELETE FROM audit_log WHERE id = ${max}`);
    const res = await t.request("GET", "/v1/audit", {
      token: (await t.login("admin")).token,
    });
    await res.body?.cancel();
    const [{ last }] = await t.db.all<{ last: number }>(sql`SELECT max(id) AS last FROM audit_log`);
    assertEquals(last, max + 1);
  } finally {
    await t.close();
  }
});
