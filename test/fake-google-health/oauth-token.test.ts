/**
 * The code exchange at `POST /token` (google-health.md §1.3, §1.6, §6.2): PKCE S256 checked,
 * codes single-use and bound to client and redirect URI, a refresh token only for offline access
 * at (re-)consent, and the documented OAuth error bodies.
 */
import { assertEquals, assertTrue } from "../assert.ts";
import { postForm, testWithFake } from "./client.ts";
import type { FakeGoogleHealth } from "./server.ts";
import { authorizationUrl, consent, DEFAULT_CLIENT, pkcePair } from "./setup.ts";

const REDIRECT = "http://127.0.0.1:9/v1/fitbit/callback";

/** A user, a consent with PKCE S256, and the code the callback got. */
async function codeFor(fake: FakeGoogleHealth, extra: Record<string, string> = {}) {
  const user = fake.addUser();
  const pkce = pkcePair();
  const url = authorizationUrl(fake, { redirectUri: REDIRECT, challenge: pkce.challenge, extra });
  const { params } = await consent(fake, url, { healthUserId: user.healthUserId });
  return { user, code: params.code, ...pkce };
}

const exchange = (fake: FakeGoogleHealth, form: Record<string, string>, withClient = true) =>
  postForm(fake.urls.token, { grant_type: "authorization_code", ...form }, { withClient });

testWithFake(
  "a code exchanged with the right PKCE verifier gives Google's token answer",
  async (fake) => {
    const { code, verifier } = await codeFor(fake);
    const res = await exchange(fake, { code, redirect_uri: REDIRECT, code_verifier: verifier });
    assertEquals(res.status, 200);
    assertEquals(Object.keys(res.body).sort(), [
      "access_token",
      "expires_in",
      "refresh_token",
      "scope",
      "token_type",
    ]);
    assertEquals(res.body.expires_in, 3599);
    assertEquals(res.body.token_type, "Bearer");
    assertTrue(res.body.access_token.startsWith("ya29.fake-"));
    assertEquals(res.body.access_token.length, 200);
    assertTrue(!("user_id" in res.body), "no Fitbit-style user_id");
  },
);

const failures: {
  name: string;
  form: (c: { code: string; verifier: string }) => Record<string, string>;
  status: number;
  error: string;
  description: string;
}[] = [
  {
    name: "a wrong PKCE verifier",
    form: ({ code }) => ({ code, redirect_uri: REDIRECT, code_verifier: "x".repeat(64) }),
    status: 400,
    error: "invalid_grant",
    description: "Invalid code verifier.",
  },
  {
    name: "a missing PKCE verifier",
    form: ({ code }) => ({ code, redirect_uri: REDIRECT }),
    status: 400,
    error: "invalid_grant",
    description: "Missing code verifier.",
  },
  {
    name: "a verifier cut to 42 characters",
    form: ({ code, verifier }) => ({
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier.slice(0, 42),
    }),
    status: 400,
    error: "invalid_grant",
    description: "Invalid code verifier.",
  },
  {
    name: "another redirect URI",
    form: ({ code, verifier }) => ({
      code,
      redirect_uri: "http://127.0.0.1:9/other",
      code_verifier: verifier,
    }),
    status: 400,
    error: "invalid_grant",
    description: "Bad Request",
  },
  {
    name: "an altered code",
    form: ({ code, verifier }) => ({
      code: `${code}x`,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    }),
    status: 400,
    error: "invalid_grant",
    description: "Malformed auth code.",
  },
  {
    name: "no code",
    form: ({ verifier }) => ({ redirect_uri: REDIRECT, code_verifier: verifier }),
    status: 400,
    error: "invalid_request",
    description: "Missing required parameter: code",
  },
  {
    name: "a wrong client secret",
    form: ({ code, verifier }) => ({
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: DEFAULT_CLIENT.id,
      client_secret: "wrong",
    }),
    status: 401,
    error: "invalid_client",
    description: "Unauthorized",
  },
  {
    name: "an unknown client",
    form: ({ code, verifier }) => ({
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: "nobody.apps.googleusercontent.com",
      client_secret: "x",
    }),
    status: 401,
    error: "invalid_client",
    description: "The OAuth client was not found.",
  },
];

for (const c of failures) {
  testWithFake(`code exchange with ${c.name}: ${c.status} ${c.error}`, async (fake) => {
    const codes = await codeFor(fake);
    const res = await exchange(fake, c.form(codes));
    assertEquals(res.status, c.status);
    assertEquals(res.body, { error: c.error, error_description: c.description });
  });
}

testWithFake("a code works once: the second exchange is invalid_grant", async (fake) => {
  const { code, verifier } = await codeFor(fake);
  const form = { code, redirect_uri: REDIRECT, code_verifier: verifier };
  assertEquals((await exchange(fake, form)).status, 200);
  const again = await exchange(fake, form);
  assertEquals(again.status, 400);
  assertEquals(again.body, { error: "invalid_grant", error_description: "Bad Request" });
});

testWithFake("a code expires after its lifetime (10 min by default)", async (fake) => {
  let now = Date.parse("2026-09-01T12:00:00Z");
  fake.now = () => now;
  const { code, verifier } = await codeFor(fake);
  now += 600_001;
  const res = await exchange(fake, { code, redirect_uri: REDIRECT, code_verifier: verifier });
  assertEquals(res.body.error, "invalid_grant");
});

testWithFake("client credentials in an HTTP Basic header are accepted", async (fake) => {
  const { code, verifier } = await codeFor(fake);
  const res = await fetch(fake.urls.token, {
    method: "POST",
    headers: { Authorization: `Basic ${btoa(`${DEFAULT_CLIENT.id}:${DEFAULT_CLIENT.secret}`)}` },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    }),
  });
  assertEquals(res.status, 200);
  await res.body?.cancel();
});

const refreshCases = [
  { extra: { access_type: "offline", prompt: "consent" }, second: true, name: "offline + consent" },
  { extra: { access_type: "offline", prompt: "" }, second: false, name: "offline, no prompt" },
  { extra: { access_type: "online", prompt: "consent" }, second: false, name: "online" },
];

for (const c of refreshCases) {
  testWithFake(`refresh token on a repeated consent (${c.name}): ${c.second}`, async (fake) => {
    const user = fake.addUser();
    const run = async () => {
      const pkce = pkcePair();
      const url = authorizationUrl(fake, {
        redirectUri: REDIRECT,
        challenge: pkce.challenge,
        extra: c.extra,
      });
      const { params } = await consent(fake, url, { healthUserId: user.healthUserId });
      return await exchange(fake, {
        code: params.code,
        redirect_uri: REDIRECT,
        code_verifier: pkce.verifier,
      });
    };
    const first = await run();
    assertEquals("refresh_token" in first.body, c.extra.access_type === "offline");
    const second = await run();
    assertEquals("refresh_token" in second.body, c.second);
  });
}

testWithFake(
  "grant_type missing or unknown: invalid_request / unsupported_grant_type",
  async (fake) => {
    const missing = await postForm(fake.urls.token, {});
    assertEquals(missing.status, 400);
    assertEquals(missing.body.error, "invalid_request");
    const unknown = await postForm(fake.urls.token, { grant_type: "password" });
    assertEquals(unknown.status, 400);
    assertEquals(unknown.body.error, "unsupported_grant_type");
  },
);
