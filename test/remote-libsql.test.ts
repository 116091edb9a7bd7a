import { DatabaseSync } from "node:sqlite";
import { assertEquals, assertMatch, assertTrue } from "./assert.ts";
import { HranaServer } from "./hrana-server.ts";
import { failedStart, login, startService, walkThrough, withTempDir } from "./service-process.ts";

// Beyond one machine: the service against a remote libSQL server by URL and token. The
// server here is test/hrana-server.ts (Hrana 2 over HTTP on a local SQLite file), since no
// sqld can be installed on this machine; the client side is the service's real one.

const TOKEN = "test-token-8d1f";

Deno.test("remote libSQL: two instances start at once on an empty remote database, serve the walk-through and concurrent writes", async () => {
  await withTempDir(async (dir) => {
    const server = HranaServer.start(`${dir}/remote.db`, TOKEN);
    try {
      const { port } = new URL(server.url);
      const env = {
        DATA_DIR: `${dir}/keys-and-such`,
        ADMIN_PASSWORD: "remote-pass",
        DATABASE_AUTH_TOKEN: TOKEN,
      };
      // One instance by the libsql:// scheme (tls=0: plain HTTP on loopback), one by http://.
      const [a, b] = await Promise.all([
        startService({ ...env, DATABASE_URL: `libsql://127.0.0.1:${port}?tls=0` }),
        startService({ ...env, DATABASE_URL: server.url }),
      ]);
      try {
        assertEquals(b.startLine.database, `${server.url}/`);
        assertTrue(!a.output().includes(TOKEN) && !b.output().includes(TOKEN), "token never shown");

        const walk = await walkThrough({ API: a.url, ADMIN_PASSWORD: "remote-pass" });
        assertEquals(walk.code, 0, walk.stderr);

        const headers = {
          Authorization: `Bearer ${await login(b.url, "admin", "remote-pass")}`,
          "Content-Type": "application/json",
        };
        const created = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            fetch(`${[a.url, b.url][i % 2]}/institutions`, {
              method: "POST",
              headers,
              body: JSON.stringify({ name: `Remote ${i}`, type: "School" }),
            })),
        );
        await Promise.all(created.map((r) => r.body?.cancel()));
        assertEquals(created.map((r) => r.status), Array(20).fill(201));
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
      assertTrue(server.pipelines > 0, "the service spoke to the remote server");
      // The rows are in the server's file: one admin, the walk-through's school and 20 more.
      const file = new DatabaseSync(`${dir}/remote.db`, { readOnly: true });
      try {
        const count = (sql: string) => Number((file.prepare(sql).get() as { n: number }).n);
        assertEquals(count("SELECT count(*) AS n FROM users WHERE type = 'admin'"), 1);
        assertEquals(count("SELECT count(*) AS n FROM institutions"), 21);
      } finally {
        file.close();
      }
    } finally {
      await server.close();
    }
  });
});

Deno.test("remote libSQL: a refused token is one start-up line naming DATABASE_URL, without the token", async () => {
  await withTempDir(async (dir) => {
    const server = HranaServer.start(`${dir}/remote.db`, TOKEN);
    try {
      const result = await failedStart({
        DATA_DIR: `${dir}/data`,
        DATABASE_URL: server.url,
        DATABASE_AUTH_TOKEN: "wrong-token",
      });
      assertEquals(result.code, 1);
      const lines = result.stderr.trimEnd().split("\n");
      assertEquals(lines.length, 1, result.stderr);
      assertMatch(
        lines[0],
        /^Cannot open the database http:\/\/127\.0\.0\.1:\d+\/ \(DATABASE_URL\): .*401/,
      );
      assertTrue(!result.stderr.includes("wrong-token"));
    } finally {
      await server.close();
    }
  });
});
