/**
 * The wearable sync benchmarks (one script per provider, owned by the provider's folder
 * of work), run as they are and read back from their printed round table. A provider's
 * bench joins the suite by being listed here (skipped while its file does not exist).
 */
import { repoPath } from "./process.ts";

/** Sync bench scripts: name, path from the repository root, and the provider's limit. */
export const SYNC_BENCHES = [
  { name: "Fitbit", script: "bench/fitbit-sync.ts", target: "all stored, ≤ 150 calls/child/h" },
  {
    name: "Google Health",
    script: "bench/google-health-sync.ts",
    target: "all stored, ≤ 300 calls/user/min",
  },
];

/** One round as the sync bench printed it. */
export interface SyncRound {
  provider: string;
  round: string;
  children: number;
  failed: number;
  seconds: number;
  childrenPerSecond: number;
  callsPerChild: number;
  maxStallMs: number;
  /** What the script checks (its OK line): everything stored within the provider's limit. */
  target: string;
  /** The script's own verdict line started with OK. */
  ok: boolean;
  /** The fake provider's latency per call (ms) and the scheduler's concurrency. */
  latencyMs: number;
  concurrency: number;
}

/** Runs every sync bench that exists with these options; rounds in printed order. */
export async function runSyncBenches(
  options: { children: number; latencyMs: number; concurrency: number },
): Promise<SyncRound[]> {
  const rounds: SyncRound[] = [];
  for (const bench of SYNC_BENCHES) {
    try {
      await Deno.stat(repoPath(bench.script));
    } catch {
      continue;
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        bench.script,
        `--children=${options.children}`,
        `--latency=${options.latencyMs}`,
        `--concurrency=${options.concurrency}`,
      ],
      cwd: repoPath(""),
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    const ok = out.success && /^OK\b/m.test(text);
    const parsed = parseRoundTable(text);
    if (parsed.length === 0) {
      console.error(
        `${bench.script} printed no round table:\n${text}\n${new TextDecoder().decode(out.stderr)}`,
      );
    }
    for (const row of parsed) {
      rounds.push({
        provider: bench.name,
        target: bench.target,
        round: String(row.round ?? "?"),
        children: Number(row.children ?? 0),
        failed: Number(row.failed ?? 0),
        seconds: Number(row.seconds ?? 0),
        childrenPerSecond: Number(row.children_per_second ?? 0),
        callsPerChild: Number(row.calls_per_child ?? 0),
        maxStallMs: Number(row.max_stall_ms ?? 0),
        ok,
        latencyMs: options.latencyMs,
        concurrency: options.concurrency,
      });
    }
  }
  return rounds;
}

/** The rows of a `console.table` whose header has a `round` column. */
export function parseRoundTable(text: string): Record<string, string>[] {
  const cells = (line: string) =>
    line.split("│").slice(1, -1).map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"));
  const lines = text.split("\n").filter((line) => line.startsWith("│"));
  const headerAt = lines.findIndex((line) => cells(line).includes("round"));
  if (headerAt < 0) return [];
  const header = cells(lines[headerAt]);
  return lines.slice(headerAt + 1).map((line) =>
    Object.fromEntries(cells(line).map((cell, i) => [header[i], cell]))
  );
}
