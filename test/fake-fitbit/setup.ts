import { eq, sql } from "drizzle-orm";
import type { UserType } from "../../src/auth/scopes.ts";
import { dailyLogs, measurements, physicalActivities, sleep } from "../../src/db/schema/index.ts";
import { startTestApp, type TestApp } from "../harness.ts";
import type { ObservedIngest } from "../observed-ingest.ts";
import { FakeFitbit } from "./server.ts";

/** The fake's pre-seeded app credentials. */
export const CLIENT = { id: "23ABCD", secret: "fake-secret" };

/** A test app wired to a fake Fitbit on loopback, sharing the app's test clock. */
export interface FitbitTestbed {
  t: TestApp;
  fake: FakeFitbit;
  /** The test app's real tracking ingest (observed): what the sync handed over. */
  ingest: ObservedIngest;
  close(): Promise<void>;
}

/** Starts the fake and an app whose Fitbit settings point at it. */
export async function startFitbitTestbed(env: Record<string, string> = {}): Promise<FitbitTestbed> {
  const fake = await FakeFitbit.start();
  const t = await startTestApp({
    FITBIT_CLIENT_ID: CLIENT.id,
    FITBIT_CLIENT_SECRET: CLIENT.secret,
    FITBIT_API_URL: fake.url,
    FITBIT_AUTHORIZE_URL: `${fake.url}/oauth2/authorize`,
    FITBIT_REQUEST_TIMEOUT_MS: "1000",
    WEARABLE_PROVIDER: "fitbit",
    ...env,
  });
  fake.now = t.clock.now;
  return {
    t,
    fake,
    ingest: t.ingest,
    async close() {
      await t.close();
      await fake.close();
    },
  };
}

/** A child with a Fitbit user and a grant, whose tokens the app stored through FB2. */
export async function connectedChild(
  bed: FitbitTestbed,
  options: { scopes?: string[]; user?: Parameters<FakeFitbit["addUser"]>[0]; by?: UserType } = {},
) {
  const { t, fake } = bed;
  const child = await t.login("child");
  const user = fake.addUser(options.user);
  const tokens = await fake.grant({ userId: user.id, scopes: options.scopes });
  const res = await t.request("POST", `/v1/users/${child.id}/fitbit/auth`, {
    token: child.token,
    body: tokens,
  });
  if (res.status !== 204) throw new Error(`connect failed: ${res.status} ${await res.text()}`);
  return { child, user, tokens };
}

/** A logger keeping every line (to assert progress lines, and that no token is ever logged). */
export function capturingLogger() {
  const lines: string[] = [];
  const write = (level: string) => (msg: string, fields: Record<string, unknown> = {}) => {
    lines.push(JSON.stringify({ level, msg, ...fields }));
  };
  return {
    lines,
    log: { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") },
  };
}

/** Resolves when `check` holds (polled); for sequencing concurrent steps, never as an assertion. */
export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** One tracking list of a child as the public API shows it: items without ids, and the total. */
async function listOf(t: TestApp, token: string, path: string) {
  const res = await t.request("GET", path, { token });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  const body: Record<string, unknown>[] = await res.json();
  return {
    items: body.map(({ id: _, ...rest }) => rest),
    total: Number(res.headers.get("X-Total-Count")),
  };
}

/**
 * A child's synced data through the public API (GET /v1/children/:id/...), oldest first:
 * physical activities, sleep, weights and body fats, with each list's X-Total-Count.
 */
export async function trackedData(t: TestApp, childId: string, token: string) {
  const base = `/v1/children/${childId}`;
  return {
    activities: await listOf(t, token, `${base}/physicalactivities?sort=start_time`),
    sleep: await listOf(t, token, `${base}/sleep?sort=start_time`),
    weights: await listOf(t, token, `${base}/weights?sort=timestamp`),
    bodyfats: await listOf(t, token, `${base}/bodyfats?sort=timestamp`),
  };
}

/** How many rows the tracking tables hold for a child. */
export async function trackingRows(t: TestApp, childId: string) {
  const count = async (
    table: typeof physicalActivities | typeof sleep | typeof measurements | typeof dailyLogs,
  ) => {
    const [row] = await t.db.select({ n: sql<number>`count(*)` }).from(table)
      .where(eq(table.childId, childId));
    return row.n;
  };
  return {
    physical_activities: await count(physicalActivities),
    sleep: await count(sleep),
    measurements: await count(measurements),
    daily_logs: await count(dailyLogs),
  };
}

/**
 * Makes tracking's storage fail for the rows of a table matching an SQL condition on `NEW`
 * (a real SQLite failure in the real tables, as a full disk would cause); returns the undo.
 */
export async function failStoring(t: TestApp, table: string, when: string) {
  const name = `fail_${crypto.randomUUID().replaceAll("-", "")}`;
  await t.db.run(sql.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} WHEN ${when}
    BEGIN SELECT RAISE(ABORT, 'storage failure'); END`));
  return async () => void await t.db.run(sql.raw(`DROP TRIGGER ${name}`));
}
