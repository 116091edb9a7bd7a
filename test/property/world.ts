import { decodeJwt, generateKeyPair, SignJWT } from "jose";
import type { Endpoint } from "../../src/api/endpoint.ts";
import { SCOPES_BY_TYPE, type UserType } from "../../src/auth/scopes.ts";
import { TOKEN_LIFETIME_SECONDS } from "../../src/auth/tokens.ts";
import { users as usersTable } from "../../src/db/schema/index.ts";
import { startFitbitTestbed } from "../fake-fitbit/setup.ts";
import { FIXTURE_PASSWORD, type TestApp } from "../harness.ts";
import { populate } from "../hardening/world.ts";
import { DatabaseState } from "./database.ts";

/**
 * The platform the property suite attacks: the hardening sweeps' populated world (one of
 * every account, a group, a family link, one record of every tracking resource) on an app
 * wired to the fake Fitbit on loopback (so no request leaves the machine), plus what
 * hostile requests need: tokens that must not work, Fitbit token pairs that do, and the
 * names and passwords of the accounts. Its database is snapshotted once populated; every
 * case starts from that snapshot.
 */

/** Who sends a request: the token of this account (the header may still be spoiled). */
export type Caller = UserType;

/** Types tried, in order, for a route neither an admin nor a child may call. */
const OTHERS: readonly UserType[] = ["application", "educator", "healthprofessional", "family"];

/**
 * Who calls an endpoint: an admin and a child, always; for a route that both lack the
 * scope of, also a user type that holds it (the one a path parameter names, else the
 * first), so that the route's own code is reached too.
 */
export function callersOf(endpoint: Endpoint): UserType[] {
  const scopes = endpoint.access.scopes;
  if (scopes === "public") return ["admin", "child"];
  const holds = (type: UserType) => scopes.some((scope) => SCOPES_BY_TYPE[type].includes(scope));
  if (holds("admin") || holds("child")) return ["admin", "child"];
  // The type a path parameter names (`:healthprofessional_id`) first: its own routes.
  const named = OTHERS.filter((type) => endpoint.path.includes(`:${type}_id`));
  const other = [...named, ...OTHERS].find(holds);
  return other ? ["admin", "child", other] : ["admin", "child"];
}

/** Everything the arbitraries draw on, fixed once the world is built. */
export interface PropertyWorld {
  t: TestApp;
  state: DatabaseState;
  tokens: Record<Caller, string>;
  /** A valid value for every path parameter name of the populated platform. */
  params: Record<string, string>;
  /** Other valid values of a parameter (`user_id`: every account, the caller's own included). */
  alternatives: Record<string, string[]>;
  /** Every id of the world (accounts, institution, groups, records). */
  ids: string[];
  usernames: string[];
  password: string;
  /** Well-formed tokens that must be refused: expired, foreign key, `alg: none`, tampered, revoked. */
  refusedTokens: string[];
  /** Token pairs the fake Fitbit granted (FB2 accepts them). */
  fitbitTokens: { access_token: string; refresh_token: string }[];
  close(): Promise<void>;
}

const base64url = (text: string) =>
  btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** Tokens that look right and must be answered 401. */
async function refusedTokens(t: TestApp, admin: { id: string }, childToken: string) {
  t.clock.advance(-2 * TOKEN_LIFETIME_SECONDS * 1000);
  const expired = await t.tokenFor({ id: admin.id, type: "admin" });
  t.clock.advance(2 * TOKEN_LIFETIME_SECONDS * 1000);
  const adminToken = await t.tokenFor({ id: admin.id, type: "admin" });
  const claims = decodeJwt(adminToken);
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048 });
  const foreign = await new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT" })
    .sign(privateKey);
  const unsigned = `${base64url('{"alg":"none","typ":"JWT"}')}.${
    base64url(JSON.stringify(claims))
  }.`;
  // The child's signature under the admin's claims.
  const [, , childSignature] = childToken.split(".");
  const [adminHeader, adminPayload] = adminToken.split(".");
  const tampered = `${adminHeader}.${adminPayload}.${childSignature}`;
  // A token of an account deleted through the API (its subject is revoked).
  const gone = await t.login("family");
  const res = await t.request("DELETE", `/v1/users/${gone.id}`, { token: adminToken });
  if (res.status !== 204) throw new Error(`world: deleting a user answered ${res.status}`);
  return [expired, foreign, unsigned, tampered, gone.token];
}

/** The tag and file of one asset the reference page loads (the assets route serves it). */
async function referenceAsset(t: TestApp): Promise<{ tag: string; file: string }> {
  const page = await (await t.request("GET", "/v1/reference")).text();
  const [, tag, file] = page.match(/\/v1\/reference\/assets\/([^/"']+)\/([^/"'?]+)/) ?? [];
  if (!tag || !file) throw new Error("world: the reference page names no asset");
  return { tag, file };
}

/** Builds the world on a fresh app and fake Fitbit, and snapshots its database. */
export async function buildWorld(): Promise<PropertyWorld> {
  const bed = await startFitbitTestbed();
  const t = bed.t;
  const world = await populate(t);
  const admin = decodeJwt(world.tokens.admin).sub!;
  const refused = await refusedTokens(t, { id: admin }, world.tokens.child);
  const users = await t.db.select({ id: usersTable.id, username: usersTable.username })
    .from(usersTable);
  const fitbitTokens = [];
  for (let i = 0; i < 2; i++) {
    fitbitTokens.push(await bed.fake.grant({ userId: bed.fake.addUser().id }));
  }
  const ids = [...new Set([...users.map((user) => user.id), ...Object.values(world.params)])]
    .filter((id) => /^[0-9a-f]{24}$/.test(id));
  const asset = await referenceAsset(t);
  const state = await DatabaseState.open(t.deps.config.DATABASE_URL, `${t.dir}/snapshot.db`);
  return {
    t,
    state,
    tokens: world.tokens,
    params: { ...world.params, ...asset },
    alternatives: { user_id: users.map((user) => user.id) },
    ids,
    usernames: users.map((user) => user.username),
    password: FIXTURE_PASSWORD,
    refusedTokens: refused,
    fitbitTokens,
    async close() {
      state.close();
      await bed.close();
    },
  };
}
