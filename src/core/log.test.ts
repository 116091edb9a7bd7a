import { assertEquals, assertMatch } from "../../test/assert.ts";
import { createLogger, lineOf, type LogOutput } from "./log.ts";

// A log line is the text JSON.stringify gives for `{ time, level, msg, ...fields }`,
// written field by field; stdout lines are written in batches, and none is lost when
// the process ends (Deno.exit, a natural end, an uncaught error).

const FIELDS: [string, Record<string, unknown> | undefined][] = [
  ["no fields", undefined],
  ["empty", {}],
  ["a request line", {
    request_id: "0b6c1f8e-3a55-4e1f-9a9c-2a7d8f1e4b21",
    method: "GET",
    path: "/v1/children/0123456789abcdef01234567",
    status: 200,
    ms: 3,
    user: undefined,
  }],
  ["strings needing escapes", { path: '/a"b\\c\n\u0001\u2028\ud800', 'odd "key"': "x" }],
  ["numbers, booleans, null", { a: 0, b: -1.5, c: NaN, d: Infinity, e: true, f: null }],
  ["nested values and arrays", { jobs: ["a", "b"], error: { message: "m", stack: undefined } }],
  ["values JSON leaves out", { f: () => 1, s: Symbol("s"), u: undefined, kept: 1 }],
  ["a date (toJSON)", { at: new Date(Date.UTC(2025, 0, 2)) }],
  ["a key named like the head", { msg: "replaced", time: "t", level: "x", after: 1 }],
  ["integer-like keys (objects put them first)", { b: 1, 2: "two", 10: "ten", a: 0 }],
  ["an inherited key is not own", Object.assign(Object.create({ inherited: 1 }), { own: 2 })],
];

for (const [name, fields] of FIELDS) {
  Deno.test(`log: a line is JSON.stringify's text of the merged object (${name})`, () => {
    const line = lineOf("info", "a message", fields);
    const time = JSON.parse(line).time ?? "";
    const merged = { time, level: "info", msg: "a message", ...fields };
    // A field named time replaces the line's own time in both.
    assertEquals(line, JSON.stringify(merged));
  });
}

Deno.test("log: levels below the logger's are dropped; warnings and errors go to stderr", () => {
  const out: string[] = [], err: string[] = [];
  const output: LogOutput = { out: (l) => out.push(l), err: (l) => err.push(l) };
  const log = createLogger("info", output);
  log.debug("hidden");
  log.info("shown", { n: 1 });
  log.warn("careful");
  log.error("broken", { error: "x" });
  assertEquals(out.map((l) => JSON.parse(l).msg), ["shown"]);
  assertEquals(err.map((l) => JSON.parse(l).level), ["warn", "error"]);
  assertMatch(out[0], /^\{"time":"\d{4}-\d\d-\d\dT[\d:.]+Z","level":"info","msg":"shown","n":1\}$/);
  const silent = createLogger("silent", output);
  silent.error("nothing");
  assertEquals(err.length, 2);
});

/** Runs a script that logs through the process's own streams; returns its output. */
async function runScript(body: string) {
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(
      file,
      `import { createLogger } from ${JSON.stringify(new URL("./log.ts", import.meta.url).href)};
const log = createLogger("info");
${body}`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", file],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
  } finally {
    await Deno.remove(file);
  }
}

const lines = (text: string) =>
  text.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l).msg);

const ENDINGS: [string, string, number][] = [
  ["Deno.exit right after", "Deno.exit(0);", 0],
  ["the script ending", "", 0],
  ["an uncaught error", 'throw new Error("boom");', 1],
  ["a rejected promise", 'await Promise.reject(new Error("boom"));', 1],
  ["an error in a later turn", 'setTimeout(() => { throw new Error("boom"); }, 5);', 1],
];

for (const [name, ending, code] of ENDINGS) {
  Deno.test(`log: no stdout line is lost at the end of the process (${name})`, async () => {
    const result = await runScript(`log.info("first");\nlog.info("last");\n${ending}`);
    assertEquals(result.code, code);
    assertEquals(lines(result.stdout), ["first", "last"]);
  });
}

Deno.test("log: many lines are written in order, stdout's before a later stderr line", async () => {
  const result = await runScript(
    `for (let i = 0; i < 3000; i++) log.info("line " + i, { i });
log.warn("a warning");
console.log("after the warning");
log.info("last");`,
  );
  const expected = Array.from({ length: 3000 }, (_, i) => `line ${i}`).concat("last");
  assertEquals(lines(result.stdout), expected);
  assertEquals(lines(result.stderr), ["a warning"]);
  // Every line logged before the warning was written before it: the warning flushed them.
  const plain = result.stdout.split("\n");
  assertEquals(plain.indexOf("after the warning"), 3000);
});
