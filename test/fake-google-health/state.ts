/**
 * The fake's state (google-health.md §6.1): OAuth clients, Google users with their health data,
 * grants with their refresh tokens, access tokens and authorization codes, on a settable clock.
 * No HTTP here: the route modules and the control surface both work through this class.
 */
import { createHash } from "node:crypto";
import { type DataPoint, DEFAULT_SCOPES, fullScope, typeOfPoint } from "./datatypes.ts";

/** Tunable behaviour; every switch of google-health.md §6 that is unconfirmed at Google. */
export interface FakeConfig {
  /** Added to every call outside `/__fake` (the benchmark uses 50). */
  latencyMs: number;
  /** Per-user requests in a sliding minute (§6.6). */
  perUserPerMinute: number;
  /** Per-project requests in a sliding minute. */
  perProjectPerMinute: number;
  /** Whether a 429 carries `Retry-After` (seconds until a slot frees). */
  retryAfter: boolean;
  /** Whether the OAuth endpoints count toward the quotas. */
  countOAuth: boolean;
  /** Whether a refresh answers a new refresh token (the old one stays valid). */
  rotateRefreshTokens: boolean;
  /** Whether a refresh token dead for more than 12 h answers `Bad Request` (§1.6). */
  badRequestAfterDeath: boolean;
  /** Whether tokeninfo sends `exp`/`expires_in` as numbers (default: strings). */
  tokeninfoNumbers: boolean;
  /** Length of issued access tokens (max 2048). */
  accessTokenLength: number;
  /** Live refresh tokens per account and client; issuing more evicts the oldest. */
  refreshTokenCap: number;
  /** Lifetime of an authorization code. */
  codeLifetimeSeconds: number;
  /** Whether `pageSize` in a dailyRollUp body answers 400 (§3.4, unconfirmed). */
  rejectRollupPageSize: boolean;
  /** Order of dailyRollUp items (unconfirmed at Google). */
  rollupOrder: "asc" | "desc";
  /** The `{user}` segment of the names the fake gives seeded points. */
  nameUserSegment: "id" | "me";
  /**
   * What the call log keeps: everything, entries without headers/query/form/body (long
   * benchmarks), or nothing (calls are still counted).
   */
  callLog: "full" | "summary" | "off";
}

/** The defaults of {@link FakeConfig}. */
export const DEFAULT_CONFIG: FakeConfig = {
  latencyMs: 0,
  perUserPerMinute: 300,
  perProjectPerMinute: 120_000,
  retryAfter: false,
  countOAuth: false,
  rotateRefreshTokens: false,
  badRequestAfterDeath: false,
  tokeninfoNumbers: false,
  accessTokenLength: 200,
  refreshTokenCap: 100,
  codeLifetimeSeconds: 600,
  rejectRollupPageSize: true,
  rollupOrder: "asc",
  nameUserSegment: "id",
  callLog: "full",
};

/** An OAuth client registered at the fake. */
export interface FakeClient {
  clientId: string;
  clientSecret: string;
  /** Accepted redirect URIs; absent → any URI is accepted (convenient for tests). */
  redirectUris?: string[];
  /** `testing`: refresh tokens die after 7 days and only `testUsers` may consent. */
  mode: "production" | "testing";
  /** E-mail addresses allowed to consent while `testing`. */
  testUsers: string[];
}

/** A Google user with a Health profile (or not) and their data. */
export interface FakeUser {
  healthUserId: string;
  /** Google account id (tokeninfo `sub`). */
  sub: string;
  email: string;
  /** The legacy Fitbit user id; null for users without a Fitbit past. */
  legacyUserId: string | null;
  /** false → every data call answers 400 ACCOUNT_NOT_LINKED. */
  hasHealthProfile: boolean;
  /** true → every data call answers 403 "Could not mint UberMint from GaiaMint". */
  legacyFitbitLogin: boolean;
  /** IANA zone the settings answer. */
  timeZone: string;
  /** Extra fields of `GET /v4/users/me/profile`. */
  profile: Record<string, unknown>;
  data: UserData;
}

/** A user's health data, held in the API's own shapes. */
export interface UserData {
  /** Points by data type (kebab name). */
  points: Map<string, DataPoint[]>;
  /** `total-calories` per civil day (kcal): a derived type with no list shape. */
  totalCaloriesByDay: Map<string, number>;
  /** Days the device was worn without recording: rollups answer zeros there, not unset. */
  wornDays: Set<string>;
  /** Synthesize rollup values for every day without seeded data (benchmarks). */
  generated: boolean;
}

/** Data to seed for a user, in GHA shapes (google-health.md §6.4). */
export interface DataSeed {
  /** Points of any type; each carries one payload key (`steps`, `exercise`, `bodyFat` …). */
  dataPoints?: DataPoint[];
  /** `YYYY-MM-DD` → kcal. */
  totalCaloriesByDay?: Record<string, number>;
  wornDays?: string[];
  generated?: boolean;
}

/** One user's consent to one client: several refresh tokens may live at once. */
export interface Grant {
  id: string;
  clientId: string;
  healthUserId: string;
  /** Union of the scopes ever granted in this grant. */
  scopes: string[];
  revoked: boolean;
  revokedAt?: number;
  createdAt: number;
  /** Testing-mode clients: refresh tokens die at `createdAt + 7 d`. */
  expiresAt?: number;
}

/** A refresh token of a grant. */
export interface RefreshRecord {
  token: string;
  grant: Grant;
  scopes: string[];
  issuedAt: number;
  lastUsedAt: number;
  /** When the per-client cap evicted it. */
  evictedAt?: number;
}

/** An access token of a grant. */
export interface AccessRecord {
  token: string;
  grant: Grant;
  scopes: string[];
  /** Epoch ms. */
  exp: number;
  offline: boolean;
}

/** An authorization code waiting for its exchange. */
export interface CodeRecord {
  code: string;
  clientId: string;
  redirectUri: string;
  healthUserId: string;
  scopes: string[];
  challenge?: string;
  method?: "S256" | "plain";
  offline: boolean;
  /** Whether the exchange answers a refresh token (offline and consent shown). */
  withRefresh: boolean;
  used: boolean;
  exp: number;
}

/** The pre-seeded OAuth client. */
export const DEFAULT_CLIENT = {
  id: "fake-client.apps.googleusercontent.com",
  secret: "fake-client-secret",
};

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Refresh tokens unused this long die (google-health.md §1.5). */
const INACTIVITY_MS = 180 * DAY_MS;

function randomText(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/** The redacted form of a token in the call log: `sha256:` and 16 hex digits. */
export function tokenHash(token: string): string {
  return `sha256:${createHash("sha256").update(token).digest("hex").slice(0, 16)}`;
}

/** The fake's state and its rules. */
export class FakeState {
  config: FakeConfig = { ...DEFAULT_CONFIG };
  readonly clients = new Map<string, FakeClient>();
  readonly users = new Map<string, FakeUser>();
  readonly grants = new Map<string, Grant>();
  readonly refreshTokens = new Map<string, RefreshRecord>();
  readonly accessTokens = new Map<string, AccessRecord>();
  readonly codes = new Map<string, CodeRecord>();
  /** (client, user) pairs that consented before: later consents give no refresh token by default. */
  readonly consented = new Set<string>();
  private sequence = 7205512347880000000n;
  private userSequence = 271828182845904000n;

  constructor(public now: () => number = Date.now) {
    this.reset();
  }

  /** Clears everything except the configuration's defaults; re-seeds the default client. */
  reset(): void {
    this.config = { ...DEFAULT_CONFIG };
    for (
      const map of [
        this.clients,
        this.users,
        this.grants,
        this.refreshTokens,
        this.accessTokens,
        this.codes,
      ]
    ) map.clear();
    this.consented.clear();
    this.addClient({ clientId: DEFAULT_CLIENT.id, clientSecret: DEFAULT_CLIENT.secret });
  }

  /** Registers (or replaces) an OAuth client. */
  addClient(input: Partial<FakeClient> & { clientId: string; clientSecret: string }): FakeClient {
    const client: FakeClient = { mode: "production", testUsers: [], ...input };
    this.clients.set(client.clientId, client);
    return client;
  }

  /** Adds (or replaces) a Google user; ids default to fresh random ones. */
  addUser(
    input: Partial<Omit<FakeUser, "data">> & { data?: DataSeed } = {},
  ): FakeUser {
    const healthUserId = input.healthUserId ?? String(this.userSequence++);
    const { data, ...rest } = input;
    const user: FakeUser = {
      sub: `1${healthUserId.replace(/\D/g, "").padEnd(20, "7").slice(0, 20)}`,
      email: `${healthUserId}@example.test`,
      legacyUserId: null,
      hasHealthProfile: true,
      legacyFitbitLogin: false,
      timeZone: "UTC",
      profile: {},
      ...rest,
      healthUserId,
      data: {
        points: new Map(),
        totalCaloriesByDay: new Map(),
        wornDays: new Set(),
        generated: false,
      },
    };
    this.users.set(healthUserId, user);
    if (data) this.seed(healthUserId, data, "replace");
    return user;
  }

  /** The user with this health id, or an error naming it. */
  user(healthUserId: string): FakeUser {
    const user = this.users.get(healthUserId);
    if (!user) throw new Error(`unknown healthUserId ${healthUserId}`);
    return user;
  }

  /** Loads data for a user: replaces everything, or appends to what is there. */
  seed(healthUserId: string, seed: DataSeed, mode: "replace" | "append"): void {
    const user = this.user(healthUserId);
    const data = user.data;
    const points = (seed.dataPoints ?? []).map((point) => {
      const t = typeOfPoint(point);
      if (!t) throw new Error(`data point without a known payload key: ${JSON.stringify(point)}`);
      if (!t.list) throw new Error(`${t.type} is seeded through totalCaloriesByDay`);
      return { t, point: this.named(user, t.type, t.identifiable, point) };
    });
    if (mode === "replace") {
      data.points.clear();
      data.totalCaloriesByDay.clear();
      data.wornDays.clear();
      data.generated = false;
    }
    for (const { t, point } of points) {
      const list = data.points.get(t.type) ?? [];
      list.push(point);
      data.points.set(t.type, list);
    }
    for (const [day, kcal] of Object.entries(seed.totalCaloriesByDay ?? {})) {
      data.totalCaloriesByDay.set(day, kcal);
    }
    for (const day of seed.wornDays ?? []) data.wornDays.add(day);
    if (seed.generated !== undefined) data.generated = seed.generated;
  }

  private named(user: FakeUser, type: string, identifiable: boolean, point: DataPoint) {
    if (!identifiable || point.name) return structuredClone(point);
    const segment = this.config.nameUserSegment === "me" ? "me" : user.healthUserId;
    return {
      name: `users/${segment}/dataTypes/${type}/dataPoints/${this.nextId()}`,
      ...structuredClone(point),
    };
  }

  private nextId(): bigint {
    this.sequence += BigInt(1 + Math.floor(Math.random() * 1000));
    return this.sequence;
  }

  // ---- grants and tokens --------------------------------------------------------------------

  /** The live grant of a user for a client, or a new one. */
  grantFor(clientId: string, healthUserId: string): Grant {
    for (const grant of this.grants.values()) {
      if (grant.clientId === clientId && grant.healthUserId === healthUserId && !grant.revoked) {
        return grant;
      }
    }
    const now = this.now();
    const grant: Grant = {
      id: `grant-${randomText(10)}`,
      clientId,
      healthUserId,
      scopes: [],
      revoked: false,
      createdAt: now,
      expiresAt: this.clients.get(clientId)?.mode === "testing" ? now + 7 * DAY_MS : undefined,
    };
    this.grants.set(grant.id, grant);
    return grant;
  }

  /** Adds scopes to a grant (consent is per scope). */
  widen(grant: Grant, scopes: string[]): void {
    grant.scopes = [...new Set([...grant.scopes, ...scopes])];
  }

  /** Issues an access token (1 h). */
  issueAccess(grant: Grant, scopes: string[], offline: boolean): AccessRecord {
    const prefix = "ya29.fake-";
    const length = Math.min(2048, Math.max(this.config.accessTokenLength, prefix.length + 16));
    const record: AccessRecord = {
      token: prefix + randomText(length - prefix.length),
      grant,
      scopes,
      exp: this.now() + HOUR_MS,
      offline,
    };
    this.accessTokens.set(record.token, record);
    return record;
  }

  /** Issues a refresh token, evicting the oldest live one beyond the per-client cap. */
  issueRefresh(grant: Grant, scopes: string[]): RefreshRecord {
    const now = this.now();
    const record: RefreshRecord = {
      token: `1//fake-${randomText(96)}`,
      grant,
      scopes,
      issuedAt: now,
      lastUsedAt: now,
    };
    this.refreshTokens.set(record.token, record);
    const live = [...this.refreshTokens.values()].filter((r) =>
      r.grant.clientId === grant.clientId && r.grant.healthUserId === grant.healthUserId &&
      this.refreshDeath(r) === undefined
    );
    for (const old of live.slice(0, Math.max(0, live.length - this.config.refreshTokenCap))) {
      old.evictedAt = now;
    }
    return record;
  }

  /** Seeds a grant as if the user had consented: tokens without the browser step. */
  seedGrant(input: {
    healthUserId: string;
    clientId?: string;
    scopes?: string[];
    offline?: boolean;
  }): { grant: Grant; access: AccessRecord; refresh?: RefreshRecord } {
    this.user(input.healthUserId);
    const clientId = input.clientId ?? DEFAULT_CLIENT.id;
    const scopes = (input.scopes ?? DEFAULT_SCOPES).map(fullScope);
    const grant = this.grantFor(clientId, input.healthUserId);
    this.widen(grant, scopes);
    this.consented.add(`${clientId}|${input.healthUserId}`);
    const offline = input.offline ?? true;
    return {
      grant,
      access: this.issueAccess(grant, scopes, offline),
      refresh: offline ? this.issueRefresh(grant, scopes) : undefined,
    };
  }

  /** Revokes a grant: every token of it dies at once. */
  revoke(grant: Grant): void {
    if (grant.revoked) return;
    grant.revoked = true;
    grant.revokedAt = this.now();
  }

  /** When a refresh token died (epoch ms), or undefined while it lives. */
  refreshDeath(record: RefreshRecord): number | undefined {
    const { grant } = record;
    const deaths = [
      grant.revoked ? grant.revokedAt : undefined,
      grant.expiresAt !== undefined && grant.expiresAt <= this.now() ? grant.expiresAt : undefined,
      record.lastUsedAt + INACTIVITY_MS <= this.now()
        ? record.lastUsedAt + INACTIVITY_MS
        : undefined,
      record.evictedAt,
    ].filter((t): t is number => t !== undefined);
    return deaths.length > 0 ? Math.min(...deaths) : undefined;
  }

  /** Why an access token cannot be used: expired, dead (revoked or unknown), or fine. */
  accessState(token: string): { record?: AccessRecord; state: "live" | "expired" | "dead" } {
    const record = this.accessTokens.get(token);
    if (!record || record.grant.revoked) return { record, state: "dead" };
    if (record.exp <= this.now()) return { record, state: "expired" };
    return { record, state: "live" };
  }

  /** The user a token, refresh token or code belongs to, if known. */
  userOfToken(token: string): string | undefined {
    return this.accessTokens.get(token)?.grant.healthUserId ??
      this.refreshTokens.get(token)?.grant.healthUserId ??
      this.codes.get(token)?.healthUserId;
  }
}
