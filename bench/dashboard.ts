/**
 * Dashboard benchmark: the server time of a child's page with a year of data. A real app
 * (in process, its own temporary SQLite file) holds one child with 365 days of steps and
 * active minutes, 365 nights of stages sleep, two activities a day, a weighing (with body
 * fat) a day and a year of hourly classroom readings, all stored through the API; plus
 * filler physical activities of other children (default 1,000,000 rows, the size of the
 * service bench's large database), inserted with SQL. The page is then rendered as the
 * child's family sees it, through the whole app (session cookie, every API call, the
 * guard, the audit trail, the charts), and each render is timed. The reference, measured
 * in the same run and interleaved with the renders: the very API requests one render
 * makes (recorded from it), sent all at once with the same token, without a page.
 *
 *   deno task bench:dashboard                  1,000,000 filler rows, 60 renders
 *   deno task bench:dashboard --filler=0 --renders=20
 *
 * `benchDashboard()` is exported for a bench suite to call.
 */
import { sql } from "drizzle-orm";
import { dayRange, storeChildData } from "../test/dashboard/data.ts";
import { DashboardClient } from "../test/dashboard/client.ts";
import { startTestApp, type TestApp } from "../test/harness.ts";
import { numericArgs } from "./sync-figures.ts";

/** What to measure. */
export interface DashboardBenchOptions {
  /** Filler physical activities of other children (default 1,000,000). */
  filler?: number;
  /** Timed renders (default 60), after `warmup` untimed ones (default 5). */
  renders?: number;
  warmup?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** The figures: server time per render of the child's page, in ms. */
export interface DashboardBenchResult {
  renders: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  minMs: number;
  /** The reference: the page's own API requests alone, all at once (median, ms). */
  apiOnlyMedianMs: number;
  /** How many API requests one render makes. */
  apiRequests: number;
  /** Size of the page, bytes. */
  pageBytes: number;
  /** Rows in the database: the child's and the filler. */
  rows: Record<string, number>;
  seedSeconds: number;
}

/** 10 March 2026, noon UTC: the bench's "now". */
const NOW = Date.UTC(2026, 2, 10, 12);
const YEAR = 365;

/** Inserts `rows` activities spread over `rows / 200` filler children, in big statements. */
async function seedFiller(t: TestApp, rows: number): Promise<void> {
  if (rows <= 0) return;
  const children = Math.max(1, Math.floor(rows / 200));
  await t.db.run(sql`
    WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ${children})
    INSERT INTO users (id, type, username, password_hash, created_at, gender, age,
      age_calc_date, fitbit_status)
    SELECT printf('f1%022x', k), 'child', printf('filler-%d', k), 'x', ${NOW}, 'male', '10',
      '2025-09-01', 'none' FROM n`);
  const chunk = 100_000;
  for (let from = 0; from < rows; from += chunk) {
    const to = Math.min(rows, from + chunk) - 1;
    await t.db.run(sql`
      WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i < ${to})
      INSERT INTO physical_activities (id, child_id, start_time, end_time, duration, name,
        calories, steps, distance, created_at)
      SELECT printf('5e%022x', i), printf('f1%022x', i % ${children} + 1),
        ${NOW} - (i / ${children}) * 3600000, ${NOW} - (i / ${children}) * 3600000 + 1800000,
        1800000, 'Walk', 100 + i % 50, 2000 + i % 500, 1500.5, ${NOW} - i
      FROM n`);
  }
}

async function count(t: TestApp, table: string, where = ""): Promise<number> {
  const [row] = await t.db.all<{ n: number }>(
    sql.raw(`SELECT count(*) AS n FROM ${table} ${where}`),
  );
  return row.n;
}

/** The API requests (`/v1/…`) the app receives while `run` runs, as replayable copies. */
async function recordApiCalls(t: TestApp, run: () => Promise<unknown>): Promise<Request[]> {
  const original = t.app.fetch;
  const calls: Request[] = [];
  t.app.fetch = (request: Request, ...rest: unknown[]) => {
    if (new URL(request.url).pathname.startsWith("/v1/")) calls.push(request.clone());
    return original(request, ...rest);
  };
  try {
    await run();
  } finally {
    t.app.fetch = original;
  }
  return calls;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Builds the database, renders the page, and returns the figures. */
export async function benchDashboard(
  options: DashboardBenchOptions = {},
): Promise<DashboardBenchResult> {
  const { filler = 1_000_000, renders = 60, warmup = 5, log = () => {} } = options;
  const t = await startTestApp();
  try {
    t.clock.time = NOW;
    const seedStarted = performance.now();
    const school = await t.createInstitution({ name: "Bench school" });
    const child = await t.createUser("child", {
      username: "bench-child",
      institutionId: school.id,
      gender: "female",
      age: "9",
      ageCalcDate: "2025-09-01",
    });
    await t.createUser("family", { username: "bench-family", institutionId: school.id })
      .then((family) => t.linkFamily(family.id, [child.id]));
    const app = await t.createUser("application", {
      username: "bench-app",
      institutionId: school.id,
      applicationName: "Bench uploader",
    });
    log("storing a year of the child's data through the API…");
    const days = dayRange(YEAR);
    await storeChildData(
      t,
      await t.tokenFor(app),
      { id: child.id, institutionId: school.id },
      NOW,
      {
        stepDays: days,
        activeDays: days,
        sleepDays: days,
        walkDays: days,
        weighDays: days,
        environmentHours: YEAR * 24,
      },
    );
    log(`inserting ${filler} filler activities…`);
    await seedFiller(t, filler);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const client = new DashboardClient(t);
    const signedIn = await client.signIn("bench-family");
    if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);
    const path = `/app/children/${child.id}`;
    const apiCalls = await recordApiCalls(t, () => client.get(path));
    let pageBytes = 0;
    const times: number[] = [];
    const reference: number[] = [];
    log(`rendering ${warmup} + ${renders} times, each beside its ${apiCalls.length} API requests…`);
    for (let i = 0; i < warmup + renders; i++) {
      const started = performance.now();
      const page = await client.get(path);
      const ms = performance.now() - started;
      if (page.status !== 200) throw new Error(`${path} answered ${page.status}`);
      pageBytes = new TextEncoder().encode(page.text).length;
      const apiStarted = performance.now();
      await Promise.all(
        apiCalls.map(async (call) => await (await t.app.fetch(call.clone())).text()),
      );
      const apiMs = performance.now() - apiStarted;
      if (i >= warmup) {
        times.push(ms);
        reference.push(apiMs);
      }
    }
    times.sort((a, b) => a - b);
    reference.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return {
      renders,
      medianMs: round(percentile(times, 50)),
      p95Ms: round(percentile(times, 95)),
      maxMs: round(times[times.length - 1]),
      minMs: round(times[0]),
      apiOnlyMedianMs: round(percentile(reference, 50)),
      apiRequests: apiCalls.length,
      pageBytes,
      rows: {
        daily_logs: await count(t, "daily_logs"),
        sleep: await count(t, "sleep"),
        physical_activities: await count(t, "physical_activities"),
        measurements: await count(t, "measurements"),
        environments: await count(t, "environments"),
      },
      seedSeconds: Math.round(seedSeconds),
    };
  } finally {
    await t.close();
  }
}

if (import.meta.main) {
  const flags = numericArgs();
  const result = await benchDashboard({
    filler: flags.filler,
    renders: flags.renders,
    warmup: flags.warmup,
    log: (line) => console.error(line),
  });
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `child page, a year of data: median ${result.medianMs} ms, p95 ${result.p95Ms} ms, ` +
      `max ${result.maxMs} ms server time (${result.renders} renders, ${result.pageBytes} bytes); ` +
      `its ${result.apiRequests} API requests alone, all at once: median ${result.apiOnlyMedianMs} ms`,
  );
}
