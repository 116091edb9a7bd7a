import type { UserType } from "../../src/auth/scopes.ts";
import { startTestApp, type TestApp } from "../harness.ts";
import type { ObservedIngest } from "../observed-ingest.ts";
import { FakeFitbit } from "./server.ts";

/** The fake's pre-seeded app credentials. */
export const CLIENT = { id: "23ABCD", secret: "fake-secret" };

/** A test app wired to a fake Fitbit on loopback, sharing the app's test clock. */
export interface FitbitTestbed {
  t: TestApp;
  fake: FakeFitbit;
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
