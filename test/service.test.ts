import { assertEquals, assertMatch, assertTrue } from "./assert.ts";
import { login, startService, withTempDir } from "./service-process.ts";

// The real entry point, as `deno task start` runs it: start-up, migrations, first admin,
// persisted keys, graceful shutdown.

Deno.test("service: starts on a fresh data directory, creates the admin, and keeps tokens valid across a restart", async () => {
  await withTempDir(async (dataDir) => {
    const env = { DATA_DIR: dataDir, ADMIN_USERNAME: "root", ADMIN_PASSWORD: "admin123" };
    const first = await startService(env);
    const token = await login(first.url, "root", "admin123");
    const stopped = await first.stop();
    assertEquals(stopped.code, 0);
    assertMatch(stopped.output, /"shutting down"/);
    assertTrue(!stopped.output.includes("admin123"), "the password never reaches the output");

    const second = await startService(env);
    const res = await fetch(`${second.url}/institutions`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assertEquals(res.status, 200);
    await res.body?.cancel();
    const again = await second.stop();
    assertEquals(second.startLine.first_admin, undefined, "an existing admin is not recreated");
    assertMatch(again.output, /"ADMIN_PASSWORD is ignored: an admin exists already/);
  });
});

Deno.test("service: the first start prints one log line and nothing else", async () => {
  await withTempDir(async (dataDir) => {
    const service = await startService({ DATA_DIR: dataDir, ADMIN_PASSWORD: "admin123" });
    const { output } = await service.stop();
    const lines = output.trim().split("\n");
    assertEquals(lines.length, 2, output);
    const start = JSON.parse(lines[0]);
    assertEquals(start.msg, "listening");
    assertEquals(JSON.parse(lines[1]).msg, "shutting down");
    assertEquals(
      Object.keys(start),
      [
        "time",
        "level",
        "msg",
        "version",
        "url",
        "data_dir",
        "database",
        "metrics",
        "jobs",
        "first_admin",
      ],
    );
    assertMatch(start.version, /^\d+\.\d+\.\d+/);
    assertEquals(start.data_dir, dataDir);
    assertEquals(start.database, `file:${dataDir}/ocariot.db`);
    assertMatch(start.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assertEquals(start.metrics, "off");
    assertEquals(start.jobs, ["wearable revoker", "audit prune"]);
    assertEquals(start.first_admin, "admin");
  });
});

Deno.test("service: without ADMIN_PASSWORD a random first-admin password is printed once and works", async () => {
  await withTempDir(async (dataDir) => {
    const service = await startService({ DATA_DIR: dataDir });
    // The banner is printed before the start-up line, so it is already in the output.
    const { output } = await service.stop();
    const password = /password "([^"]+)"/.exec(output)?.[1];
    assertTrue(password && password.length >= 20, "a strong password is printed");
    const restarted = await startService({ DATA_DIR: dataDir });
    await login(restarted.url, "admin", password!);
    const { output: second } = await restarted.stop();
    assertTrue(!/password "/.test(second), "printed only once");
    assertTrue(!/ADMIN_PASSWORD is ignored/.test(second), "nothing was ignored");
  });
});

Deno.test("service: two processes on one database file serve concurrent writes without errors", async () => {
  await withTempDir(async (dataDir) => {
    const env = { DATA_DIR: dataDir, ADMIN_PASSWORD: "admin123" };
    const first = await startService(env);
    const second = await startService(env);
    const headers = {
      Authorization: `Bearer ${await login(first.url, "admin", "admin123")}`,
      "Content-Type": "application/json",
    };
    const urls = [first.url, second.url];
    const created = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fetch(`${urls[i % 2]}/institutions`, {
          method: "POST",
          headers,
          body: JSON.stringify({ name: `Process ${i}`, type: "School" }),
        })),
    );
    assertEquals(created.map((r) => r.status), Array(40).fill(201));
    const ids = await Promise.all(created.map(async (r) => (await r.json()).id));
    const deleted = await Promise.all(
      ids.slice(0, 20).map((id, i) =>
        fetch(`${urls[(i + 1) % 2]}/institutions/${id}`, { method: "DELETE", headers })
      ),
    );
    assertEquals(deleted.map((r) => r.status), Array(20).fill(204));
    await Promise.all(deleted.map((r) => r.body?.cancel()));
    const list = await fetch(`${second.url}/institutions`, { headers });
    assertEquals(list.headers.get("X-Total-Count"), "20");
    await list.body?.cancel();
    await first.stop();
    await second.stop();
  });
});
