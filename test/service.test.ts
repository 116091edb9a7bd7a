import { assertEquals, assertMatch, assertTrue } from "./assert.ts";

// The real entry point, as `deno task start` runs it: start-up, migrations, first admin,
// persisted keys, graceful shutdown.
const MAIN = new URL("../src/main.ts", import.meta.url).pathname;
const PERMISSIONS = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-ffi",
  "--allow-sys",
];

interface Running {
  url: string;
  stop(): Promise<{ code: number; output: string }>;
}

/** Starts src/main.ts on a random port and waits for its "listening" line. */
async function startService(env: Record<string, string>): Promise<Running> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, MAIN],
    env: { PORT: "0", HOST: "127.0.0.1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  while (!/"listening"/.test(output)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`service exited before listening:\n${output}`);
    output += value;
  }
  const url = /"url":"(http:\/\/[^"]+)"/.exec(output)![1];
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      const status = await child.status;
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        output += chunk.value;
      }
      await child.stderr.cancel();
      return { code: status.code, output };
    },
  };
}

Deno.test("service: starts on a fresh data directory, creates the admin, and keeps tokens valid across a restart", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "ocariot-service-" });
  try {
    const env = { DATA_DIR: dataDir, ADMIN_USERNAME: "root", ADMIN_PASSWORD: "admin123" };
    const first = await startService(env);
    const login = await fetch(`${first.url}/auth`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: "root", password: "admin123" }),
    });
    assertEquals(login.status, 200);
    const { access_token } = await login.json();
    const stopped = await first.stop();
    assertEquals(stopped.code, 0);
    assertMatch(stopped.output, /"shutting down"/);
    assertTrue(!stopped.output.includes("admin123"), "the password never reaches the output");

    const second = await startService(env);
    const res = await fetch(`${second.url}/institutions`, {
      headers: { Authorization: `Bearer ${access_token}` },
    });
    assertEquals(res.status, 200);
    await res.body?.cancel();
    const again = await second.stop();
    assertTrue(!again.output.includes("first admin created"), "an existing admin is not recreated");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("service: without ADMIN_PASSWORD a random first-admin password is printed once and works", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "ocariot-service-" });
  try {
    const service = await startService({ DATA_DIR: dataDir });
    // The banner is printed before "listening", so it is already in the output.
    const { output } = await service.stop();
    const password = /password "([^"]+)"/.exec(output)?.[1];
    assertTrue(password && password.length >= 20, "a strong password is printed");
    const restarted = await startService({ DATA_DIR: dataDir });
    const login = await fetch(`${restarted.url}/auth`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: "admin", password }),
    });
    assertEquals(login.status, 200);
    await login.body?.cancel();
    const { output: second } = await restarted.stop();
    assertTrue(!/password "/.test(second), "printed only once");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("service: two processes on one database file serve concurrent writes without errors", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "ocariot-service-" });
  try {
    const env = { DATA_DIR: dataDir, ADMIN_PASSWORD: "admin123" };
    const first = await startService(env);
    const second = await startService(env);
    const login = await fetch(`${first.url}/auth`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "admin123" }),
    });
    const headers = {
      Authorization: `Bearer ${(await login.json()).access_token}`,
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
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("service: a bad configuration value stops start-up with one line naming the variable", async () => {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, MAIN],
    env: { PORT: "not-a-port", DATA_DIR: "/nonexistent/never-created" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(result.code, 1);
  const stderr = new TextDecoder().decode(result.stderr).trim();
  assertEquals(stderr.split("\n").length, 1);
  assertMatch(stderr, /^Invalid configuration: PORT /);
});
