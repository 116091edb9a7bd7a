/**
 * `POST /revoke` (google-health.md §1.7, §6.2): a live access or refresh token ends the whole
 * grant (200, empty body); unknown, expired or revoked tokens answer 400 `invalid_token`;
 * `GET /revoke` is 404.
 */
import { assertEquals } from "../assert.ts";
import { api, postForm, refresh, testWithFake } from "./client.ts";
import { connectedUser } from "./setup.ts";

const cases = [
  { name: "refresh token in the form", which: "refresh_token", inQuery: false },
  { name: "refresh token in the query", which: "refresh_token", inQuery: true },
  { name: "access token in the form", which: "access_token", inQuery: false },
  { name: "access token in the query", which: "access_token", inQuery: true },
] as const;

for (const c of cases) {
  testWithFake(`revoke with the ${c.name} ends the whole grant`, async (fake) => {
    const { tokens } = connectedUser(fake);
    const token = tokens[c.which];
    const res = c.inQuery
      ? await fetch(`${fake.urls.revoke}?token=${encodeURIComponent(token)}`, { method: "POST" })
      : await fetch(fake.urls.revoke, { method: "POST", body: new URLSearchParams({ token }) });
    assertEquals(res.status, 200);
    assertEquals(await res.text(), "");
    assertEquals((await api(fake, tokens.access_token, "/v4/users/me/identity")).status, 401);
    assertEquals((await refresh(fake, tokens.refresh_token)).body.error, "invalid_grant");
  });
}

testWithFake("revoking again, an unknown or an expired token: 400 invalid_token", async (fake) => {
  const clock = { now: Date.parse("2026-09-01T12:00:00Z") };
  fake.now = () => clock.now;
  const { tokens } = connectedUser(fake);
  const expected = { error: "invalid_token", error_description: "Token expired or revoked" };
  clock.now += 3_600_000;
  const expired = await postForm(fake.urls.revoke, { token: tokens.access_token }, {
    withClient: false,
  });
  assertEquals([expired.status, expired.body], [400, expected]);
  assertEquals((await refresh(fake, tokens.refresh_token)).status, 200, "the grant lives on");
  const first = await postForm(fake.urls.revoke, { token: tokens.refresh_token });
  assertEquals(first.status, 200);
  const again = await postForm(fake.urls.revoke, { token: tokens.refresh_token });
  assertEquals([again.status, again.body], [400, expected]);
  const unknown = await postForm(fake.urls.revoke, { token: "ya29.nothing" });
  assertEquals([unknown.status, unknown.body], [400, expected]);
});

testWithFake("GET /revoke is 404", async (fake) => {
  const res = await fetch(`${fake.urls.revoke}?token=x`);
  await res.body?.cancel();
  assertEquals(res.status, 404);
});

testWithFake("the user removing access (control) kills the tokens like a revoke", async (fake) => {
  const { tokens } = connectedUser(fake);
  const res = await fetch(`${fake.url}/__fake/grants/${tokens.grantId}/revoke`, { method: "POST" });
  assertEquals(res.status, 200);
  await res.body?.cancel();
  const call = await api(fake, tokens.access_token, "/v4/users/me/identity");
  assertEquals(call.status, 401);
  assertEquals(call.body.error.details, undefined, "a revoked token carries no reason");
});
