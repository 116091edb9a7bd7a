/**
 * `deno task crash-test [--rounds=3] [--seconds=3] [--writers=4]`: kills the real service
 * with SIGKILL while it stores bulk writes, restarts it, and checks that nothing it
 * acknowledged was lost. Each round starts `src/main.ts` on the same temporary data
 * directory, runs concurrent writers (bulk physical activities and daily logs through
 * the HTTP API, as an application would), kills the process at a random moment, then
 * opens the database file: `PRAGMA integrity_check` must be `ok`, every item answered
 * 201 must be stored (with its value, for logs), and every answered request must have
 * its audit row (answers leave only after their row is committed). A last start checks
 * that the service comes back and serves what was stored. Exits 1 on any loss.
 */
import { createClient } from "@libsql/client";
import { checkDatabaseFile } from "./db-file.ts";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;
const PERMISSIONS = ["--allow-net", "--allow-read", "--allow-write", "--allow-env", "--allow-ffi"];
const ITEMS_PER_REQUEST = 25;
const LOG_RESOURCE = "steps";

/** `--name=N` or `--name N`: a positive number, else the default. */
function option(name: string, fallback: number): number {
  const at = Deno.args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  const value = Number(
    Deno.args[at].includes("=") ? Deno.args[at].split("=")[1] : Deno.args[at + 1],
  );
  if (!(value > 0)) throw new Error(`--${name} must be a positive number`);
  return value;
}
const ROUNDS = option("rounds", 3);
const SECONDS = option("seconds", 3);
const WRITERS = option("writers", 4);

/** What the service acknowledged so far, across rounds. */
const acknowledged = {
  activities: new Set<string>(),
  /** `child|date` → value. */
  logs: new Map<string, number>(),
  /** X-Request-Id of every answered request of the current round. */
  answered: new Set<string>(),
  serverErrors: 0,
};

interface Service {
  url: string;
  process: Deno.ChildProcess;
  output: () => string;
}

/** Starts src/main.ts, waits for "listening", keeps draining its output. */
async function startService(env: Record<string, string>): Promise<Service> {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, "--allow-sys", MAIN],
    env: { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  let listening!: (url: string) => void;
  const ready = new Promise<string>((resolve) => listening = resolve);
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      output = (output + text).slice(-20_000);
      const url = /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1];
      if (url) listening(url);
    }
  };
  void drain(process.stdout);
  void drain(process.stderr);
  const exited = process.status.then((status) => {
    throw new Error(`the service exited (${status.code}) before listening:\n${output}`);
  });
  const url = await Promise.race([ready, exited]);
  exited.catch(() => {});
  return { url, process, output: () => output };
}

async function call(
  service: Service,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
) {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: {
      "Content-Type": "application/json",
      ...(token && { Authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

async function setUp(service: Service, adminPassword: string) {
  const login = async (username: string, password: string) =>
    (await call(service, "POST", "/auth", undefined, { username, password })).body.access_token;
  const admin = await login("admin", adminPassword);
  const institution = await call(service, "POST", "/institutions", admin, {
    type: "School",
    name: "Crash test school",
  });
  const app = await call(service, "POST", "/applications", admin, {
    username: "crash-app",
    password: "crash-app-pass",
    institution_id: institution.body.id,
    application_name: "Crash test",
  });
  if (app.status !== 201) throw new Error(`set-up failed: ${JSON.stringify(app.body)}`);
  const children = [];
  for (const name of ["crash-child-1", "crash-child-2"]) {
    const child = await call(service, "POST", "/children", admin, {
      username: name,
      password: "child-pass",
      institution_id: institution.body.id,
      gender: "female",
      age: 10,
      age_calc_date: "2020-01-01",
    });
    children.push(child.body.id as string);
  }
  return { appToken: await login("crash-app", "crash-app-pass") as string, children };
}

let nextInstant = Date.UTC(2015, 0, 1);
let nextDay = Date.UTC(1990, 0, 1);
const takeInstant = () => (nextInstant += 60_000);
const takeDay = () => new Date(nextDay += 86_400_000).toISOString().slice(0, 10);

function activity(start: number) {
  return {
    name: "Walk",
    start_time: new Date(start).toISOString(),
    end_time: new Date(start + 30_000).toISOString(),
    duration: 30_000,
    calories: 12,
    steps: 40,
  };
}

/** One writer: bulk requests until the service stops answering. */
async function writer(service: Service, token: string, children: string[], n: number) {
  for (let i = 0;; i++) {
    const child = children[(n + i) % children.length];
    const logs = i % 2 === 1;
    const items = Array.from(
      { length: ITEMS_PER_REQUEST },
      () =>
        logs
          ? { date: takeDay(), value: Math.floor(Math.random() * 10_000) }
          : activity(takeInstant()),
    );
    const path = logs
      ? `/children/${child}/logs/${LOG_RESOURCE}`
      : `/children/${child}/physicalactivities`;
    let answer;
    try {
      answer = await call(service, "POST", path, token, items);
    } catch {
      return; // Killed: this request was never answered.
    }
    acknowledged.answered.add(answer.headers.get("X-Request-Id")!);
    if (answer.status >= 500) acknowledged.serverErrors++;
    for (const entry of answer.body?.success ?? []) {
      if (entry.code !== 201) continue;
      if (logs) acknowledged.logs.set(`${child}|${entry.item.date}`, entry.item.value);
      else acknowledged.activities.add(entry.item.id);
    }
  }
}

/** Every acknowledged item and answered request present, and the file intact. */
async function verify(databasePath: string) {
  const check = await checkDatabaseFile(databasePath);
  const client = createClient({ url: `file:${databasePath}` });
  try {
    const stored = new Set(
      (await client.execute("SELECT id FROM physical_activities")).rows.map((r) => String(r[0])),
    );
    const logs = new Map(
      (await client.execute({
        sql: "SELECT child_id, date, value FROM daily_logs WHERE resource = ?",
        args: [LOG_RESOURCE],
      })).rows.map((r) => [`${r[0]}|${r[1]}`, Number(r[2])]),
    );
    const audited = new Set(
      (await client.execute("SELECT request_id FROM audit_log")).rows.map((r) => String(r[0])),
    );
    return {
      integrity: check.integrity,
      missing_activities: [...acknowledged.activities].filter((id) => !stored.has(id)).length,
      missing_logs: [...acknowledged.logs].filter(([key, value]) => logs.get(key) !== value).length,
      missing_audit_rows: [...acknowledged.answered].filter((id) => !audited.has(id)).length,
    };
  } finally {
    client.close();
  }
}

async function main() {
  const dataDir = await Deno.makeTempDir({ prefix: "ocariot-crash-" });
  const adminPassword = crypto.randomUUID();
  const env = { DATA_DIR: dataDir, ADMIN_PASSWORD: adminPassword };
  const databasePath = `${dataDir}/ocariot.db`;
  let failed = false;
  let service = await startService(env);
  try {
    const { appToken, children } = await setUp(service, adminPassword);
    for (let round = 1; round <= ROUNDS; round++) {
      if (round > 1) service = await startService(env);
      acknowledged.answered.clear();
      const writers = Array.from(
        { length: WRITERS },
        (_, n) => writer(service, appToken, children, n),
      );
      const killAfter = SECONDS * 1000 * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      service.process.kill("SIGKILL");
      await service.process.status;
      await Promise.all(writers);
      const result = await verify(databasePath);
      const lost = result.missing_activities + result.missing_logs + result.missing_audit_rows;
      const ok = result.integrity === "ok" && lost === 0 && acknowledged.serverErrors === 0;
      failed ||= !ok;
      console.log(JSON.stringify({
        round,
        killed_after_ms: Math.round(killAfter),
        acknowledged_items_so_far: acknowledged.activities.size + acknowledged.logs.size,
        answered_requests: acknowledged.answered.size,
        ...result,
        server_errors: acknowledged.serverErrors,
        ok,
      }));
    }
    // Back up once more: the service starts on what the crashes left and serves it.
    service = await startService(env);
    const login = await call(service, "POST", "/auth", undefined, {
      username: "crash-app",
      password: "crash-app-pass",
    });
    let served = 0;
    for (const child of children) {
      const list = await call(
        service,
        "GET",
        `/children/${child}/physicalactivities?limit=1`,
        login.body.access_token,
      );
      served += Number(list.headers.get("X-Total-Count"));
    }
    const servesAll = served >= acknowledged.activities.size;
    failed ||= !servesAll;
    service.process.kill("SIGTERM");
    await service.process.status;
    console.log(
      `crash test: ${ROUNDS} rounds, ${
        acknowledged.activities.size + acknowledged.logs.size
      } acknowledged items, restart serves ${served} activities: ${failed ? "FAILED" : "ok"}`,
    );
  } catch (error) {
    failed = true;
    console.error(error instanceof Error ? error.message : String(error));
    console.error(service.output());
    try {
      service.process.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
  Deno.exit(failed ? 1 : 0);
}

if (import.meta.main) await main();
