/**
 * `GET /tokeninfo?access_token=` (google-health.md §1.8, §6.2): the fields of a live token, and
 * 400 `{"error":"invalid_token","error_description":"Invalid Value"}` for every other token.
 */
import { assertEquals } from "../assert.ts";
import { testWithFake } from "./client.ts";
import { connectedUser, DEFAULT_CLIENT } from "./setup.ts";

const info = async (url: string, token: string) => {
  const res = await fetch(`${url}?access_token=${encodeURIComponent(token)}`);
  return { status: res.status, body: await res.json() };
};

testWithFake("a live token: aud/azp, sub, scope, exp and expires_in as strings", async (fake) => {
  const now = Date.parse("2026-09-01T12:00:00Z");
  fake.now = () => now;
  const { user, tokens } = connectedUser(fake, { scopes: ["sleep.readonly"] });
  const res = await info(fake.urls.tokeninfo, tokens.access_token);
  assertEquals(res, {
    status: 200,
    body: {
      azp: DEFAULT_CLIENT.id,
      aud: DEFAULT_CLIENT.id,
      sub: user.sub,
      scope: "https://www.googleapis.com/auth/googlehealth.sleep.readonly",
      exp: String(now / 1000 + 3600),
      expires_in: "3600",
      access_type: "offline",
    },
  });
});

testWithFake("tokeninfoNumbers: exp and expires_in as numbers", async (fake) => {
  fake.configure({ tokeninfoNumbers: true });
  const { tokens } = connectedUser(fake);
  const { body } = await info(fake.urls.tokeninfo, tokens.access_token);
  assertEquals([typeof body.exp, typeof body.expires_in], ["number", "number"]);
});

for (const path of ["/tokeninfo", "/oauth2/v1/tokeninfo", "/oauth2/v3/tokeninfo"]) {
  testWithFake(`${path} answers`, async (fake) => {
    const { tokens } = connectedUser(fake);
    assertEquals((await info(`${fake.url}${path}`, tokens.access_token)).status, 200);
  });
}

const dead = [
  { name: "an expired", kill: (clock: { now: number }) => void (clock.now += 3_600_000) },
  { name: "a garbage", token: "not-a-token" },
  { name: "a revoked", revoke: true },
];

for (const c of dead) {
  testWithFake(`${c.name} token: 400 invalid_token "Invalid Value"`, async (fake) => {
    const clock = { now: Date.parse("2026-09-01T12:00:00Z") };
    fake.now = () => clock.now;
    const { tokens } = connectedUser(fake);
    c.kill?.(clock);
    if (c.revoke) fake.revokeGrant(tokens.grantId);
    const res = await info(fake.urls.tokeninfo, c.token ?? tokens.access_token);
    assertEquals(res, {
      status: 400,
      body: { error: "invalid_token", error_description: "Invalid Value" },
    });
  });
}
