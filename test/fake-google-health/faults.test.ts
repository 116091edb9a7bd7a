/**
 * Injectable failures (google-health.md §6.8): each action's answer, matching by endpoint, data
 * type, user and grant type, one-shot versus counted versus persistent rules, hangs and cut
 * connections, and refused connections (a paused fake, a closed port).
 */
import { assertEquals, assertMatch, assertTrue } from "../assert.ts";
import { type Answer, api, list, postForm, refresh, rollUp, testWithFake } from "./client.ts";
import type { FaultAction } from "./faults.ts";
import { sleep as sleepPoint } from "./samples.ts";
import { closedPortUrl, connectedUser, FakeGoogleHealth } from "./setup.ts";

const actions: {
  name: string;
  action: FaultAction;
  check: (res: Answer) => void;
}[] = [
  {
    name: "apiError UNAVAILABLE",
    action: { apiError: "UNAVAILABLE" },
    check: (r) => assertEquals([r.status, r.body.error.status], [503, "UNAVAILABLE"]),
  },
  {
    name: "apiError DEADLINE_EXCEEDED",
    action: { apiError: "DEADLINE_EXCEEDED" },
    check: (r) => assertEquals([r.status, r.body.error.status], [504, "DEADLINE_EXCEEDED"]),
  },
  {
    name: "apiError INTERNAL",
    action: { apiError: "INTERNAL" },
    check: (r) => assertEquals([r.status, r.body.error.status], [500, "INTERNAL"]),
  },
  {
    name: "apiError ACCESS_TOKEN_EXPIRED (clock skew)",
    action: { apiError: "ACCESS_TOKEN_EXPIRED" },
    check: (r) =>
      assertEquals([r.status, r.body.error.details[0].reason], [401, "ACCESS_TOKEN_EXPIRED"]),
  },
  {
    name: "apiError SERVICE_DISABLED",
    action: { apiError: "SERVICE_DISABLED" },
    check: (r) =>
      assertEquals([r.status, r.body.error.details[0].reason], [403, "SERVICE_DISABLED"]),
  },
  {
    name: "apiError USER_PROJECT_DENIED",
    action: { apiError: "USER_PROJECT_DENIED" },
    check: (r) =>
      assertEquals([r.status, r.body.error.details[0].reason], [403, "USER_PROJECT_DENIED"]),
  },
  {
    name: "apiError given in full",
    action: { apiError: { http: 404, status: "NOT_FOUND", message: "gone" } },
    check: (r) =>
      assertEquals(r.body, { error: { code: 404, message: "gone", status: "NOT_FOUND" } }),
  },
  {
    name: "rateLimit",
    action: { rateLimit: true },
    check: (r) =>
      assertEquals([r.status, r.body.error.details[0].reason], [429, "RATE_LIMIT_EXCEEDED"]),
  },
  {
    name: "htmlError 502",
    action: { htmlError: 502 },
    check: (r) => {
      assertEquals(r.status, 502);
      assertMatch(r.headers.get("Content-Type") ?? "", /text\/html/);
      assertMatch(r.body, /<html/);
    },
  },
  {
    name: "malformed",
    action: { malformed: true },
    check: (r) => assertEquals([r.status, typeof r.body], [200, "string"]),
  },
  {
    name: "emptyPage",
    action: { emptyPage: true },
    check: (r) => assertEquals([r.status, r.body], [200, { dataPoints: [] }]),
  },
];

for (const c of actions) {
  testWithFake(`${c.name} on the sleep list answers as documented, once`, async (fake) => {
    const { tokens } = connectedUser(fake, { data: { dataPoints: [sleepPoint()] } });
    fake.fault({ endpoint: "list", dataType: "sleep" }, c.action);
    const exercise = await list(fake, tokens.access_token, "exercise");
    assertEquals(exercise.status, 200, "other data types are untouched");
    c.check(await list(fake, tokens.access_token, "sleep"));
    const after = await list(fake, tokens.access_token, "sleep");
    assertEquals([after.status, after.body.dataPoints.length], [200, 1], "the rule was used up");
    assertEquals(fake.calls({ dataType: "sleep" }).map((e) => e.fault), [
      Object.keys(c.action)[0],
      undefined,
    ]);
  });
}

testWithFake('times: a counted rule applies n times, "always" never stops', async (fake) => {
  const { tokens } = connectedUser(fake);
  fake.fault({ endpoint: "identity" }, { apiError: "UNAVAILABLE" }, 2);
  const statuses = [];
  for (let i = 0; i < 3; i++) {
    statuses.push((await api(fake, tokens.access_token, "/v4/users/me/identity")).status);
  }
  assertEquals(statuses, [503, 503, 200]);
  fake.fault({ endpoint: "identity" }, { apiError: "UNAVAILABLE" }, "always");
  for (let i = 0; i < 5; i++) {
    assertEquals((await api(fake, tokens.access_token, "/v4/users/me/identity")).status, 503);
  }
});

testWithFake("a rule for one user leaves the others alone", async (fake) => {
  const a = connectedUser(fake);
  const b = connectedUser(fake);
  fake.fault({ healthUserId: a.user.healthUserId }, { apiError: "UNAVAILABLE" }, "always");
  assertEquals((await api(fake, a.tokens.access_token, "/v4/users/me/identity")).status, 503);
  assertEquals((await api(fake, b.tokens.access_token, "/v4/users/me/identity")).status, 200);
  assertEquals((await refresh(fake, a.tokens.refresh_token)).status, 503, "the token endpoint too");
});

testWithFake("oauthError on refresh only: the code exchange is not matched", async (fake) => {
  const { tokens } = connectedUser(fake);
  fake.fault({ endpoint: "token", grantType: "refresh_token" }, {
    oauthError: "unauthorized_client",
  }, "always");
  const res = await refresh(fake, tokens.refresh_token);
  assertEquals([res.status, res.body], [401, {
    error: "unauthorized_client",
    error_description: "Unauthorized",
  }]);
  const exchange = await postForm(fake.urls.token, {
    grant_type: "authorization_code",
    code: "4/x",
    redirect_uri: "x",
  });
  assertEquals(exchange.body.error_description, "Malformed auth code.");
});

testWithFake("oauthError on revoke and tokeninfo", async (fake) => {
  const { tokens } = connectedUser(fake);
  fake.fault({ endpoint: "revoke" }, { htmlError: 503 });
  fake.fault({ endpoint: "tokeninfo" }, { oauthError: "tokeninfo_invalid" });
  assertEquals((await postForm(fake.urls.revoke, { token: tokens.refresh_token })).status, 503);
  const info = await fetch(`${fake.urls.tokeninfo}?access_token=${tokens.access_token}`);
  assertEquals([info.status, await info.json()], [400, {
    error: "invalid_token",
    error_description: "Invalid Value",
  }]);
});

testWithFake("missingValue strips rollup values", async (fake) => {
  const { tokens } = connectedUser(fake, { data: { generated: true } });
  fake.fault({ endpoint: "dailyRollUp" }, { missingValue: true });
  const res = await rollUp(fake, tokens.access_token, "steps", "2026-09-01", "2026-09-03");
  assertEquals(res.body.rollupDataPoints.map((i: object) => Object.keys(i).length), [2, 2]);
});

testWithFake("unprocessedSleep: processed=false first, the real sleep later", async (fake) => {
  const { tokens } = connectedUser(fake, { data: { dataPoints: [sleepPoint()] } });
  fake.fault({ endpoint: "list", dataType: "sleep" }, { unprocessedSleep: true });
  const first = (await list(fake, tokens.access_token, "sleep")).body.dataPoints[0].sleep;
  assertEquals([first.metadata.processed, first.stages], [false, []]);
  const second = (await list(fake, tokens.access_token, "sleep")).body.dataPoints[0].sleep;
  assertEquals([second.metadata.processed, second.stages.length], [true, 2]);
});

testWithFake("pageTokenReplay: the next page token leads to a 400", async (fake) => {
  const { tokens } = connectedUser(fake, { data: { dataPoints: [sleepPoint()] } });
  fake.fault({ endpoint: "list" }, { pageTokenReplay: true });
  const first = await list(fake, tokens.access_token, "sleep");
  const next = await list(fake, tokens.access_token, "sleep", {
    pageToken: first.body.nextPageToken,
  });
  assertEquals([next.status, next.body.error.status], [400, "INVALID_ARGUMENT"]);
});

testWithFake("drop cuts the connection mid-answer", async (fake) => {
  const { tokens } = connectedUser(fake);
  fake.fault({ endpoint: "identity" }, { drop: true });
  const failed = await api(fake, tokens.access_token, "/v4/users/me/identity").then(
    () => false,
    () => true,
  );
  assertTrue(failed, "the client sees a network error");
});

testWithFake("delayMs holds the answer, then answers normally", async (fake) => {
  const { tokens } = connectedUser(fake);
  fake.fault({ endpoint: "identity" }, { delayMs: 20 });
  const res = await api(fake, tokens.access_token, "/v4/users/me/identity");
  assertEquals(res.status, 200);
  assertEquals(fake.calls({ endpoint: "identity" })[0].fault, "delayMs");
});

Deno.test("hang keeps the call open until the fake closes", async () => {
  const fake = await FakeGoogleHealth.start();
  const { tokens } = connectedUser(fake);
  fake.fault({ endpoint: "identity" }, { hang: true });
  let settled = false;
  const pending = api(fake, tokens.access_token, "/v4/users/me/identity").finally(() =>
    settled = true
  );
  while (fake.calls({ endpoint: "identity" }).length === 0) {
    await new Promise((r) => setTimeout(r, 5));
  }
  assertEquals([settled, fake.calls({ endpoint: "identity" })[0].status], [false, 0]);
  await fake.close();
  await pending.catch(() => undefined);
  assertTrue(settled);
});

Deno.test("a paused fake refuses connections; resumed, it answers with its state kept", async () => {
  const fake = await FakeGoogleHealth.start();
  try {
    const { tokens } = connectedUser(fake);
    await fake.pause();
    const refused = await api(fake, tokens.access_token, "/v4/users/me/identity").then(
      () => false,
      () => true,
    );
    assertTrue(refused);
    await fake.resume();
    assertEquals((await api(fake, tokens.access_token, "/v4/users/me/identity")).status, 200);
  } finally {
    await fake.close();
  }
});

Deno.test("closedPortUrl refuses connections", async () => {
  const refused = await fetch(`${closedPortUrl()}/token`, { method: "POST" }).then(
    () => false,
    () => true,
  );
  assertTrue(refused);
});
