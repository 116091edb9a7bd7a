import { assertEquals, assertTrue } from "./assert.ts";
import { login, startService, withTempDir } from "./service-process.ts";

// Two instances starting at the same moment on an empty data directory: both come up
// (migrations, keys and the first admin are created once), and they share keys and admin.

Deno.test("concurrent first start: two instances on an empty database both start, sharing one admin and one key pair", async () => {
  await withTempDir(async (dataDir) => {
    const env = { DATA_DIR: dataDir };
    const [a, b] = await Promise.all([startService(env), startService(env)]);
    const outputs = [a.output(), b.output()];
    const passwords = outputs.flatMap((out) => /password "([^"]+)"/.exec(out)?.[1] ?? []);
    assertEquals(passwords.length, 1, "exactly one instance created the admin and printed it");
    assertEquals(
      [a.startLine.first_admin, b.startLine.first_admin].filter(Boolean),
      ["admin"],
    );
    // A token from one instance works on the other: both use the key pair written first.
    const token = await login(a.url, "admin", passwords[0]);
    const res = await fetch(`${b.url}/institutions`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assertEquals(res.status, 200);
    await res.body?.cancel();
    const stopped = await Promise.all([a.stop(), b.stop()]);
    assertEquals(stopped.map((s) => s.code), [0, 0]);
    assertTrue(stopped.every((s) => !/error/i.test(s.output)), stopped.map((s) => s.output).join());
  });
});
