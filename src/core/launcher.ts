/**
 * Stopping with the command that started us. `npx -y deno@2 task start &` runs
 * npm exec → sh -c → deno task → deno run (this process). `kill $!` ends npm exec only:
 * nobody passes the signal down, `deno task` is adopted by init and this process would keep
 * serving (and holding the port). So at start-up we note the chain of launcher processes
 * above us (`deno task`, `sh -c`, npm/npx) and their parents, and poll it: once a member
 * is gone or has a new parent, whoever started us has been stopped, and so do we.
 *
 * The chain is read from /proc: Linux, and Deno lets only `--allow-all` read it. Elsewhere,
 * or with narrower permissions, the direct parent alone is watched. Started directly
 * (systemd, a supervisor, a plain `deno run`), the chain is just the direct parent.
 */

/** One process of the chain and the parent it had when we started. */
interface Link {
  pid: number;
  parent: number;
}

/** How often the chain is checked. */
const POLL_MS = 1_000;

/**
 * Calls `onGone` once when a launcher above this process ends. Returns a function that
 * stops watching.
 */
export function watchLaunchers(onGone: (reason: string) => void): () => void {
  const chain = launcherChain();
  const timer = setInterval(() => {
    const broken = chain.find((link) => parentOf(link.pid) !== link.parent);
    if (!broken) return;
    clearInterval(timer);
    onGone(
      broken.pid === Deno.pid
        ? `parent process ${broken.parent} has ended`
        : `the command that started this process has stopped (launcher pid ${broken.pid})`,
    );
  }, POLL_MS);
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
}

/** Our parent, then each further ancestor while the one below it is a launcher. */
export function launcherChain(): Link[] {
  const chain: Link[] = [{ pid: Deno.pid, parent: parentOf(Deno.pid)! }];
  let pid = chain[0].parent;
  while (pid > 1 && chain.length < 16 && isLauncher(commandOf(pid))) {
    const parent = parentOf(pid);
    if (parent === undefined) break;
    chain.push({ pid, parent });
    pid = parent;
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
  if (name === "node" || name.startsWith("node")) {
    return args.some((arg) => /(^|\/)(npm|npx)(-cli\.js)?$/.test(arg));
  }
  return false;
}

/** The parent pid of a process; undefined once it is gone (or without /proc). */
function parentOf(pid: number): number | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // "pid (command) state ppid …": the command may hold spaces and parentheses.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return pid === Deno.pid ? Deno.ppid : undefined;
  }
}

function commandOf(pid: number): string[] {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").filter(Boolean);
  } catch {
    return [];
  }
}
