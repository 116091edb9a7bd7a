/**
 * The consent step `GET /o/oauth2/v2/auth` (google-health.md §1.2, §6.2): a redirect with code,
 * state and the granted scopes (possibly a subset), `error=access_denied` on refusal, HTML error
 * pages for a bad client or redirect URI, and a consent page with approve/deny links.
 */
import { assertEquals, assertMatch, assertTrue } from "../assert.ts";
import { testWithFake } from "./client.ts";
import { authorizationUrl, consent, fullScope } from "./setup.ts";

const REDIRECT = "http://127.0.0.1:9/v1/fitbit/callback";

testWithFake("approval redirects with code, state and the granted scopes", async (fake) => {
  const user = fake.addUser();
  const url = authorizationUrl(fake, {
    redirectUri: REDIRECT,
    state: "s-1",
    challenge: "c".repeat(43),
  });
  const res = await consent(fake, url, { healthUserId: user.healthUserId });
  assertEquals(res.status, 302);
  assertTrue(res.location.startsWith(`${REDIRECT}?`));
  assertMatch(res.params.code, /^4\/fake-/);
  assertEquals(res.params.state, "s-1");
  assertEquals(res.params.scope.split(" ").length, 4);
});

testWithFake("partial consent: the callback's scope is the granted subset", async (fake) => {
  const user = fake.addUser();
  const url = authorizationUrl(fake, { redirectUri: REDIRECT });
  const res = await consent(fake, url, {
    healthUserId: user.healthUserId,
    scopes: ["sleep.readonly"],
  });
  assertEquals(res.params.scope, fullScope("sleep.readonly"));
});

testWithFake("refusal redirects with error=access_denied and the state", async (fake) => {
  const url = authorizationUrl(fake, { redirectUri: REDIRECT, state: "s-2" });
  const res = await consent(fake, url, { refuse: true });
  assertEquals(res.status, 302);
  assertEquals(res.params, { error: "access_denied", state: "s-2" });
});

const invalid: { name: string; change: Record<string, string>; status: number; text: RegExp }[] = [
  { name: "unknown client", change: { client_id: "nobody" }, status: 401, text: /invalid_client/ },
  {
    name: "unregistered redirect URI",
    change: { client_id: "strict.apps.googleusercontent.com" },
    status: 400,
    text: /redirect_uri_mismatch/,
  },
  {
    name: "response_type token",
    change: { response_type: "token" },
    status: 400,
    text: /invalid_request/,
  },
  { name: "empty scope", change: { scope: "" }, status: 400, text: /invalid_request/ },
  {
    name: "unknown PKCE method",
    change: { code_challenge: "x".repeat(43), code_challenge_method: "S512" },
    status: 400,
    text: /code_challenge_method/,
  },
];

for (const c of invalid) {
  testWithFake(`${c.name}: ${c.status} HTML page, no redirect`, async (fake) => {
    fake.addClient({
      clientId: "strict.apps.googleusercontent.com",
      clientSecret: "s",
      redirectUris: ["https://platform.example/v1/fitbit/callback"],
    });
    const url = new URL(authorizationUrl(fake, { redirectUri: REDIRECT }));
    for (const [k, v] of Object.entries(c.change)) url.searchParams.set(k, v);
    const res = await fetch(url, { redirect: "manual" });
    assertEquals(res.status, c.status);
    assertMatch(res.headers.get("Content-Type") ?? "", /text\/html/);
    assertMatch(await res.text(), c.text);
  });
}

testWithFake("a testing-mode client refuses users not listed as test users", async (fake) => {
  fake.addClient({
    clientId: "t.apps.googleusercontent.com",
    clientSecret: "t",
    mode: "testing",
    testUsers: ["listed@example.test"],
  });
  const listed = fake.addUser({ email: "listed@example.test" });
  const other = fake.addUser();
  const url = authorizationUrl(fake, {
    redirectUri: REDIRECT,
    clientId: "t.apps.googleusercontent.com",
  });
  assertEquals((await consent(fake, url, { healthUserId: listed.healthUserId })).status, 302);
  assertEquals((await consent(fake, url, { healthUserId: other.healthUserId })).status, 403);
});

testWithFake("without a configured outcome: a page whose links approve or deny", async (fake) => {
  const user = fake.addUser();
  const url = authorizationUrl(fake, { redirectUri: REDIRECT, state: "s-3" });
  const page = await (await fetch(url)).text();
  const href = (id: string) =>
    new URL(
      page.match(new RegExp(`id="${id}" href="([^"]+)"`))![1].replaceAll("&#38;", "&"),
      fake.url,
    );
  const approve = await fetch(href(`approve-${user.healthUserId}`), { redirect: "manual" });
  await approve.body?.cancel();
  const params = new URL(approve.headers.get("Location")!).searchParams;
  assertEquals([approve.status, params.get("state")], [302, "s-3"]);
  assertMatch(params.get("code") ?? "", /^4\/fake-/);
  const deny = await fetch(href("deny"), { redirect: "manual" });
  await deny.body?.cancel();
  assertEquals(new URL(deny.headers.get("Location")!).searchParams.get("error"), "access_denied");
});
