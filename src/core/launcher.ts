/**
 * Stopping with the command that started us. `npx -y deno@2 task start &` runs
 * npm exec → sh -c → deno task → deno run (this process). `kill $!` ends npm exec only:
 * npm passes the signal to its `sh -c`, which dies without passing it on, `deno task` is
 * adopted by init and this process would keep serving (and holding the port). So at start-up
 * we note the launcher processes above us (`deno task`, `sh -c`, npm/npx, up to the first
 * process that is none of these) and poll them: once one of them has exited, whoever started
 * us has been stopped, and so do we.
 *
 * Only launchers count: started directly by systemd, a supervisor, a shell or `nohup`,
 * nothing is watched, and a launcher merely adopted by init (its shell logged out under
 * `nohup`) still runs, so the service does too. The processes are read from /proc: Linux,
 * and Deno lets only `--allow-all` read it; without it nothing is watched.
 */

/** A launcher above us, identified by pid and start time (a pid may be reused). */
interface Launcher {
  pid: number;
  started: string;
}

/** How often the launchers are checked. */
const POLL_MS = 1_000;

/**
 * Calls `onGone` once when a launcher above this process exits. Returns a function that
 * stops watching.
 */
export function watchLaunchers(onGone: (reason: string) => void): () => void {
  const launchers = launcherChain();
  if (launchers.length === 0) return () => {};
  const timer = setInterval(() => {
    const gone = launchers.find((launcher) => statOf(launcher.pid)?.started !== launcher.started);
    if (!gone) return;
    clearInterval(timer);
    onGone(`the command that started this process has stopped (launcher pid ${gone.pid})`);
  }, POLL_MS);
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
}

/** The launchers above this process, nearest first. */
export function launcherChain(): Launcher[] {
  const chain: Launcher[] = [];
  let pid = statOf(Deno.pid)?.parent;
  while (pid !== undefined && pid > 1 && chain.length < 16 && isLauncher(commandOf(pid))) {
    const stat = statOf(pid);
    if (!stat) break;
    chain.push({ pid, started: stat.started });
    pid = stat.parent;
  }
  return chain;
}

/**
 * Whether a command line is one of the documented ways of starting the service: a
 * `deno task`, the `sh -c` npm runs it in, or npm/npx itself.
 */
export function isLauncher(argv: string[]): boolean {
  // npm rewrites its process title, so /proc may show "npm exec deno@2 task start" as one word.
  const [program = "", ...args] = argv.length === 1 ? argv[0].split(" ") : argv;
  const name = program.split("/").pop()!;
  if (name === "deno") return args.includes("task");
  if (["sh", "bash", "dash"].includes(name)) return args[0] === "-c";
  if (name === "npm" || name === "npx") return true;
  if (name.startsWith("node")) return args.some((arg) => /(^|\/)(npm|npx)(-cli\.js)?$/.test(arg));
  return false;
}

/** A process's parent and start time (clock ticks since boot); undefined once it is gone. */
function statOf(pid: number): { parent: number; started: string } | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // "pid (command) state ppid … starttime(22nd) …": the command may hold spaces and ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { parent: Number(fields[1]), started: fields[19] };
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string[] {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").filter(Boolean);
  } catch {
    return [];
  }
}
