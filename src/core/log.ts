/** Severity of a log line. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const RANK: Record<LogLevel | "silent", number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 99,
};

/** Structured logger: one JSON object per line. Callers never pass secrets or tokens. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Where finished lines go (newline not included): stdout for debug and info, stderr above. */
export interface LogOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * The process's standard output, written in batches: lines are gathered and written by
 * one system call at the end of the event-loop turn (a request's line no longer costs
 * a console call and a write of its own). Nothing is lost on a clean stop: the buffer
 * is written when it grows large, before any stderr line (so the two streams keep their
 * order), and when the process exits (`Deno.exit` and a natural end dispatch `unload`)
 * or dies of an uncaught error.
 */
class BufferedStdout implements LogOutput {
  private pending: string[] = [];
  private bytes = 0;
  private scheduled = false;
  private listening = false;
  private readonly encoder = new TextEncoder();
  private readonly flushNow = () => this.flush();

  out(line: string): void {
    this.listen();
    this.pending.push(line);
    this.bytes += line.length + 1;
    if (this.bytes >= FLUSH_AT_BYTES) return this.flush();
    if (this.scheduled) return;
    this.scheduled = true;
    // Unreferenced: a pending line never keeps the process alive (`unload` writes it).
    Deno.unrefTimer(setTimeout(this.flushNow, 0));
  }

  err(line: string): void {
    this.flush();
    writeAll(Deno.stderr, this.encoder.encode(`${line}\n`));
  }

  /** Writes every pending line now. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const text = `${this.pending.join("\n")}\n`;
    this.pending = [];
    this.bytes = 0;
    writeAll(Deno.stdout, this.encoder.encode(text));
  }

  /** The exit paths, registered once, at the first line. */
  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    for (const event of ["unload", "error", "unhandledrejection"]) {
      globalThis.addEventListener(event, this.flushNow);
    }
  }
}

/** A batch larger than this is written at once rather than at the end of the turn. */
const FLUSH_AT_BYTES = 64 * 1024;

/** Writes the whole text; a closed or broken stream drops it (logging never stops the service). */
function writeAll(stream: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  try {
    for (let at = 0; at < bytes.length;) at += stream.writeSync(bytes.subarray(at));
  } catch {
    // stdout closed (the reader went away): nothing else to do with the line.
  }
}

const standardOutput = new BufferedStdout();

/**
 * A logger writing JSON lines to stdout (stderr for warnings and errors). `output`
 * replaces the process's streams (tests).
 */
export function createLogger(
  level: LogLevel | "silent" = "info",
  output: LogOutput = standardOutput,
): Logger {
  const write = (at: LogLevel) => {
    if (RANK[at] < RANK[level]) return () => {};
    const toStderr = RANK[at] >= RANK.warn;
    return (message: string, fields?: Record<string, unknown>) => {
      const line = lineOf(at, message, fields);
      if (toStderr) output.err(line);
      else output.out(line);
    };
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

/**
 * The text `JSON.stringify({ time, level, msg: message, ...fields })` gives, written field
 * by field (no merged object). A value JSON leaves out (undefined, a function) leaves its
 * key out, as in the object. Fields that would take another place in the merged object
 * (named time, level or msg, or integer-like keys, which objects order first) are rare:
 * the merged object is written then.
 */
export function lineOf(level: LogLevel, message: string, fields?: Record<string, unknown>) {
  const time = new Date().toISOString();
  let text = `{"time":"${time}","level":"${level}","msg":${JSON.stringify(message)}`;
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue;
    if (REORDERED.test(key)) return JSON.stringify({ time, level, msg: message, ...fields });
    const value = JSON.stringify(fields[key]);
    if (value !== undefined) text += `,${JSON.stringify(key)}:${value}`;
  }
  return `${text}}`;
}

/** Keys whose place in `{ time, level, msg, ...fields }` is not after `msg`. */
const REORDERED = /^(?:time|level|msg|0|[1-9]\d*)$/;
