/**
 * The real entry point as a child process, the way `deno task start` runs it: for tests
 * of start-up, stopping, the walk-through, metrics and the remote database.
 */

/** The project root and the entry point. */
export const ROOT = new URL("..", import.meta.url).pathname;
export const MAIN = new URL("../src/main.ts", import.meta.url).pathname;

/** What `deno task start` grants (see deno.json). */
export const RUN_ARGS = ["run", "--quiet", "--allow-all"];

/**
 * Variables a test never inherits from the shell running it (so a developer's own
 * settings cannot change a test's outcome); an empty value counts as unset.
 */
const NEUTRAL: Record<string, string> = Object.fromEntries(
  [
    "PORT",
    "HOST",
    "DATA_DIR",
    "DATABASE_URL",
    "DATABASE_AUTH_TOKEN",
    "ADMIN_USERNAME",
    "ADMIN_PASSWORD",
    "METRICS_PORT",
    "METRICS_HOST",
    "LOG_LEVEL",
    "SSL_CERT_PATH",
    "SSL_KEY_PATH",
    "JWT_PRIVATE_KEY_PATH",
    "JWT_PUBLIC_KEY_PATH",
    "DATA_ENCRYPTION_KEY",
    "FITBIT_SYNC_INTERVAL",
  ].map((name) => [name, ""]),
);

/** The environment of a service under test: loopback, a random port, then `env`. */
export function serviceEnv(env: Record<string, string>): Record<string, string> {
  return { ...NEUTRAL, PORT: "0", HOST: "127.0.0.1", ...env };
}

/** The start-up log line's fields. */
export interface StartLine {
  version: string;
  url: string;
  data_dir: string;
  database: string;
  metrics: string;
  jobs: string[];
  first_admin?: string;
}

/** A service started by `startService`. */
export interface RunningService {
  url: string;
  startLine: StartLine;
  /** Everything printed so far (stdout then stderr as they came). */
  output(): string;
  /** Sends a signal and waits for the exit; returns the status and the whole output. */
  stop(signal?: Deno.Signal): Promise<{ code: number; output: string }>;
}

/**
 * Starts `src/main.ts` (or `args` instead of the usual `deno run` arguments) and waits for
 * its start-up line. Throws with the output when the process ends before it.
 */
export async function startService(
  env: Record<string, string>,
  options: { args?: string[]; command?: string; cwd?: string } = {},
): Promise<RunningService> {
  const child = new Deno.Command(options.command ?? Deno.execPath(), {
    args: options.args ?? [...RUN_ARGS, MAIN],
    cwd: options.cwd,
    env: serviceEnv(env),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) output += text;
  };
  const drained = Promise.all([collect(child.stdout), collect(child.stderr)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const line = await new Promise<StartLine>((resolve, reject) => {
    const poll = setInterval(() => {
      const found = output.split("\n").find((l) => l.includes('"msg":"listening"'));
      if (found) {
        clearInterval(poll);
        resolve(JSON.parse(found));
      } else if (exited) {
        clearInterval(poll);
        drained.then(() => reject(new Error(`service exited before listening:\n${output}`)));
      }
    }, 20);
  });
  return {
    url: line.url,
    startLine: line,
    output: () => output,
    async stop(signal: Deno.Signal = "SIGTERM") {
      if (!exited) child.kill(signal);
      const { code } = await status;
      await drained;
      return { code, output };
    },
  };
}

/** What a finished command printed and its exit status. */
export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, with `input` on its standard input (none by default). */
export async function runCommand(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; input?: string } = {},
): Promise<Finished> {
  const child = new Deno.Command(command, {
    args,
    env: options.env,
    cwd: options.cwd,
    stdin: options.input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.input));
    await writer.close();
  }
  const result = await child.output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: result.code, stdout: decode(result.stdout), stderr: decode(result.stderr) };
}

/** Runs `src/main.ts` expecting it to fail; returns its exit code and outputs. */
export function failedStart(env: Record<string, string>): Promise<Finished> {
  return runCommand(Deno.execPath(), [...RUN_ARGS, MAIN], { env: serviceEnv(env) });
}

/** Runs the walk-through script (docs/walkthrough.sh) with these variables. */
export function walkThrough(env: Record<string, string>): Promise<Finished> {
  return runCommand("bash", [`${ROOT}docs/walkthrough.sh`], { env });
}

/** Logs in over HTTP and returns the access token (throws with the answer otherwise). */
export async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/auth`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** Whether something exists at `path`. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** A fresh temporary directory removed after `body`. */
export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "ocariot-ops-" });
  try {
    return await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
