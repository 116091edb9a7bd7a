/**
 * The load generator: autocannon from npm, run by Node in its own process (a second
 * process, so the service's figures are not the generator's). Installed on first use
 * into the user's cache directory, outside the repository.
 */
import { fileURLToPath } from "node:url";

const AUTOCANNON = "autocannon@8.0.0";
const DRIVER = fileURLToPath(new URL("./autocannon-driver.mjs", import.meta.url));

/** What one load run asks for. */
export interface LoadSpec {
  url: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  seconds: number;
  warmupSeconds?: number;
  /** Arrays of fresh activities for these children instead of a fixed body. */
  ingest?: { childIds: string[]; size: number; base: number };
}

/** What one load run measured (latencies in ms, autocannon's millisecond resolution). */
export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, { count: number }>;
}

let toolDir: Promise<string> | undefined;

/** The directory holding autocannon's node_modules, installing it with npm when missing. */
export function autocannonDir(): Promise<string> {
  return toolDir ??= (async () => {
    const home = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME") ?? "/tmp"}/.cache`;
    const dir = `${home}/ocariot-bench/${AUTOCANNON.replace("@", "-")}`;
    try {
      await Deno.stat(`${dir}/node_modules/autocannon/package.json`);
      return dir;
    } catch {
      // not installed yet
    }
    await Deno.mkdir(dir, { recursive: true });
    console.error(`installing ${AUTOCANNON} into ${dir} (once)…`);
    const out = await new Deno.Command("npm", {
      args: ["install", "--prefix", dir, AUTOCANNON, "--no-audit", "--no-fund", "--silent"],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Error(`npm install ${AUTOCANNON} failed (is Node/npm on PATH?)`);
    return dir;
  })();
}

/** Runs autocannon against `spec.url` and returns its figures. */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  const out = await new Deno.Command("node", {
    args: [DRIVER, await autocannonDir(), JSON.stringify(spec)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success || !text) {
    throw new Error(`autocannon failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(text.split("\n").at(-1)!) as LoadResult;
}
