/**
 * `deno task bench`: starts the real service (`src/main.ts`, separate processes on
 * temporary databases) and the bare Hono ceiling, loads them with autocannon (Node) in
 * interleaved rounds, and prints one table where each figure stands beside its reference
 * measured in the same run. See docs/performance.md.
 *
 *   deno task bench                 full run (writes the table into docs/performance.md)
 *   deno task bench --quick         smaller database, shorter runs, one round
 *   deno task bench --only=read     one row (read, list, ingest, login, startup, sync, dashboard)
 *   deno task bench --rounds=5 --seconds=10 --profile
 *   deno task bench --service-flags="--v8-flags=--max-semi-space-size=2"   (an experiment)
 *
 * `--profile` starts the services with `--cpu-prof` and keeps the profiles (and a summary
 * of where the time goes) in the run's directory, printed at the end.
 */
import { migrateDatabase, openDatabase } from "../src/db/client.ts";
import {
  createFixture,
  type Fixture,
  PASSWORD,
  seedActivities,
  someActivityOf,
} from "./lib/fixture.ts";
import { load, type LoadResult, type LoadSpec } from "./lib/load.ts";
import { repoPath, Server } from "./lib/process.ts";
import { summariseProfiles } from "./lib/profile.ts";
import { benchDashboard, type DashboardBenchResult } from "./dashboard.ts";
import { kdfRate, rawDriverRate } from "./lib/references.ts";
import { runSyncBenches, type SyncRound } from "./lib/sync.ts";
import { machine, renderTable, type TableRow, writeDoc } from "./lib/table.ts";

const ROWS = ["read", "list", "ingest", "login", "startup", "sync", "dashboard"] as const;
type RowName = (typeof ROWS)[number];

const flags = Object.fromEntries(Deno.args.map((arg) => {
  const [key, ...value] = arg.replace(/^--/, "").split("=");
  return [key, value.length > 0 ? value.join("=") : "true"];
}));
const quick = flags.quick === "true";
const only = new Set<RowName>(
  flags.only
    ? flags.only.split(",").map((name) => {
      if (!(ROWS as readonly string[]).includes(name)) throw new Error(`unknown row ${name}`);
      return name as RowName;
    })
    : ROWS,
);
const settings = {
  rounds: Number(flags.rounds ?? (quick ? 1 : 3)),
  seconds: Number(flags.seconds ?? (quick ? 2 : 5)),
  warmup: quick ? 0.5 : 1,
  smallRows: 10_000,
  bigRows: Number(flags.rows ?? (quick ? 100_000 : 1_000_000)),
  perChild: 200,
  startups: quick ? 1 : 3,
  syncChildren: Number(flags.children ?? (quick ? 100 : 1000)),
  dashboardRenders: quick ? 20 : 60,
  profile: flags.profile === "true",
  /** Extra `deno run` flags for the service processes (space-separated), for experiments. */
  serviceFlags: flags["service-flags"]?.split(" ").filter(Boolean) ?? [],
};
const full = !quick && only.size === ROWS.length && !flags.rounds && !flags.seconds &&
  !flags.rows && !flags.children && !settings.profile && settings.serviceFlags.length === 0;

const ADMIN_PASSWORD = "bench-admin-pass";
const runDir = await Deno.makeTempDir({ prefix: "ocariot-bench-" });
const profileDir = `${runDir}/profiles`;
const servers: Server[] = [];

/**
 * The login throttle (issue 10) counts a refused attempt as a failure for 15 minutes; the
 * login row's repeated logins of one user from one address would measure the throttle,
 * not the password check, so it is off in the bench's services.
 */
const NO_LOGIN_THROTTLE = { LOGIN_RATE_LIMIT_PER_USERNAME: "0", LOGIN_RATE_LIMIT_PER_ADDRESS: "0" };

/** The real service on its own data directory. */
async function startService(name: string, dataDir: string): Promise<Server> {
  const server = await Server.start({
    name,
    script: "src/main.ts",
    env: { DATA_DIR: dataDir, ADMIN_PASSWORD, ...NO_LOGIN_THROTTLE },
    denoFlags: [
      ...(settings.profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}/${name}`] : []),
      ...settings.serviceFlags,
    ],
    readyPath: "/health",
    asStartTask: true,
  });
  servers.push(server);
  return server;
}

const startHello = () =>
  Server.start({ name: "hello", script: "bench/hello.ts", readyPath: "/health" });

/** A migrated, empty database in `dir` (the service would make the same at start). */
async function prepareDatabase(dir: string): Promise<string> {
  const file = `${dir}/ocariot.db`;
  const handle = await openDatabase(`file:${file}`);
  await migrateDatabase(handle.db);
  handle.close();
  return file;
}

/** A service instance with its fixture and, optionally, `rows` seeded activities. */
interface Instance {
  server: Server;
  dir: string;
  dbFile: string;
  fixture: Fixture;
  seedSeconds: number;
}

async function instance(name: string, rows: number, extraChildren = 0): Promise<Instance> {
  const dir = `${runDir}/${name}`;
  const dbFile = await prepareDatabase(dir);
  const server = await startService(name, dir);
  const fixture = await createFixture(server.url, ADMIN_PASSWORD, extraChildren);
  const seedSeconds = rows > 0
    ? await seedActivities(dbFile, { rows, perChild: settings.perChild, childId: fixture.childId })
    : 0;
  return { server, dir, dbFile, fixture, seedSeconds };
}

/** One load run with the server's CPU time per request. */
interface Measured extends LoadResult {
  cpuUsPerRequest: number;
}

async function measure(
  server: Server,
  spec: Omit<LoadSpec, "url" | "seconds" | "warmupSeconds">,
  warmup = settings.warmup,
) {
  const cpuBefore = server.cpuMs();
  const result = await load({
    url: server.url,
    seconds: settings.seconds,
    warmupSeconds: warmup,
    ...spec,
  });
  // Warm-up requests are in the CPU time too; count them at the measured rate.
  const requests = result.requests * (1 + warmup / settings.seconds);
  const measured = {
    ...result,
    cpuUsPerRequest: ((server.cpuMs() - cpuBefore) * 1000) / Math.max(requests, 1),
  };
  if (result.non2xx > 0 || result.errors > 0) {
    console.error(
      `  warning: ${result.non2xx} non-2xx, ${result.errors} errors`,
      result.statusCodes,
    );
  }
  return measured;
}

/** The machine's 1-minute load average (other work on a shared machine moves every figure). */
const loadAverage = () => Deno.readTextFileSync("/proc/loadavg").split(" ")[0] ?? "?";
const loadAtStart = loadAverage();

const samples: Record<string, number[]> = {};
const note = (key: string, value: number) => (samples[key] ??= []).push(value);
const median = (key: string) => {
  const values = [...(samples[key] ?? [])].sort((a, b) => a - b);
  if (values.length === 0) return NaN;
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
};
const range = (key: string) => {
  const values = samples[key] ?? [];
  return values.length > 1 ? [Math.min(...values), Math.max(...values)] : undefined;
};
/** The figure over its reference in this round (medians of these are the table's ratios). */
const noteRatio = (key: string, figure: number, reference: number) =>
  note(`${key}.ratio`, figure / reference);
const noteLoad = (key: string, result: Measured) => {
  note(`${key}.rps`, result.rps);
  note(`${key}.p50`, result.p50);
  note(`${key}.p99`, result.p99);
  note(`${key}.cpu`, result.cpuUsPerRequest);
};

const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
let syncRounds: SyncRound[] = [];
let dashboard: DashboardBenchResult | undefined;
let hello: Server | undefined;
let ceilingRps = NaN;
let ceilingCpu = NaN;
let small: Instance | undefined, big: Instance | undefined, ingest: Instance | undefined;

try {
  const needsSmall = only.has("read") || only.has("list") || only.has("login");
  const needsBig = only.has("list") || only.has("startup");
  log(`run directory ${runDir}; load average ${loadAtStart}`);
  hello = await startHello();
  if (needsSmall) {
    log(`seeding ${settings.smallRows.toLocaleString("en")} activities…`);
    small = await instance("small", settings.smallRows);
    log(`  seeded in ${small.seedSeconds.toFixed(1)} s`);
  }
  if (needsBig) {
    log(`seeding ${settings.bigRows.toLocaleString("en")} activities…`);
    big = await instance("big", settings.bigRows);
    log(`  seeded in ${big.seedSeconds.toFixed(1)} s`);
  }
  if (only.has("ingest")) ingest = await instance("ingest", 0, 8);

  // Start-up to first 200 on the big database, beside the hello-world's.
  if (only.has("startup") && big) {
    for (let i = 0; i < settings.startups; i++) {
      await big.server.stop();
      servers.splice(servers.indexOf(big.server), 1);
      big.server = await startService("big", big.dir);
      note("startup.service", big.server.startupMs);
      const fresh = await startHello();
      note("startup.hello", fresh.startupMs);
      await fresh.stop();
    }
  }

  const readPath = small &&
    `/v1/children/${small.fixture.childId}/physicalactivities/${await someActivityOf(
      small.dbFile,
      small.fixture.childId,
    )}`;
  const listPath = (child: string) => `/v1/children/${child}/physicalactivities?limit=100`;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  for (let round = 1; round <= settings.rounds; round++) {
    log(`round ${round}/${settings.rounds}`);
    if (only.has("read") || only.has("list")) {
      const ceiling = await measure(hello, { path: "/", connections: 32 });
      noteLoad("ceiling", ceiling);
      ceilingRps = ceiling.rps;
      ceilingCpu = ceiling.cpuUsPerRequest;
    }
    if (only.has("read") && small && readPath) {
      // The service's own floor: every middleware, no token, no database.
      const floor = await measure(small.server, { path: "/v1", connections: 32 });
      noteLoad("floor", floor);
      noteRatio("floor", floor.rps, ceilingRps);
      noteRatio("floor.cpu", ceilingCpu, floor.cpuUsPerRequest);
      const read = await measure(small.server, {
        path: readPath,
        connections: 32,
        headers: auth(small.fixture.educatorToken),
      });
      noteLoad("read", read);
      noteRatio("read", read.rps, ceilingRps);
      noteRatio("read.cpu", ceilingCpu, read.cpuUsPerRequest);
    }
    if (only.has("list") && small && big) {
      const listSmall = await measure(small.server, {
        path: listPath(small.fixture.childId),
        connections: 32,
        headers: auth(small.fixture.educatorToken),
      });
      const listBig = await measure(big.server, {
        path: listPath(big.fixture.childId),
        connections: 32,
        headers: auth(big.fixture.educatorToken),
      });
      noteLoad("list.small", listSmall);
      noteLoad("list.big", listBig);
      note("list.p99ratio", listBig.p99 / Math.max(listSmall.p99, 1));
      noteRatio("list.small", listSmall.rps, ceilingRps);
      noteRatio("list.big", listBig.rps, ceilingRps);
      noteRatio("list.small.cpu", ceilingCpu, listSmall.cpuUsPerRequest);
      noteRatio("list.big.cpu", ceilingCpu, listBig.cpuUsPerRequest);
    }
    if (only.has("ingest") && ingest) {
      const before = await countActivities(ingest.dbFile);
      const result = await measure(ingest.server, {
        path: "/v1/children/:child_id/physicalactivities",
        method: "POST",
        connections: 8,
        headers: { ...auth(ingest.fixture.applicationToken), "Content-Type": "application/json" },
        ingest: {
          childIds: ingest.fixture.otherChildIds,
          size: 100,
          // Each round's instants lie in a range of their own (no 409 from an earlier round).
          base: Date.UTC(2021, 0, 1) + round * 1e11,
        },
      });
      const stored = (await countActivities(ingest.dbFile)) - before;
      const seconds = result.seconds + settings.warmup;
      const raw = await rawDriverRate(ingest.dbFile, settings.seconds);
      note("ingest.items", stored / seconds);
      noteLoad("ingest", result);
      note("ingest.raw", raw);
      noteRatio("ingest", stored / seconds, raw);
    }
    if (only.has("login") && small) {
      const result = await measure(small.server, {
        path: "/v1/auth",
        method: "POST",
        connections: 8,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: small.fixture.educatorUsername, password: PASSWORD }),
      }, 0); // No warm-up: the logins it leaves queued would fill the measured run with 429s.
      const kdf = await kdfRate(8, settings.seconds);
      // Only tokens count: a 429 (the password checks saturated) is not a login.
      const logins = result.ok / result.seconds;
      noteLoad("login", result);
      note("login.ok", logins);
      note("login.busy", (result.requests - result.ok) / result.seconds);
      note("login.kdf", kdf);
      noteRatio("login", logins, kdf);
    }
  }

  if (only.has("sync")) {
    log(`sync benches (${settings.syncChildren} children)…`);
    syncRounds = await runSyncBenches({
      children: settings.syncChildren,
      latencyMs: 50,
      concurrency: 50,
    });
  }

  if (only.has("dashboard")) {
    // In this process (the page renders through the whole app in memory), on a database
    // of its own with as many filler rows as the large list database.
    log(`dashboard (${settings.bigRows.toLocaleString("en")} filler rows)…`);
    dashboard = await benchDashboard({
      filler: settings.bigRows,
      renders: settings.dashboardRenders,
      log: (line) => log(`  ${line}`),
    });
  }

  for (const server of servers) note("rss.service", server.peakRssMb());
  note("rss.hello", hello.peakRssMb());
} finally {
  for (const server of [...servers, hello]) await server?.stop();
  if (!settings.profile) await Deno.remove(runDir, { recursive: true }).catch(() => {});
}

/** Activities stored so far in a database file. */
async function countActivities(dbFile: string): Promise<number> {
  const handle = await openDatabase(`file:${dbFile}`);
  try {
    const { rows } = await handle.client.execute("SELECT count(*) AS n FROM physical_activities");
    return Number(rows[0].n);
  } finally {
    handle.close();
  }
}

// ---- the table ----
const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "—";
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? (a / b).toFixed(3) : "—");
const spread = (key: string, digits = 0) => {
  const r = range(key);
  return r ? ` (${fmt(r[0], digits)}–${fmt(r[1], digits)})` : "";
};
const ms = (n: number) => (n === 0 ? "<1" : fmt(n));
const loadFigure = (key: string) =>
  `${fmt(median(`${key}.rps`))} req/s${spread(`${key}.rps`)}, p50 ${
    ms(median(`${key}.p50`))
  } ms, ` +
  `p99 ${ms(median(`${key}.p99`))} ms, ${fmt(median(`${key}.cpu`))} µs CPU/req`;
/** Ceiling CPU per request over the row's: the req/s ratio if both had a core to themselves. */
const cpuRatio = (key: string) => median(`${key}.cpu.ratio`).toFixed(3);
const verdict = (ok: boolean) => (ok ? "met" : "**not met**");

const rows: TableRow[] = [];
const ceiling = median("ceiling.rps");
if (samples["ceiling.rps"]) {
  rows.push({
    what: "ceiling: bare Hono hello-world, 32 connections",
    figure: loadFigure("ceiling"),
    reference: "—",
    ratio: "—",
    target: "—",
    verdict: "",
  });
}
if (samples["floor.rps"]) {
  rows.push({
    what:
      "the service's floor: `GET /v1` (public: the middleware, no token, no SQL), 32 connections",
    figure: loadFigure("floor"),
    reference: `ceiling ${fmt(ceiling)} req/s`,
    ratio: `${median("floor.ratio").toFixed(3)}${spread("floor.ratio", 3)}; CPU ${
      cpuRatio("floor")
    }`,
    target: "—",
    verdict: "",
  });
}
if (samples["read.rps"]) {
  const r = median("read.ratio");
  rows.push({
    what: "one-record read as an educator, 32 connections",
    figure: loadFigure("read"),
    reference: `ceiling ${fmt(ceiling)} req/s`,
    ratio: `${r.toFixed(3)}${spread("read.ratio", 3)}; CPU ${cpuRatio("read")}`,
    target: "≥ 0.25; p99 < 5 ms",
    verdict: verdict(r >= 0.25 && median("read.p99") < 5),
  });
}
if (samples["list.small.rps"]) {
  rows.push({
    what: `list of 100 of a child's activities, ${fmt(settings.smallRows)} rows`,
    figure: loadFigure("list.small"),
    reference: `ceiling ${fmt(ceiling)} req/s`,
    ratio: `${median("list.small.ratio").toFixed(3)}${spread("list.small.ratio", 3)}; CPU ${
      cpuRatio("list.small")
    }`,
    target: "—",
    verdict: "",
  });
  const r = median("list.big.ratio");
  const p99 = median("list.p99ratio");
  rows.push({
    what: `the same, ${fmt(settings.bigRows)} rows (child's rows spread)`,
    figure: loadFigure("list.big"),
    reference: `ceiling ${fmt(ceiling)} req/s; p99 on ${fmt(settings.smallRows)} rows`,
    ratio: `${r.toFixed(3)}${spread("list.big.ratio", 3)}; CPU ${cpuRatio("list.big")}; p99 ×${
      p99.toFixed(2)
    }${spread("list.p99ratio", 2)}`,
    target: "≥ 0.05; p99 ≤ ×1.2",
    verdict: verdict(r >= 0.05 && p99 <= 1.2),
  });
}
if (samples["ingest.items"]) {
  const r = median("ingest.ratio");
  rows.push({
    what: "bulk ingest, arrays of 100, 8 connections",
    figure: `${fmt(median("ingest.items"))} items/s${spread("ingest.items")}, p99 ${
      fmt(median("ingest.p99"))
    } ms, ${fmt(median("ingest.cpu") / 100)} µs CPU/item`,
    reference: `raw @libsql/client ${fmt(median("ingest.raw"))} rows/s${spread("ingest.raw")}`,
    ratio: `${r.toFixed(3)}${spread("ingest.ratio", 3)}`,
    target: "≥ 0.5",
    verdict: verdict(r >= 0.5),
  });
}
if (samples["login.rps"]) {
  rows.push({
    what: "logins, 8 connections",
    figure: `${fmt(median("login.ok"), 1)} logins/s (and ${
      fmt(median("login.busy"), 1)
    }/s answered 429), p99 ${fmt(median("login.p99"))} ms`,
    reference: `bare scrypt, 8 at once: ${fmt(median("login.kdf"), 1)}/s`,
    ratio: `${median("login.ratio").toFixed(3)}${spread("login.ratio", 3)}`,
    target: "—",
    verdict: "",
  });
}
if (samples["rss.service"]) {
  const peak = Math.max(...samples["rss.service"]);
  rows.push({
    what: `peak RSS of the service over the run (${samples["rss.service"].length} processes, max)`,
    figure: `${fmt(peak)} MB (${samples["rss.service"].map((v) => fmt(v)).join(", ")})`,
    reference: `hello-world ${fmt(median("rss.hello"))} MB`,
    ratio: ratio(peak, median("rss.hello")),
    target: "< 200 MB",
    verdict: verdict(peak < 200),
  });
}
if (samples["startup.service"]) {
  const ms = median("startup.service");
  rows.push({
    what: `start-up to first 200, ${fmt(settings.bigRows)} rows`,
    figure: `${fmt(ms / 1000, 2)} s${spread("startup.service")}`,
    reference: `hello-world ${fmt(median("startup.hello") / 1000, 2)} s`,
    ratio: ratio(ms, median("startup.hello")),
    target: "< 1 s",
    verdict: verdict(ms < 1000),
  });
}
for (const round of syncRounds) {
  // Latency bound: each child's calls one after another at the fake's latency, N at once.
  const bound = round.concurrency / ((round.callsPerChild * round.latencyMs) / 1000);
  rows.push({
    what: `${round.provider} sync: ${round.round}, ${fmt(round.children)} children`,
    figure:
      `${fmt(round.childrenPerSecond, 1)} children/s, ${
        fmt(round.callsPerChild, 1)
      } calls/child, ` +
      `max stall ${fmt(round.maxStallMs)} ms`,
    reference: `latency bound ${fmt(bound, 1)} children/s`,
    ratio: ratio(round.childrenPerSecond, bound),
    target: round.target,
    verdict: verdict(round.ok && round.failed === 0),
  });
}

if (dashboard) {
  rows.push({
    what: `dashboard: a child's page, a year of data, ${
      fmt(settings.bigRows)
    } filler rows (in process)`,
    figure: `median ${fmt(dashboard.medianMs, 1)} ms, p95 ${fmt(dashboard.p95Ms, 1)} ms (${
      fmt(dashboard.renders)
    } renders, ${fmt(dashboard.pageBytes / 1024)} KiB)`,
    reference: `its ${dashboard.apiRequests} API requests at once: ${
      fmt(dashboard.apiOnlyMedianMs, 1)
    } ms`,
    ratio: ratio(dashboard.medianMs, dashboard.apiOnlyMedianMs),
    target: "—",
    verdict: "",
  });
}

const table = renderTable(rows);
console.log(`\n${table}\n`);
const about =
  `${await machine()} Load average (1 min) ${loadAtStart} at the start, ${loadAverage()} at the end.`;
console.log(about);
console.log(
  `rounds ${settings.rounds} × ${settings.seconds} s (+${settings.warmup} s warm-up); medians, (min–max) over rounds`,
);
if (settings.profile) console.log(await summariseProfiles(profileDir));
if (full) {
  await writeDoc(repoPath("docs/performance.md"), table, about, settings);
  console.log("written to docs/performance.md");
}
