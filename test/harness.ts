import type { Hono } from "hono";
import { createApp } from "../src/app.ts";
import { generateKeyPair } from "jose";
import type { SigningKeys } from "../src/auth/keys.ts";
import { hashPassword } from "../src/auth/passwords.ts";
import type { UserType } from "../src/auth/scopes.ts";
import { TokenService } from "../src/auth/tokens.ts";
import type { AppEnv, Deps } from "../src/core/context.ts";
import { newId } from "../src/core/ids.ts";
import { createLogger } from "../src/core/log.ts";
import {
  type Database,
  type DatabaseHandle,
  migrateDatabase,
  openDatabase,
} from "../src/db/client.ts";
import {
  childrenGroupMembers,
  childrenGroups,
  familyChildren,
  institutions,
  users,
} from "../src/db/schema/index.ts";
import { loadEnv } from "../src/env.ts";
import { wearableMetrics } from "../src/metrics/wearables.ts";
import { createTrackingIngest } from "../src/tracking/ingest.ts";
import type { ProviderRegistry } from "../src/wearables/provider.ts";
import { createProviders } from "../src/wearables/providers/registry.ts";
import { DataCipher, generateDataKey, importDataKey } from "../src/wearables/secrets.ts";
import { Wearables } from "../src/wearables/wearables.service.ts";
import { assertDocumented } from "./documented.ts";
import { ObservedIngest } from "./observed-ingest.ts";

/** The password every fixture user gets, and its hash (computed once: scrypt is slow on purpose). */
export const FIXTURE_PASSWORD = "secret-pass";
const fixtureHash = hashPassword(FIXTURE_PASSWORD);

let sharedKeys: Promise<SigningKeys> | undefined;
/** One RS256 pair per test process (generation takes a while). */
export function testKeys(): Promise<SigningKeys> {
  return sharedKeys ??= generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
}

/** A movable clock for token expiry and timestamps. */
export class TestClock {
  constructor(public time = Date.now()) {}
  now = () => this.time;
  advance(ms: number) {
    this.time += ms;
  }
}

/** Options for one request through the app. */
export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** A raw body string, sent as is (for malformed JSON). */
  raw?: string;
  headers?: Record<string, string>;
}

/** A running app on its own temporary SQLite file. */
export class TestApp {
  constructor(
    readonly app: Hono<AppEnv>,
    readonly deps: Deps,
    readonly clock: TestClock,
    private readonly handle: DatabaseHandle,
    readonly dir: string,
    /** Tracking's real ingest on this app's database and clock, as the Fitbit sync uses it. */
    readonly ingest: ObservedIngest,
  ) {}

  get db(): Database {
    return this.deps.db;
  }

  /**
   * Sends a request through the whole app (all middleware, the guard, onError); the answer
   * is checked against the endpoint's definition (status and body schema).
   */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["Content-Type"] ??= "application/json";
    } else if (options.raw !== undefined) {
      headers["Content-Type"] ??= "application/json";
    }
    const response = await this.app.request(path, { method, headers, body });
    await assertDocumented(method, path, response);
    return response;
  }

  /** A token for a user id and type, as login would issue it. */
  tokenFor(user: { id: string; type: UserType }): Promise<string> {
    return this.deps.tokens.issue(user);
  }

  /** Creates a user of the type (with a fresh institution when none is given) and its token. */
  async login(type: UserType, fields: Partial<typeof users.$inferInsert> = {}) {
    const user = await this.createUser(type, fields);
    return { ...user, token: await this.tokenFor(user) };
  }

  /** Inserts a user row directly. */
  async createUser(type: UserType, fields: Partial<typeof users.$inferInsert> = {}) {
    const now = this.clock.now();
    const row = {
      id: newId(now),
      type,
      username: `${type}-${crypto.randomUUID().slice(0, 8)}`,
      passwordHash: await fixtureHash,
      createdAt: now,
      fitbitStatus: type === "child" ? "none" : null,
      ...fields,
    };
    await this.db.insert(users).values(row);
    return { id: row.id, type, username: row.username, institutionId: row.institutionId ?? null };
  }

  /** Inserts an institution row directly. */
  async createInstitution(fields: Partial<typeof institutions.$inferInsert> = {}) {
    const now = this.clock.now();
    const row = {
      id: newId(now),
      type: "School",
      name: `School ${crypto.randomUUID()}`,
      createdAt: now,
      ...fields,
    };
    await this.db.insert(institutions).values(row);
    return row;
  }

  /** Puts children in a new group owned by an educator or health professional. */
  async createGroup(ownerId: string, childIds: string[], name = `group-${crypto.randomUUID()}`) {
    const id = newId(this.clock.now());
    await this.db.insert(childrenGroups).values({ id, ownerId, name, createdAt: this.clock.now() });
    if (childIds.length > 0) {
      await this.db.insert(childrenGroupMembers).values(
        childIds.map((childId, position) => ({ groupId: id, childId, position })),
      );
    }
    return id;
  }

  /** Associates children with a family. */
  async linkFamily(familyId: string, childIds: string[]) {
    await this.db.insert(familyChildren).values(
      childIds.map((childId, position) => ({ familyId, childId, position })),
    );
  }

  /** Closes the database and removes the temporary directory. */
  async close() {
    this.handle.close();
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}

/** Optional parts of a test app. */
export interface TestAppOptions {
  /** Wearable providers replacing the configured ones. */
  providers?: ProviderRegistry;
}

/**
 * Starts the real app on a fresh SQLite file with migrations applied, as `main.ts` does,
 * minus the HTTP listener and background workers. Each test file gets its own database.
 * The Fitbit sync stores through tracking's real ingest (observed, see `TestApp.ingest`).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const dir = await Deno.makeTempDir({ prefix: "ocariot-test-" });
  const config = loadEnv({ DATA_DIR: dir, LOG_LEVEL: "silent", ...env });
  const handle = await openDatabase(config.DATABASE_URL);
  await migrateDatabase(handle.db);
  const clock = new TestClock();
  const log = createLogger(config.LOG_LEVEL);
  const cipher = new DataCipher(await importDataKey(generateDataKey()));
  const ingest = new ObservedIngest(createTrackingIngest(handle.db, clock.now, log));
  const deps: Deps = {
    db: handle.db,
    config,
    tokens: new TokenService(await testKeys(), config.JWT_ISSUER, clock.now),
    log,
    now: clock.now,
    wearables: new Wearables({
      db: handle.db,
      config,
      cipher,
      ingest,
      log,
      now: clock.now,
      providers: options.providers ?? createProviders(config, clock.now),
      telemetry: wearableMetrics,
    }),
  };
  return new TestApp(createApp(deps), deps, clock, handle, dir, ingest);
}

/** The contract bodies tests compare against. */
export const bodies = {
  forbidden: {
    code: 403,
    message: "FORBIDDEN",
    description: "Authorization failed due to insufficient permissions.",
  },
  noToken: {
    code: 401,
    message: "UNAUTHORIZED",
    description: "Authentication failed for lack of authentication credentials.",
    redirect_link: "/auth",
  },
  badParam: (name: string) => ({
    code: 400,
    message: `Parameter {${name}} is not in valid format!`,
    description: "A 24-byte hex ID similar to this: 507f191e810c19729de860ea is expected.",
  }),
  invalid: (description: string) => ({
    code: 400,
    message: "One or more request fields are invalid...",
    description,
  }),
  /** `<What> not found!` with the contract's standard description. */
  notFound: (what: string) => ({
    code: 404,
    message: `${what} not found!`,
    description:
      `${what} not found or already removed. A new operation for the same resource is not required.`,
  }),
  /** `<What> is already registered...` (no description). */
  conflict: (what: string) => ({ code: 409, message: `${what} is already registered...` }),
  institutionNotRegistered: {
    code: 400,
    message: "The institution provided does not have a registration.",
    description: "It is necessary that the institution be registered before trying again.",
  },
  required: (names: string) => ({
    code: 400,
    message: "Required fields were not provided...",
    description: `${names} are required!`,
  }),
};
