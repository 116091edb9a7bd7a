import { relative } from "node:path";
import { assertEquals, assertMatch, assertTrue } from "./assert.ts";
import {
  exists,
  failedStart,
  MAIN,
  ROOT,
  RUN_ARGS,
  startService,
  withTempDir,
} from "./service-process.ts";

// Start-up checks configuration, then the listen address, before it writes anything: each
// failure is one line naming the variable or the cause, exit status 1, and no data
// directory, database or key file left behind.

/** A port some other process holds for the duration of `body`. */
async function withPortTaken<T>(body: (port: number) => Promise<T>): Promise<T> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    return await body((listener.addr as Deno.NetAddr).port);
  } finally {
    listener.close();
  }
}

const failures: {
  name: string;
  env: (port: number) => Record<string, string>;
  line: RegExp;
}[] = [
  {
    name: "port in use",
    env: (port) => ({ PORT: String(port) }),
    line: /^Cannot listen on 127\.0\.0\.1:\d+: port \d+ is already in use \(set PORT /,
  },
  {
    name: "metrics port in use",
    env: (port) => ({ METRICS_PORT: String(port) }),
    line: /^Cannot listen on 127\.0\.0\.1:\d+: port \d+ is already in use \(set METRICS_PORT /,
  },
  {
    name: "host that does not resolve",
    env: () => ({ HOST: "not_a_host" }),
    line: /^Invalid configuration: HOST "not_a_host" cannot be resolved/,
  },
  {
    name: "host that is not this machine's",
    env: () => ({ HOST: "192.0.2.1" }),
    line: /^Invalid configuration: HOST "192\.0\.2\.1" is not an address of this machine$/,
  },
  {
    name: "bad variable",
    env: () => ({ PORT: "not-a-port" }),
    line: /^Invalid configuration: PORT must be a port number \(0 to 65535\) \(got "not-a-port"\)$/,
  },
  {
    name: "bad database URL",
    env: () => ({ DATABASE_URL: "postgres://db/ocariot" }),
    line:
      /^Invalid configuration: DATABASE_URL must start with file:, libsql:\/\/, http:\/\/ or https:\/\//,
  },
  {
    name: "unreadable TLS certificate",
    env: () => ({ SSL_CERT_PATH: "/nonexistent/cert.pem", SSL_KEY_PATH: "/nonexistent/key.pem" }),
    line: /^Invalid configuration: SSL_CERT_PATH cannot be read \(\/nonexistent\/cert\.pem: /,
  },
];

for (const failure of failures) {
  Deno.test(`start-up failure, ${failure.name}: one line, exit status 1, nothing created`, async () => {
    await withTempDir(async (dir) => {
      const dataDir = `${dir}/data`;
      await withPortTaken(async (port) => {
        const result = await failedStart({
          DATA_DIR: dataDir,
          ADMIN_PASSWORD: "admin123",
          ...failure.env(port),
        });
        assertEquals(result.code, 1);
        assertEquals(result.stdout, "");
        const lines = result.stderr.trimEnd().split("\n");
        assertEquals(lines.length, 1, result.stderr);
        assertMatch(lines[0], failure.line);
      });
      assertTrue(!await exists(dataDir), "nothing is written before the checks pass");
    });
  });
}

Deno.test("start-up: a relative DATA_DIR resolves against the project root, not the working directory", async () => {
  await withTempDir(async (dir) => {
    const elsewhere = await Deno.makeTempDir({ dir });
    const dataDir = `${dir}/data`;
    const service = await startService(
      { DATA_DIR: relative(ROOT, dataDir), ADMIN_PASSWORD: "admin123" },
      { args: [...RUN_ARGS, MAIN], cwd: elsewhere },
    );
    await service.stop();
    assertEquals(service.startLine.data_dir, dataDir);
    assertTrue(await exists(`${dataDir}/ocariot.db`), "the database is under the project root");
    assertTrue(await exists(`${dataDir}/keys/jwt.key`));
    assertEquals([...Deno.readDirSync(elsewhere)], [], "nothing in the working directory");
  });
});
