import { assertEquals, assertMatch } from "./assert.ts";
import {
  exists,
  login,
  ROOT,
  runCommand,
  serviceEnv,
  startService,
  withTempDir,
} from "./service-process.ts";

// `deno task admin`: list admins, reset a forgotten password and back the database up,
// against the database the service uses, while it runs.

function admin(args: string[], env: Record<string, string>, input?: string) {
  return runCommand(Deno.execPath(), ["task", "--quiet", "admin", ...args], {
    cwd: ROOT,
    env: serviceEnv(env),
    input,
  });
}

Deno.test("admin task: lists the admins and resets a password (piped or generated) while the service runs", async () => {
  await withTempDir(async (dataDir) => {
    const env = { DATA_DIR: dataDir, ADMIN_USERNAME: "root", ADMIN_PASSWORD: "first-pass" };
    const service = await startService(env);
    try {
      const listed = await admin(["list"], { DATA_DIR: dataDir });
      assertEquals(listed.code, 0, listed.stderr);
      assertMatch(listed.stdout, /^root\t[0-9a-f]{24}\t\d{4}-\d\d-\d\dT/);

      const piped = await admin(["reset-password", "root"], { DATA_DIR: dataDir }, "second-pass\n");
      assertEquals([piped.code, piped.stdout], [0, `Password of admin "root" changed.\n`]);
      await login(service.url, "root", "second-pass");

      const generated = await admin(["reset-password", "root"], { DATA_DIR: dataDir });
      assertEquals(generated.code, 0, generated.stderr);
      const password = /changed to: (\S+)/.exec(generated.stdout)![1];
      await login(service.url, "root", password);
    } finally {
      await service.stop();
    }
  });
});

Deno.test("admin task: failures are one line with status 1 and create nothing", async () => {
  await withTempDir(async (dir) => {
    const service = await startService({ DATA_DIR: dir, ADMIN_PASSWORD: "first-pass" });
    await service.stop();
    const cases: [string[], Record<string, string>, RegExp][] = [
      [
        ["reset-password", "nobody"],
        { DATA_DIR: dir },
        /^No admin named "nobody" \(admins: admin\)$/,
      ],
      [
        ["list"],
        { DATA_DIR: `${dir}/typo` },
        /^No database at .*\/typo\/ocariot\.db: start the service/,
      ],
      [["frobnicate"], { DATA_DIR: dir }, /^Unknown command "frobnicate"/],
      [
        ["list"],
        { DATA_DIR: dir, DATABASE_URL: "mysql://x" },
        /^Invalid configuration: DATABASE_URL/,
      ],
    ];
    for (const [args, env, line] of cases) {
      const result = await admin(args, env);
      assertEquals(result.code, 1, args.join(" "));
      assertEquals(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
      assertMatch(result.stderr.trim(), line);
    }
    assertEquals(await exists(`${dir}/typo`), false);
  });
});
