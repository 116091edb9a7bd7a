import { eq } from "drizzle-orm";
import { assertEquals, assertMatch, assertTrue } from "../../test/assert.ts";
import { CLIENT, startFitbitTestbed } from "../../test/fake-fitbit/setup.ts";
import { startTestApp } from "../../test/harness.ts";
import { familyChildren, wearableRevocations } from "../db/schema/index.ts";
import { sha256Base64Url } from "./encoding.ts";

const bed = await startFitbitTestbed();
const { t, fake } = bed;
t.clock.time = Date.parse("2020-09-02T12:00:00Z");

/** Starts the platform flow as `caller` for `childId`; returns the consent URL's parameters. */
async function start(childId: string, token: string) {
  const res = await t.request("POST", `/v1/users/${childId}/fitbit/authorize`, { token });
  assertEquals(res.status, 200);
  const body = await res.json();
  assertEquals(Object.keys(body), ["authorization_url", "expires_at"]);
  assertEquals(body.expires_at, new Date(t.clock.now() + 600_000).toISOString());
  return new URL(body.authorization_url);
}

/** Plays the browser: the consent page, then the redirect to the platform's callback. */
async function consent(url: URL) {
  const page = await fetch(url, { redirect: "manual" });
  await page.body?.cancel();
  const back = new URL(page.headers.get("Location")!);
  const res = await t.request("GET", `${back.pathname}${back.search}`);
  return { res, html: await res.text(), back };
}

async function setup() {
  const family = await t.login("family");
  const child = await t.login("child");
  await t.linkFamily(family.id, [child.id]);
  const user = fake.addUser();
  return { family, child, user };
}

Deno.test("platform flow: consent URL with PKCE S256; the callback exchanges the code and stores the tokens", async () => {
  const { family, child, user } = await setup();
  const url = await start(child.id, family.token);
  assertEquals(`${url.origin}${url.pathname}`, `${fake.url}/oauth2/authorize`);
  const q = Object.fromEntries(url.searchParams);
  assertEquals(
    Object.keys(q).sort(),
    [
      "client_id",
      "code_challenge",
      "code_challenge_method",
      "redirect_uri",
      "response_type",
      "scope",
      "state",
    ],
  );
  assertEquals(
    [q.client_id, q.response_type, q.scope, q.code_challenge_method, q.redirect_uri],
    [
      CLIENT.id,
      "code",
      "activity sleep weight profile",
      "S256",
      "http://localhost/v1/fitbit/callback",
    ],
  );
  assertMatch(q.state, /^[\w-]{43}$/);

  fake.consent = { userId: user.id };
  fake.requests = [];
  const { res, html } = await consent(url);
  assertEquals(res.status, 200);
  assertMatch(html, /Fitbit connected/);
  assertTrue(!html.includes(q.state));
  const [exchange] = fake.calls("/oauth2/token");
  assertEquals(exchange.form?.grant_type, "authorization_code");
  assertEquals(exchange.form?.redirect_uri, q.redirect_uri);
  assertEquals(await sha256Base64Url(exchange.form!.code_verifier), q.code_challenge);
  assertEquals(exchange.headers.authorization, `Basic ${btoa(`${CLIENT.id}:${CLIENT.secret}`)}`);

  const view = await t.request("GET", `/v1/users/${child.id}/fitbit/auth`, { token: family.token });
  assertEquals(view.status, 200);
  assertEquals((await view.json()).status, "valid_token");
});

Deno.test("platform flow: a state works once", async () => {
  const { family, child, user } = await setup();
  const url = await start(child.id, family.token);
  fake.consent = { userId: user.id };
  const first = await consent(url);
  assertEquals(first.res.status, 200);
  const again = await t.request("GET", `${first.back.pathname}${first.back.search}`);
  assertEquals(again.status, 400);
  assertMatch(await again.text(), /Link expired/);
});

Deno.test("platform flow: an expired or unknown state is refused and stores nothing", async () => {
  const { family, child, user } = await setup();
  const url = await start(child.id, family.token);
  fake.consent = { userId: user.id };
  t.clock.advance(600_001);
  const { res, html } = await consent(url);
  t.clock.time = Date.parse("2020-09-02T12:00:00Z");
  assertEquals(res.status, 400);
  assertMatch(html, /Link expired/);
  const unknown = await t.request("GET", "/v1/fitbit/callback?code=abc&state=nope");
  assertEquals(unknown.status, 400);
  await unknown.body?.cancel();
  const none = await t.request("GET", `/v1/users/${child.id}/fitbit/auth`, { token: family.token });
  assertEquals(none.status, 404);
});

Deno.test("platform flow: refused consent stores nothing", async () => {
  const { family, child } = await setup();
  const url = await start(child.id, family.token);
  fake.consent = { refuse: true };
  const { res, html } = await consent(url);
  assertEquals(res.status, 400);
  assertMatch(html, /Authorization not given/);
  assertEquals(
    (await t.request("GET", `/v1/users/${child.id}/fitbit/auth`, { token: family.token })).status,
    404,
  );
});

Deno.test("platform flow: a caller who lost access to the child meanwhile cannot complete it", async () => {
  const { family, child, user } = await setup();
  const url = await start(child.id, family.token);
  await t.db.delete(familyChildren).where(eq(familyChildren.childId, child.id));
  fake.consent = { userId: user.id };
  fake.requests = [];
  const { res, html } = await consent(url);
  assertEquals(res.status, 403);
  assertMatch(html, /Not allowed/);
  assertEquals(fake.calls("/oauth2/token").length, 0);
});

Deno.test("platform flow: consent without any data scope is refused and the grant revoked", async () => {
  const { family, child, user } = await setup();
  const url = await start(child.id, family.token);
  fake.consent = { userId: user.id, scopes: ["profile"] };
  const { res, html } = await consent(url);
  assertEquals(res.status, 400);
  assertMatch(html, /Permissions missing/);
  const queued = await t.db.select().from(wearableRevocations)
    .where(eq(wearableRevocations.childId, child.id));
  assertEquals(queued.length, 1);
  await t.deps.wearables.revoker.processDue();
  assertEquals(fake.grants[fake.grants.length - 1].revoked, true);
});

Deno.test("platform flow: Fitbit unreachable at the exchange → 503 page; the code is not retried", async () => {
  const { family, child, user } = await setup();
  const url = await start(child.id, family.token);
  fake.consent = { userId: user.id };
  fake.fault({ match: { path: /oauth2\/token/ }, action: { httpError: 503 } });
  const { res, html } = await consent(url);
  fake.faults = [];
  assertEquals(res.status, 503);
  assertMatch(html, /Could not connect with the Fitbit Server/);
});

Deno.test("platform flow: not configured → the FB1 404 body", async () => {
  const bare = await startTestApp();
  try {
    const app = await bare.login("application");
    const child = await bare.login("child");
    const res = await bare.request("POST", `/v1/users/${child.id}/fitbit/authorize`, {
      token: app.token,
    });
    assertEquals(res.status, 404);
    assertEquals(await res.json(), {
      code: 404,
      message: "Fitbit client id and secret key not found!",
    });
  } finally {
    await bare.close();
  }
});

Deno.test("platform flow: FITBIT_REDIRECT_URI is used as configured", async () => {
  const configured = await startFitbitTestbed({
    FITBIT_REDIRECT_URI: "https://api.example.org/v1/fitbit/callback",
  });
  try {
    const app = await configured.t.login("application");
    const child = await configured.t.login("child");
    const res = await configured.t.request("POST", `/v1/users/${child.id}/fitbit/authorize`, {
      token: app.token,
    });
    const url = new URL((await res.json()).authorization_url);
    assertEquals(
      url.searchParams.get("redirect_uri"),
      "https://api.example.org/v1/fitbit/callback",
    );
  } finally {
    await configured.close();
  }
});

Deno.test("(close the Fitbit testbed)", () => bed.close());
