/**
 * Tests only: one testbed per wearable provider (the real app on its own database, wired
 * to that provider's fake over loopback HTTP), behind one interface, so the same
 * route-level scenarios run against Google Health and the legacy Fitbit Web API.
 * Failures are asked for in provider-neutral terms; each bed injects its fake's own
 * version of them.
 */
import { eq } from "drizzle-orm";
import type { FakeFitbit } from "../../test/fake-fitbit/server.ts";
import { startFitbitTestbed } from "../../test/fake-fitbit/setup.ts";
import * as fitbitSamples from "../../test/fake-fitbit/samples.ts";
import * as ghSamples from "../../test/fake-google-health/samples.ts";
import {
  consent as googleConsent,
  FakeGoogleHealth,
  googleHealthEnv,
} from "../../test/fake-google-health/setup.ts";
import type { FaultAction, FaultMatch } from "../../test/fake-google-health/faults.ts";
import { startTestApp, type TestApp } from "../../test/harness.ts";
import type { UserType } from "../auth/scopes.ts";
import { users, wearableConnections } from "../db/schema/index.ts";
import { maskToken } from "./errors.ts";
import type { ProviderId } from "./provider.ts";
import type { WearableStatus } from "./wearables.schemas.ts";

/** A token pair as FB2 takes it. */
export interface Pair {
  access_token: string;
  refresh_token: string;
}

/** Where a failure is injected (`sleep`: the sleep data calls only). */
export type Where = "refresh" | "exchange" | "data" | "sleep" | "revoke" | "check";

/** A provider failure, in the platform's terms (google-health.md §4.5; fitbit.md §3.4). */
export type Fault =
  | "rate_limit"
  | "unavailable"
  | "token_expired"
  | "token_invalid"
  | "grant_invalid"
  | "client_invalid"
  | "scope"
  | "internal";

/** The counts of a first sync of the sample user. */
export interface Counts {
  activities: number;
  sleep: number;
  weights: number;
  logs: Record<string, number>;
}

/** What a provider user has. */
export interface UserOptions {
  /** No records at all (a Fitbit Ace at Google Health). */
  empty?: boolean;
  /** A grant without any data scope. */
  noDataScope?: boolean;
  /** Google Health: the user's old Fitbit id. */
  legacyUserId?: string;
  /** No grant yet (the user will consent in the platform flow). */
  noGrant?: boolean;
}

/** One provider's testbed. */
export interface ProviderBed {
  id: ProviderId;
  t: TestApp;
  /** The samples' "now": the app's clock is set to it. */
  today: number;
  /** Lifetime of a fresh access token, ms. */
  tokenLifetimeMs: number;
  /** The sample user's first sync answer. */
  firstSync: Counts;
  /** The provider's message when a grant lacks a scope (shown by the unmapped pattern). */
  scopeMessage: string;
  /** A provider user (with the sample records unless `empty`) and a grant for it. */
  user(options?: UserOptions): Promise<{ userId: string; tokens: Pair }>;
  /** A child, connected through FB2 to a new provider user. */
  connect(options?: UserOptions & { by?: UserType }): Promise<{
    child: { id: string; token: string };
    userId: string;
    tokens: Pair;
  }>;
  /** Plays the browser at the provider's consent page; returns the callback path to GET. */
  consent(
    authorizationUrl: string,
    outcome: { userId: string; noDataScope?: boolean } | { refuse: true },
  ): Promise<string>;
  /** Provider calls made since the last `resetCalls`, of one kind or all. */
  calls(where?: Where): number;
  resetCalls(): void;
  fail(where: Where, fault: Fault, times?: number | "always"): void;
  clearFaults(): void;
  /** The user removes the platform's access at the provider. */
  revokeAtProvider(tokens: Pair): void;
  /** Whether the provider still honours the grant of these tokens. */
  grantAlive(tokens: Pair): boolean;
  /** Takes the provider down (connections refused) and back. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

const RECIFE = { timezone: "America/Recife", offsetFromUTCMillis: -10_800_000 };

/** The Fitbit testbed: samples of 2020-09-01, today 2020-09-02 (Recife). */
export async function fitbitBed(
  env: Record<string, string> = {},
): Promise<ProviderBed & { fake: FakeFitbit }> {
  const { t, fake } = await startFitbitTestbed(env);
  const paths: Record<Where, RegExp> = {
    refresh: /^\/oauth2\/token$/,
    exchange: /^\/oauth2\/token$/,
    revoke: /^\/oauth2\/revoke$/,
    check: /introspect/,
    data: /^\/1(\.2)?\/user\//,
    sleep: /\/sleep\//,
  };
  const actions: Record<Fault, Parameters<FakeFitbit["fault"]>[0]["action"]> = {
    rate_limit: { rateLimit: true },
    unavailable: { httpError: 503 },
    token_expired: { status: 401, errorType: "expired_token" },
    token_invalid: { status: 401, errorType: "invalid_token" },
    grant_invalid: { status: 400, errorType: "invalid_grant" },
    client_invalid: { status: 401, errorType: "invalid_client" },
    scope: { status: 403, errorType: "insufficient_scope", message: "No access to this data." },
    internal: { status: 500, errorType: "internal_error" },
  };
  const user: ProviderBed["user"] = async (options = {}) => {
    const account = fake.addUser(
      options.empty ? { profile: RECIFE } : {
        profile: RECIFE,
        activities: [fitbitSamples.activity()],
        sleep: [fitbitSamples.stagesSleep()],
        weights: [fitbitSamples.weight()],
        series: { steps: { "2020-09-01": "8211" } },
      },
    );
    if (options.noGrant) {
      return { userId: account.id, tokens: { access_token: "", refresh_token: "" } };
    }
    const tokens = await fake.grant({
      userId: account.id,
      ...(options.noDataScope && { scopes: ["profile", "heartrate"] }),
    });
    return { userId: account.id, tokens };
  };
  const bed: ProviderBed = {
    ...sharedParts(t, fake, "2020-09-02T12:00:00Z", user),
    id: "fitbit",
    tokenLifetimeMs: 28_800_000,
    firstSync: { activities: 1, sleep: 1, weights: 1, logs: everyLog(367) },
    scopeMessage: "No access to this data.",
    async consent(url, outcome) {
      fake.consent = "refuse" in outcome ? outcome : {
        userId: outcome.userId,
        ...(outcome.noDataScope && { scopes: ["profile"] }),
      };
      const page = await fetch(url, { redirect: "manual" });
      await page.body?.cancel();
      return callbackPath(page.headers.get("Location")!);
    },
    calls: (where) =>
      where === undefined
        ? fake.requests.length
        : fake.requests.filter((r) =>
          paths[where].test(r.path) &&
          (where !== "refresh" || r.form?.grant_type === "refresh_token") &&
          (where !== "exchange" || r.form?.grant_type === "authorization_code")
        ).length,
    resetCalls: () => void (fake.requests = []),
    fail: (where, fault, times = 1) =>
      fake.fault({ match: { path: paths[where] }, action: actions[fault], times }),
    revokeAtProvider: (tokens) => void (fake.grantOf(tokens.refresh_token)!.revoked = true),
    grantAlive: (tokens) => fake.grantOf(tokens.access_token)?.revoked === false,
  };
  return Object.assign(bed, { fake });
}

/** The Google Health testbed: samples of 2026-09-01, today 2026-09-02 (Recife). */
export async function googleBed(
  env: Record<string, string> = {},
): Promise<ProviderBed & { fake: FakeGoogleHealth }> {
  const fake = await FakeGoogleHealth.start();
  const t = await startTestApp({
    ...googleHealthEnv(fake),
    FITBIT_REQUEST_TIMEOUT_MS: "1000",
    GOOGLE_HEALTH_RETRY_BASE_MS: "2",
    WEARABLE_PROVIDER: "google_health",
    ...env,
  });
  fake.now = t.clock.now;
  const DATA = ["settings", "list", "dailyRollUp"] as const;
  const matches: Record<Where, FaultMatch> = {
    refresh: { endpoint: "token", grantType: "refresh_token" },
    exchange: { endpoint: "token", grantType: "authorization_code" },
    revoke: { endpoint: "revoke" },
    check: { endpoint: "tokeninfo" },
    data: { endpoint: [...DATA] },
    sleep: { endpoint: "list", dataType: "sleep" },
  };
  const oauth = (where: Where) => where !== "data";
  const action = (where: Where, fault: Fault): FaultAction => {
    switch (fault) {
      case "rate_limit":
        return { rateLimit: true };
      case "unavailable":
        return oauth(where) ? { htmlError: 503 } : { apiError: "UNAVAILABLE" };
      case "token_expired":
        return { apiError: "ACCESS_TOKEN_EXPIRED" };
      case "token_invalid":
        return oauth(where)
          ? { oauthError: "tokeninfo_invalid" }
          : { apiError: "INVALID_CREDENTIALS" };
      case "grant_invalid":
        return { oauthError: "invalid_grant_revoked" };
      case "client_invalid":
        return oauth(where)
          ? { oauthError: "unauthorized_client" }
          : { apiError: "SERVICE_DISABLED" };
      case "scope":
        return { apiError: "ACCESS_TOKEN_SCOPE_INSUFFICIENT" };
      case "internal":
        return oauth(where) ? { htmlError: 500 } : { apiError: "INTERNAL" };
    }
  };
  const user: ProviderBed["user"] = (options = {}) => {
    const account = fake.addUser({
      timeZone: "America/Recife",
      ...(options.legacyUserId && { legacyUserId: options.legacyUserId }),
      ...(!options.empty && { data: googleSamples() }),
    });
    if (options.noGrant) {
      return Promise.resolve({
        userId: account.healthUserId,
        tokens: { access_token: "", refresh_token: "" },
      });
    }
    const grant = fake.grant({
      healthUserId: account.healthUserId,
      ...(options.noDataScope && { scopes: ["settings.readonly"] }),
    });
    return Promise.resolve({
      userId: account.healthUserId,
      tokens: { access_token: grant.access_token, refresh_token: grant.refresh_token! },
    });
  };
  const bed: ProviderBed = {
    ...sharedParts(t, fake, "2026-09-02T12:00:00Z", user),
    id: "google_health",
    tokenLifetimeMs: 3_600_000,
    firstSync: { activities: 1, sleep: 1, weights: 1, logs: everyLog(1) },
    scopeMessage: "Request had insufficient authentication scopes.",
    async consent(url, outcome) {
      const { location } = await googleConsent(
        fake,
        url,
        "refuse" in outcome ? outcome : {
          healthUserId: outcome.userId,
          ...(outcome.noDataScope && {
            scopes: ["https://www.googleapis.com/auth/googlehealth.settings.readonly"],
          }),
        },
      );
      return callbackPath(location);
    },
    calls: (where) => fake.calls(where === undefined ? {} : matches[where]).length,
    resetCalls: () => void (fake.log = []),
    fail: (where, fault, times = 1) => void fake.fault(matches[where], action(where, fault), times),
    revokeAtProvider: (tokens) => fake.revokeGrant(fake.grantOf(tokens.refresh_token)!.id),
    grantAlive: (tokens) => fake.grantOf(tokens.refresh_token)?.revoked === false,
  };
  return Object.assign(bed, { fake });
}

/** The contract's Google samples (§6.4): one exercise, sleep, weight with body fat, a day of logs. */
export function googleSamples() {
  return {
    dataPoints: [
      ghSamples.exercise(),
      ghSamples.sleep(),
      ghSamples.weight(),
      ghSamples.bodyFat(),
      ghSamples.steps("2026-09-01", 8211),
      ghSamples.activeMinutes("2026-09-01", { LIGHT: 182, MODERATE: 21, VIGOROUS: 9 }),
      ghSamples.sedentaryPeriod("2026-09-01", { minute: 0, minutes: 690 }),
    ],
    totalCaloriesByDay: { "2026-09-01": 1843.2 },
  };
}

/** The same count for each of the five daily logs. */
const everyLog = (n: number) => ({
  steps: n,
  calories: n,
  active_minutes: n,
  lightly_active_minutes: n,
  sedentary_minutes: n,
});

/** What every bed's fake offers and the bed drives the same way. */
interface BedFake {
  faults: unknown[];
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The parts every bed builds alike: the app's clock (which the fake shares) set to the
 * samples' `today`, connecting through FB2, clearing faults, and taking the fake down,
 * back up and away with the app.
 */
function sharedParts(t: TestApp, fake: BedFake, today: string, user: ProviderBed["user"]) {
  t.clock.time = Date.parse(today);
  return {
    t,
    today: Date.parse(today),
    user,
    connect: connector(t, user),
    clearFaults: () => void (fake.faults = []),
    pause: () => fake.pause(),
    resume: () => fake.resume(),
    async close() {
      await t.close();
      await fake.close();
    },
  };
}

/** The app path (with query) a provider's consent page redirects the browser back to. */
function callbackPath(location: string): string {
  const back = new URL(location);
  return `${back.pathname}${back.search}`;
}

/** `connect` of a bed: a new child, a new provider user, FB2. */
function connector(t: TestApp, user: ProviderBed["user"]): ProviderBed["connect"] {
  return async (options = {}) => {
    const child = await t.login(options.by ?? "child");
    const { userId, tokens } = await user(options);
    await submit(t, child, tokens);
    return { child, userId, tokens };
  };
}

/** FB2 with a pair; throws unless 204. */
export async function submit(t: TestApp, caller: { id: string; token: string }, tokens: Pair) {
  const res = await t.request("POST", `/v1/users/${caller.id}/fitbit/auth`, {
    token: caller.token,
    body: tokens,
  });
  if (res.status !== 204) throw new Error(`connect failed: ${res.status} ${await res.text()}`);
}

/** Both testbeds, Google Health first (the default provider). */
export async function providerBeds(env: Record<string, string> = {}): Promise<ProviderBed[]> {
  return [await googleBed(env), await fitbitBed(env)];
}

/** The child's `fitbit_status`. */
export async function childStatus(t: TestApp, childId: string): Promise<string | null> {
  const [row] = await t.db.select({ status: users.fitbitStatus }).from(users)
    .where(eq(users.id, childId));
  return row.status;
}

/** The child's connection row, if any. */
export async function connectionOf(t: TestApp, childId: string) {
  const [row] = await t.db.select().from(wearableConnections)
    .where(eq(wearableConnections.childId, childId));
  return row;
}

/** A URL path of the child's wearable routes. */
export const wearablePath = (childId: string, rest = "") => `/v1/users/${childId}/fitbit${rest}`;

/** The contract's documented answers (fitbit.md §1.3–§1.9), tokens masked as the platform shows them. */
export const patterns = {
  accessExpired: (at: string) => ({
    code: 400,
    message: "Access token expired.",
    description: `The access token ${maskToken(at)} has been expired and needs to be refreshed.`,
  }),
  accessInvalid: (at: string) => ({
    code: 400,
    message: "Access token invalid.",
    description: `The access token ${
      maskToken(at)
    } is invalid. Please make a new Fitbit Auth Data request and try again.`,
  }),
  refreshInvalid: (rt: string) => ({
    code: 400,
    message: "Refresh token invalid.",
    description: `The refresh token ${
      maskToken(rt)
    } is invalid. Please make a new Fitbit Auth Data request and try again.`,
  }),
  rateLimit: (at: string) => ({
    code: 400,
    message: `Data request limit for access token ${maskToken(at)} has expired.`,
    description: "Please wait a minimum of one hour and try make the operation again.",
  }),
  invalidClient: {
    code: 400,
    message: "Invalid Fitbit Client data.",
    description: "The Fitbit Client credentials are invalid. The operation cannot be performed.",
  },
  internal: { code: 400, message: "A internal error occurs. Please, try again later." },
  unavailable: {
    code: 503,
    message: "Could not connect with the Fitbit Server",
    description: "Please try again later.",
  },
  scope: {
    code: 400,
    message:
      "The token must have permission for at least one of the features that are synced by the API.",
    description: "The features that are mapped are: rwei (weight), ract (activity), rsle (sleep).",
  },
  noAuthData: {
    code: 400,
    message:
      "User does not have authentication data. Please, submit authentication data and try again.",
  },
  authNotFound: {
    code: 404,
    message: "Unable to find Fitbit authentication data!",
    description: "You must enter new data before you can refer to it.",
  },
  clientNotConfigured: { code: 404, message: "Fitbit client id and secret key not found!" },
  required: (names: string) => ({
    code: 400,
    message: "Required fields were not provided...",
    description: `Fitbit Auth Data Validation: ${names} required!`,
  }),
};

/** WS1's answer for a child without a connection (and without a withdrawn grant). */
export const NOT_CONNECTED: WearableStatus = {
  provider: null,
  status: "none",
  connected_at: null,
  last_sync: null,
  last_sync_outcome: null,
  last_sync_outcome_at: null,
  no_data: false,
};
