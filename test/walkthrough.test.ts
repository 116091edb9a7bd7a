import { assertEquals, assertMatch, assertTrue } from "./assert.ts";
import { startService, walkThrough, withTempDir } from "./service-process.ts";

// The README's walk-through (docs/walkthrough.sh) run as written against a freshly started
// service: every step must answer as expected; a failing step must show the API's answer.

Deno.test("walk-through: every step succeeds against a fresh service (run twice on one database)", async () => {
  await withTempDir(async (dataDir) => {
    const service = await startService({ DATA_DIR: dataDir, ADMIN_PASSWORD: "walk-pass-1" });
    try {
      for (let run = 0; run < 2; run++) {
        const result = await walkThrough({ API: service.url, ADMIN_PASSWORD: "walk-pass-1" });
        assertEquals(result.code, 0, result.stderr);
        assertMatch(result.stderr, /== Done: every step answered as expected/);
        assertMatch(result.stdout, /"name":"Class 4A","children":\[\{"id":"[0-9a-f]{24}"/);
        assertMatch(result.stdout, /"name":"Walk"/);
      }
    } finally {
      await service.stop();
    }
  });
});

Deno.test("walk-through: a failing step stops the script with the API's error body", async () => {
  await withTempDir(async (dataDir) => {
    const service = await startService({ DATA_DIR: dataDir, ADMIN_PASSWORD: "walk-pass-1" });
    try {
      const result = await walkThrough({ API: service.url, ADMIN_PASSWORD: "not-the-password" });
      assertEquals(result.code, 1);
      assertEquals(
        result.stderr.trim().split("\n").at(-1),
        `FAILED: admin login: HTTP 401 {"code":401,"message":"Invalid username or password!"}`,
      );
      assertTrue(!/Traceback|KeyError|SyntaxError|at /.test(result.stderr), result.stderr);
    } finally {
      await service.stop();
    }
  });
});

/** A loopback port nothing listens on (now). */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.close();
  return (listener.addr as Deno.NetAddr).port;
}

Deno.test("walk-through: started together with the service (`start &` then the script), it waits for it", async () => {
  await withTempDir(async (dataDir) => {
    const port = freePort();
    const walking = walkThrough({
      API: `http://127.0.0.1:${port}/v1`,
      ADMIN_PASSWORD: "walk-pass-2",
    });
    const service = await startService({
      DATA_DIR: dataDir,
      ADMIN_PASSWORD: "walk-pass-2",
      PORT: String(port),
    });
    try {
      const result = await walking;
      assertEquals(result.code, 0, result.stderr);
    } finally {
      await service.stop();
    }
  });
});

Deno.test("walk-through: no service answering is one clear line", async () => {
  const port = freePort();
  const result = await walkThrough({
    API: `http://127.0.0.1:${port}/v1`,
    ADMIN_PASSWORD: "x",
    WAIT_SECONDS: "1",
  });
  assertEquals(result.code, 1);
  assertMatch(result.stderr, /FAILED: admin login: no answer from http:\/\/127\.0\.0\.1:\d+\/v1/);
});
