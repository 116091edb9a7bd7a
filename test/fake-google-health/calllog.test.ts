/**
 * The call log (google-health.md §6.7 `GET /__fake/requests`): each call's endpoint, user and
 * token (as a hash: raw tokens, codes and secrets never appear), the decoded filter, the PKCE
 * verifier of a code exchange, the JSON body of a rollup, and the status answered.
 */
import { assertEquals, assertTrue } from "../assert.ts";
import { list, postForm, refresh, rollUp, testWithFake } from "./client.ts";
import {
  authorizationUrl,
  connectedUser,
  consent,
  DEFAULT_CLIENT,
  pkcePair,
  tokenHash,
} from "./setup.ts";

testWithFake("a data call names its endpoint, type, user and token hash", async (fake) => {
  const { user, tokens } = connectedUser(fake);
  const filter = 'sleep.interval.end_time >= "2026-09-01T00:00:00Z"';
  await list(fake, tokens.access_token, "sleep", { filter, pageSize: "25" });
  const [entry] = fake.calls({ endpoint: "list" });
  assertEquals(entry.dataType, "sleep");
  assertEquals(entry.healthUserId, user.healthUserId);
  assertEquals(entry.token, tokenHash(tokens.access_token));
  assertEquals(entry.headers.authorization, `Bearer ${tokenHash(tokens.access_token)}`);
  assertEquals(entry.query, { filter, pageSize: "25" });
  assertEquals(
    entry.url,
    `/v4/users/me/dataTypes/sleep/dataPoints?filter=${filter}&pageSize=25`,
  );
  assertEquals(entry.status, 200);
  assertEquals(fake.calls({ token: tokens.access_token }).length, 1, "filter by raw token");
});

testWithFake("a code exchange logs the PKCE verifier, never the code or secret", async (fake) => {
  const user = fake.addUser();
  const { verifier, challenge } = pkcePair();
  const redirect = "http://127.0.0.1:9/cb";
  const { params } = await consent(
    fake,
    authorizationUrl(fake, { redirectUri: redirect, challenge }),
    {
      healthUserId: user.healthUserId,
    },
  );
  await postForm(fake.urls.token, {
    grant_type: "authorization_code",
    code: params.code,
    redirect_uri: redirect,
    code_verifier: verifier,
  });
  const [entry] = fake.calls({ endpoint: "token" });
  assertEquals(entry.grantType, "authorization_code");
  assertEquals(entry.healthUserId, user.healthUserId);
  assertEquals(entry.form, {
    client_id: DEFAULT_CLIENT.id,
    client_secret: tokenHash(DEFAULT_CLIENT.secret),
    grant_type: "authorization_code",
    code: tokenHash(params.code),
    redirect_uri: redirect,
    code_verifier: verifier,
  });
});

testWithFake("refresh, revoke and tokeninfo are attributed to the grant's user", async (fake) => {
  const { user, tokens } = connectedUser(fake);
  await refresh(fake, tokens.refresh_token);
  await fetch(`${fake.urls.tokeninfo}?access_token=${tokens.access_token}`).then((r) =>
    r.body?.cancel()
  );
  await postForm(fake.urls.revoke, { token: tokens.refresh_token }, { withClient: false });
  const log = fake.calls({ healthUserId: user.healthUserId });
  assertEquals(log.map((e) => [e.endpoint, e.token]), [
    ["token", tokenHash(tokens.refresh_token)],
    ["tokeninfo", tokenHash(tokens.access_token)],
    ["revoke", tokenHash(tokens.refresh_token)],
  ]);
});

testWithFake("no raw token or secret appears anywhere in the log", async (fake) => {
  const { tokens } = connectedUser(fake);
  await refresh(fake, tokens.refresh_token);
  await fetch(`${fake.urls.tokeninfo}?access_token=${tokens.access_token}`).then((r) =>
    r.body?.cancel()
  );
  await list(fake, tokens.access_token, "steps");
  await fetch(`${fake.urls.revoke}?token=${tokens.refresh_token}`, { method: "POST" }).then((r) =>
    r.body?.cancel()
  );
  const text = JSON.stringify(await (await fetch(`${fake.url}/__fake/requests`)).json());
  for (const secret of [tokens.access_token, tokens.refresh_token, DEFAULT_CLIENT.secret]) {
    assertTrue(!text.includes(secret), "a secret leaked into the log");
  }
});

testWithFake("a rollup's JSON body is logged", async (fake) => {
  const { tokens } = connectedUser(fake);
  await rollUp(fake, tokens.access_token, "steps", "2026-09-01", "2026-09-02");
  const [entry] = fake.calls({ endpoint: "dailyRollUp", dataType: "steps" });
  assertEquals(entry.body, {
    range: {
      start: { date: { year: 2026, month: 9, day: 1 } },
      end: { date: { year: 2026, month: 9, day: 2 } },
    },
  });
});

testWithFake("the log keeps arrival order with the fake clock's time", async (fake) => {
  let now = 1_000;
  fake.now = () => now;
  const { tokens } = connectedUser(fake);
  await list(fake, tokens.access_token, "steps");
  now = 2_000;
  await list(fake, tokens.access_token, "weight");
  assertEquals(fake.calls().map((e) => [e.seq, e.at, e.dataType]), [[1, 1_000, "steps"], [
    2,
    2_000,
    "weight",
  ]]);
});

const modes = [
  { callLog: "full", entries: 1, headers: true },
  { callLog: "summary", entries: 1, headers: false },
  { callLog: "off", entries: 0, headers: false },
] as const;

for (const c of modes) {
  testWithFake(
    `callLog ${c.callLog}: ${c.entries} entries, headers kept: ${c.headers}`,
    async (fake) => {
      fake.configure({ callLog: c.callLog });
      const { user, tokens } = connectedUser(fake);
      await list(fake, tokens.access_token, "steps");
      assertEquals(fake.callCount, 1);
      assertEquals(fake.log.length, c.entries);
      if (c.entries) {
        assertEquals(fake.log[0].healthUserId, user.healthUserId);
        assertEquals("authorization" in fake.log[0].headers, c.headers);
      }
    },
  );
}
