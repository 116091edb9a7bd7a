/**
 * Where the time goes: a summary of V8 CPU profiles (`deno run --cpu-prof`), self time
 * grouped by layer (SQL driver, drizzle, jose, Hono, zod, the runtime, our own folders)
 * and the busiest functions. Idle time is left out; shares are of busy time.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The layer a function belongs to, from its script URL. */
export function layerOf(url: string, name: string): string {
  if (name === "(idle)") return "idle";
  if (name === "(garbage collector)") return "GC";
  if (name === "(program)" || name === "(root)") return "V8/native (program)";
  if (/libsql/.test(url)) return "SQL driver (@libsql/client, libsql)";
  if (/drizzle-orm/.test(url)) return "drizzle-orm";
  if (/\/jose\//.test(url)) return "jose (JWT)";
  if (/\/hono\//.test(url)) return "Hono";
  if (/\/zod\//.test(url)) return "zod";
  if (/node_modules|\/npm\//.test(url)) return "other npm";
  const own = /\/src\/([^/]+)(?:\/([^/]+))?/.exec(url);
  if (own) return `src/${own[1]}${own[2] && !own[2].endsWith(".ts") ? `/${own[2]}` : ""}`;
  if (url.startsWith("ext:") || url.startsWith("node:")) {
    return `Deno runtime (${url.replace(/^ext:/, "").split("/")[0]})`;
  }
  if (url === "") return "V8 builtins/native";
  return "other";
}

/** Self time (ms) per layer and per function of one profile. */
export function selfTimes(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const layers = new Map<string, number>();
  const functions = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const layer = layerOf(url, functionName);
    layers.set(layer, (layers.get(layer) ?? 0) + ms);
    if (layer === "idle") continue;
    const key = `${functionName || "(anonymous)"} ${url.replace(/^.*\/(src|npm|ext:)/, "$1")}:${
      lineNumber + 1
    }`;
    functions.set(key, (functions.get(key) ?? 0) + ms);
  }
  return { layers, functions };
}

/** A printable summary of every profile under `dir` (one per service process). */
export async function summariseProfiles(dir: string): Promise<string> {
  const out: string[] = [];
  for await (const entry of walk(dir)) {
    const profile = JSON.parse(await Deno.readTextFile(entry)) as CpuProfile;
    const { layers, functions } = selfTimes(profile);
    const busy = [...layers].filter(([name]) => name !== "idle").reduce((a, [, ms]) => a + ms, 0);
    out.push(
      `\n${entry}\nbusy ${busy.toFixed(0)} ms (idle ${(layers.get("idle") ?? 0).toFixed(0)} ms)`,
    );
    const share = (ms: number) => `${((ms / busy) * 100).toFixed(1).padStart(5)}%`;
    for (
      const [name, ms] of [...layers].filter(([n]) => n !== "idle").sort((a, b) => b[1] - a[1])
    ) {
      out.push(`  ${share(ms)}  ${name}`);
    }
    out.push("  busiest functions (self time):");
    for (const [name, ms] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
      out.push(`  ${share(ms)}  ${name}`);
    }
  }
  return out.join("\n");
}

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walk(path);
    else if (entry.name.endsWith(".cpuprofile")) yield path;
  }
}

if (import.meta.main) console.log(await summariseProfiles(Deno.args[0] ?? "."));
