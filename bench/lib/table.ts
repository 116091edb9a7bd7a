/** The bench's one table (Markdown, so the same text goes to the terminal and the docs). */

/** One row: a figure beside its reference from the same run. */
export interface TableRow {
  what: string;
  figure: string;
  reference: string;
  ratio: string;
  target: string;
  verdict: string;
}

const HEADER = ["what", "figure", "reference (same run)", "ratio", "target", ""];

/** A Markdown table of the rows. */
export function renderTable(rows: TableRow[]): string {
  const lines = [HEADER, HEADER.map(() => "---")]
    .concat(rows.map((r) => [r.what, r.figure, r.reference, r.ratio, r.target, r.verdict]));
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

/** The machine the run happened on, in one line. */
export async function machine(): Promise<string> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.trim() ?? Deno.build.arch;
  const memory = Deno.systemMemoryInfo();
  const node = await new Deno.Command("node", { args: ["--version"], stdout: "piped" }).output()
    .then((out) => new TextDecoder().decode(out.stdout).trim()).catch(() => "?");
  return `Machine: ${model}, ${navigator.hardwareConcurrency} cores, ${
    Math.round(memory.total / 2 ** 30)
  } GiB, ${Deno.build.os} ${Deno.osRelease()}; Deno ${Deno.version.deno}, Node ${node} ` +
    `(autocannon); ${new Date().toISOString().slice(0, 10)}.`;
}

const START = "<!-- bench:table:start -->";
const END = "<!-- bench:table:end -->";

/** Replaces the table section of docs/performance.md (the rest of the file is prose). */
export async function writeDoc(
  path: string,
  table: string,
  about: string,
  settings: { rounds: number; seconds: number; bigRows: number },
): Promise<void> {
  const section = [
    START,
    `The last full \`deno task bench\` (${settings.rounds} interleaved rounds of ${settings.seconds} s per figure; medians, (min–max) over rounds).`,
    "",
    about,
    "",
    table,
    END,
  ].join("\n");
  let text = await Deno.readTextFile(path).catch(() => `# Performance\n\n${START}\n${END}\n`);
  const from = text.indexOf(START), to = text.indexOf(END);
  text = from >= 0 && to > from
    ? text.slice(0, from) + section + text.slice(to + END.length)
    : `${text.trimEnd()}\n\n${section}\n`;
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, text);
  // Keep the file as `deno fmt` wants it (the check task verifies docs too).
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", path] }).output();
}
