/**
 * Processes the bench starts and watches: the real service (`src/main.ts`) on a data
 * directory of its own, and the bare Hono hello-world that serves as the ceiling. CPU time
 * and peak RSS are read from /proc (Linux), as `/usr/bin/time -v` would report them.
 */
import { fileURLToPath } from "node:url";
import denoJson from "../../deno.json" with { type: "json" };

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/**
 * How `deno task start` runs the service, read from its task line: the variables set
 * before the command (glibc's allocator settings) and the flags of `deno run` (permissions,
 * V8 flags). The service is measured as it is started in production.
 */
export function startTask(line = denoJson.tasks.start) {
  const words = line.split(/\s+/).filter(Boolean);
  const env: Record<string, string> = {};
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? "")) {
    const [name, ...value] = words.shift()!.split("=");
    env[name] = value.join("=");
  }
  if (words[0] !== "deno" || words[1] !== "run") throw new Error(`unexpected start task: ${line}`);
  return { env, flags: words.slice(2, -1) };
}

const START = startTask();
/** The permissions alone, for the other processes the bench starts (the ceiling). */
const PERMISSIONS = START.flags.filter((word) => word.startsWith("--allow-"));

/** A free loopback port (the kernel's pick; released before the server binds it). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A server process the bench started. */
export class Server {
  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: Deno.ChildProcess,
    /** Milliseconds from spawn to the first 200 on the readiness path. */
    readonly startupMs: number,
    private readonly stderr: Promise<string>,
  ) {}

  get pid(): number {
    return this.child.pid;
  }

  /** Spawns `deno run <flags> <script>` and waits for a 200 on `readyPath`. */
  static async start(options: {
    name: string;
    script: string;
    env?: Record<string, string>;
    denoFlags?: string[];
    readyPath: string;
    /** Started as `deno task start` starts it (its variables and flags), not bare. */
    asStartTask?: boolean;
  }): Promise<Server> {
    const port = freePort();
    const started = performance.now();
    const start = options.asStartTask ? START : { env: {}, flags: PERMISSIONS };
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", ...start.flags, ...(options.denoFlags ?? []), options.script],
      cwd: ROOT,
      env: { ...start.env, HOST: "127.0.0.1", PORT: String(port), ...options.env },
      stdin: "null",
      // The service logs one JSON line per request at its default level, as in production.
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const url = `http://127.0.0.1:${port}`;
    let exited = false;
    child.status.then(() => exited = true);
    for (;;) {
      if (exited) throw new Error(`${options.name} exited during start-up: ${await stderr}`);
      try {
        const res = await fetch(url + options.readyPath);
        await res.body?.cancel();
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 120_000) {
        throw new Error(`${options.name} not ready after 120 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return new Server(options.name, url, child, performance.now() - started, stderr);
  }

  /** CPU time (user + system) the process has used so far, in ms. */
  cpuMs(): number {
    const stat = Deno.readTextFileSync(`/proc/${this.pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks * 10; // USER_HZ is 100 on Linux
  }

  /** Peak resident set size so far (VmHWM), in MB. */
  peakRssMb(): number {
    const status = Deno.readTextFileSync(`/proc/${this.pid}/status`);
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  }

  /** Stops the process (SIGTERM: the service shuts down gracefully) and waits for it. */
  async stop(): Promise<string> {
    try {
      this.child.kill("SIGTERM");
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        this.child.kill("SIGKILL");
      } catch {
        // gone
      }
    }, 15_000);
    await this.child.status;
    clearTimeout(timer);
    return await this.stderr;
  }
}

/** The path of a file in the repository. */
export const repoPath = (path: string) => ROOT + path;
