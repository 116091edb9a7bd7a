/**
 * Helpers for tests that use the fake Google Health API: start it, get the adapter's settings
 * for it, seed a connected user in one line, run the consent step, make PKCE pairs, and point a
 * client at a closed port (`closedPortUrl`).
 */
import { DEFAULT_SCOPES, fullScope } from "./datatypes.ts";
import { s256 } from "./oauth.ts";
import { FakeGoogleHealth, type FakeGoogleHealthOptions, type SeededTokens } from "./server.ts";
import { type DataSeed, DEFAULT_CLIENT, type FakeUser } from "./state.ts";

export { FakeGoogleHealth } from "./server.ts";
/** A loopback URL nothing listens on (connection refused), shared with the fake Fitbit. */
export { closedPortUrl } from "../fake-fitbit/server.ts";
export { DEFAULT_CLIENT, tokenHash } from "./state.ts";
export { API_ERRORS, OAUTH_ERRORS } from "./errors.ts";
export { CLOUD_PLATFORM_SCOPE, DEFAULT_SCOPES, fullScope, SCOPE_PREFIX } from "./datatypes.ts";

/** Starts a fake on a free loopback port. */
export function startFakeGoogleHealth(
  options: FakeGoogleHealthOptions = {},
): Promise<FakeGoogleHealth> {
  return FakeGoogleHealth.start(options);
}

/** The adapter settings (google-health.md §3.8) pointing at a fake, with its default client. */
export function googleHealthEnv(fake: FakeGoogleHealth): Record<string, string> {
  return {
    GOOGLE_CLIENT_ID: DEFAULT_CLIENT.id,
    GOOGLE_CLIENT_SECRET: DEFAULT_CLIENT.secret,
    GOOGLE_HEALTH_API_BASE_URL: fake.urls.api,
    GOOGLE_OAUTH_AUTH_URL: fake.urls.auth,
    GOOGLE_OAUTH_TOKEN_URL: fake.urls.token,
    GOOGLE_OAUTH_REVOKE_URL: fake.urls.revoke,
    GOOGLE_TOKENINFO_URL: fake.urls.tokeninfo,
  };
}

/** A user with a grant (default scopes: activity, sleep, metrics, settings) and optional data. */
export function connectedUser(
  fake: FakeGoogleHealth,
  options: {
    user?: Parameters<FakeGoogleHealth["addUser"]>[0];
    data?: DataSeed;
    scopes?: string[];
    clientId?: string;
  } = {},
): { user: FakeUser; tokens: SeededTokens & { refresh_token: string } } {
  const user = fake.addUser({ ...options.user, ...(options.data && { data: options.data }) });
  const tokens = fake.grant({
    healthUserId: user.healthUserId,
    scopes: options.scopes,
    clientId: options.clientId,
  });
  return { user, tokens: tokens as SeededTokens & { refresh_token: string } };
}

/**
 * A child wearing a Fitbit Ace: a Google account with a Health profile, but no data at all
 * (GHA does not support Ace devices, google-health.md §7.2).
 */
export function aceChild(fake: FakeGoogleHealth, healthUserId?: string): FakeUser {
  return fake.addUser({ healthUserId, profile: { note: "Fitbit Ace: not supported by GHA" } });
}

/** A PKCE pair: a 64-character verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const bytes = crypto.getRandomValues(new Uint8Array(48));
  const verifier = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
  return { verifier, challenge: s256(verifier) };
}

/** An authorization URL at the fake, as an adapter would build it (all parameters settable). */
export function authorizationUrl(
  fake: FakeGoogleHealth,
  params: {
    redirectUri: string;
    challenge?: string;
    state?: string;
    scopes?: string[];
    clientId?: string;
    extra?: Record<string, string>;
  },
): string {
  const url = new URL(fake.urls.auth);
  const query: Record<string, string> = {
    client_id: params.clientId ?? DEFAULT_CLIENT.id,
    redirect_uri: params.redirectUri,
    response_type: "code",
    scope: (params.scopes ?? DEFAULT_SCOPES).map(fullScope).join(" "),
    access_type: "offline",
    prompt: "consent",
    state: params.state ?? "state-123",
    ...(params.challenge && { code_challenge: params.challenge, code_challenge_method: "S256" }),
    ...params.extra,
  };
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

/**
 * Runs the consent step of an authorization URL (the adapter's or {@link authorizationUrl}'s)
 * as a user approving (optionally a subset of scopes) or refusing, and returns where Google
 * redirects the browser: the callback URL and its parameters.
 */
export async function consent(
  fake: FakeGoogleHealth,
  authorizationUrl: string,
  outcome: { healthUserId: string; scopes?: string[] } | { refuse: true },
): Promise<{ status: number; location: string; params: Record<string, string> }> {
  const previous = fake.consent;
  fake.consent = "refuse" in outcome ? outcome : { approve: true, ...outcome };
  try {
    const res = await fetch(authorizationUrl, { redirect: "manual" });
    await res.body?.cancel();
    const location = res.headers.get("Location") ?? "";
    const params = location ? Object.fromEntries(new URL(location).searchParams) : {};
    return { status: res.status, location, params };
  } finally {
    fake.consent = previous;
  }
}

/** A token with the `cloud-platform` scope for subscriber management (a service account). */
export function serviceToken(fake: FakeGoogleHealth): string {
  const account = fake.addUser({ hasHealthProfile: false, email: "registrar@project.test" });
  return fake.grant({
    healthUserId: account.healthUserId,
    scopes: ["https://www.googleapis.com/auth/cloud-platform"],
  }).access_token;
}
