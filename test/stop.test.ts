import { assertEquals, assertMatch } from "./assert.ts";
import { ROOT, startService, withTempDir } from "./service-process.ts";

// The service stops cleanly on SIGTERM and SIGINT, and also when the command that started
// it is killed: `npx -y deno@2 task start &` then `kill $!` ends npm only, which passes the
// signal to its `sh -c` and no further; `deno task` and the service are left to init.

/** Whether something accepts connections at the URL's host and port. */
async function accepting(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  try {
    (await Deno.connect({ hostname, port: Number(port) })).close();
    return true;
  } catch {
    return false;
  }
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test(`stop: ${signal} stops the service with status 0 and frees the port`, async () => {
    await withTempDir(async (dataDir) => {
      const service = await startService({ DATA_DIR: dataDir, ADMIN_PASSWORD: "admin123" });
      const { code, output } = await service.stop(signal);
      assertEquals(code, 0);
      assertMatch(output, new RegExp(`"shutting down","reason":"${signal}"`));
      assertEquals(await accepting(service.url), false);
    });
  });
}

// npm exec's part, played by node when present (it forwards SIGTERM to its child only, as
// npm does), else by the shell `sh -c` itself.
const npmLike = `const { spawn } = require("node:child_process");
const child = spawn("sh", ["-c", process.argv[1]], { stdio: "inherit" });
process.on("SIGTERM", () => { child.kill("SIGTERM"); process.exit(143); });`;

Deno.test("stop: killing the launcher (npm exec → sh -c → deno task) stops the service", async () => {
  const node = new Deno.Command("sh", { args: ["-c", "command -v node"], stdout: "null" })
    .outputSync().success;
  const task = `"${Deno.execPath()}" task start`;
  await withTempDir(async (dataDir) => {
    const service = await startService(
      { DATA_DIR: dataDir, ADMIN_PASSWORD: "admin123" },
      node
        ? { command: "node", args: ["-e", npmLike, task], cwd: ROOT }
        : { command: "sh", args: ["-c", task], cwd: ROOT },
    );
    // Like `kill $!`: the launcher only.
    const { output } = await service.stop("SIGTERM");
    // The launcher is gone at once; the service notices within a poll and exits. Its
    // output pipe closing (all holders gone) is what `stop` waited for.
    assertMatch(output, /"shutting down","reason":"the command that started this process/);
    assertEquals(await accepting(service.url), false, "the port is free again");
  });
});
