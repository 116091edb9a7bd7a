import { assertEquals, assertTrue } from "../../test/assert.ts";
import { startTestApp } from "../../test/harness.ts";
import { connectionOf, patterns, providerBeds, wearablePath } from "./testing.ts";

// FB1 (GET /v1/fitbit), FB2 (POST …/fitbit/auth, submitted tokens) and FB3 (GET …/fitbit/auth)
// against Google Health and the legacy Fitbit Web API.

const beds = await providerBeds();

for (const bed of beds) {
  const { t } = bed;
  const application = await t.login("application");
  const post = (child: { id: string; token: string }, body: unknown) =>
    t.request("POST", wearablePath(child.id, "/auth"), { token: child.token, body });

  Deno.test(`[${bed.id}] FB1 reports the active provider's public client data, never a secret`, async () => {
    const res = await t.request("GET", "/v1/fitbit", { token: application.token });
    assertEquals(res.status, 200);
    const body = await res.json();
    assertEquals(Object.keys(body), [
      "provider",
      "client_id",
      "authorization_uri",
      "scope",
      "code_challenge_method",
      "platform_authorization",
    ]);
    assertEquals([body.provider, body.code_challenge_method], [bed.id, "S256"]);
    const secret = bed.id === "fitbit"
      ? t.deps.config.FITBIT_CLIENT_SECRET!
      : t.deps.config.GOOGLE_CLIENT_SECRET!;
    assertTrue(!JSON.stringify(body).includes(secret), "the client secret is never shown");
  });

  Deno.test(`[${bed.id}] FB2 checks the pair with the provider and stores it sealed`, async () => {
    const child = await t.login("child");
    const { userId, tokens } = await bed.user({ legacyUserId: "7QX9KP" });
    bed.resetCalls();
    const res = await post(child, tokens);
    assertEquals(res.status, 204);
    // Fitbit: introspect. Google: tokeninfo, then identity.
    assertEquals(bed.calls("check"), 1);
    assertEquals(bed.calls(), bed.id === "fitbit" ? 1 : 2);
    const row = await connectionOf(t, child.id);
    assertEquals([row.provider, row.externalUserId, row.status], [bed.id, userId, "valid_token"]);
    assertEquals(row.legacyUserId, bed.id === "google_health" ? "7QX9KP" : null);
    const stored = JSON.stringify(row);
    assertTrue(!stored.includes(tokens.access_token) && !stored.includes(tokens.refresh_token));
  });

  Deno.test(`[${bed.id}] FB3 shows the access token and status to every caller, the refresh token to none`, async () => {
    const { child, tokens } = await bed.connect();
    const family = await t.login("family");
    await t.linkFamily(family.id, [child.id]);
    for (const caller of [child, application, family]) {
      const res = await t.request("GET", wearablePath(child.id, "/auth"), { token: caller.token });
      assertEquals(await res.json(), { access_token: tokens.access_token, status: "valid_token" });
    }
  });

  Deno.test(`[${bed.id}] FB2 refuses a pair without any data scope`, async () => {
    const child = await t.login("child");
    const { tokens } = await bed.user({ noDataScope: true });
    bed.resetCalls();
    const res = await post(child, tokens);
    assertEquals([res.status, await res.json()], [400, patterns.scope]);
    // Fitbit's JWT says so locally; Google's opaque token needs tokeninfo (and no more).
    assertEquals(bed.calls(), bed.id === "fitbit" ? 0 : 1);
    assertEquals(await connectionOf(t, child.id), undefined);
  });

  Deno.test(`[${bed.id}] FB2 refuses a token the provider no longer honours: Access token invalid (masked)`, async () => {
    const child = await t.login("child");
    const { tokens } = await bed.user();
    bed.revokeAtProvider(tokens);
    const res = await post(child, tokens);
    const body = await res.json();
    assertEquals([res.status, body], [400, patterns.accessInvalid(tokens.access_token)]);
    assertTrue(!JSON.stringify(body).includes(tokens.access_token), "never the whole token");
    assertEquals(await connectionOf(t, child.id), undefined);
  });

  Deno.test(`[${bed.id}] FB2 refuses a token that is not one: Access token invalid, no 500`, async () => {
    const child = await t.login("child");
    const res = await post(child, { access_token: "not-a-token", refresh_token: "x" });
    assertEquals([res.status, await res.json()], [400, patterns.accessInvalid("not-a-token")]);
  });

  Deno.test(`[${bed.id}] FB2 when the provider is unavailable → 503 Could not connect`, async () => {
    const child = await t.login("child");
    const { tokens } = await bed.user();
    bed.fail("check", "unavailable", "always");
    const res = await post(child, tokens);
    bed.clearFaults();
    assertEquals([res.status, await res.json()], [503, patterns.unavailable]);
    assertEquals(await connectionOf(t, child.id), undefined);
  });

  Deno.test(`[${bed.id}] FB2 replacing a pair of another provider account queues the old grant's revoke`, async () => {
    const { child, tokens: old } = await bed.connect();
    const { userId, tokens } = await bed.user();
    assertEquals((await post(child, tokens)).status, 204);
    assertEquals((await connectionOf(t, child.id)).externalUserId, userId);
    await t.deps.wearables.revoker.processDue();
    assertEquals([bed.grantAlive(old), bed.grantAlive(tokens)], [false, true]);
  });
}

for (
  const [name, body, expected] of [
    ["no fields", {}, patterns.required("access_token, refresh_token")],
    ["no refresh token", { access_token: "a.b.c" }, patterns.required("refresh_token")],
    ["no access token", { refresh_token: "abc" }, patterns.required("access_token")],
    ["access token not a string", { access_token: 5, refresh_token: "abc" }, {
      code: 400,
      message: "One or more request fields are invalid...",
      description: "access_token must be a string!",
    }],
  ] as const
) {
  Deno.test(`FB2 validation: ${name}, before any provider call`, async () => {
    const [bed] = beds;
    const child = await bed.t.login("child");
    bed.resetCalls();
    const res = await bed.t.request("POST", wearablePath(child.id, "/auth"), {
      token: child.token,
      body,
    });
    assertEquals([res.status, await res.json()], [400, expected]);
    assertEquals(bed.calls(), 0);
  });
}

Deno.test("FB3 answers 404 when nothing is stored; FB2 with malformed JSON answers the body error", async () => {
  const { t } = beds[0];
  const child = await t.login("child");
  const res = await t.request("GET", wearablePath(child.id, "/auth"), { token: child.token });
  assertEquals([res.status, await res.json()], [404, patterns.authNotFound]);
  const bad = await t.request("POST", wearablePath(child.id, "/auth"), {
    token: child.token,
    raw: "{bad",
  });
  assertEquals([bad.status, (await bad.json()).message], [400, "Unable to process request body!"]);
});

Deno.test("FB1 and FB2 when the active provider is not configured: 404 and Invalid client", async () => {
  const bare = await startTestApp({ WEARABLE_PROVIDER: "google_health" });
  try {
    const app = await bare.login("application");
    const child = await bare.login("child");
    const info = await bare.request("GET", "/v1/fitbit", { token: app.token });
    assertEquals([info.status, await info.json()], [404, patterns.clientNotConfigured]);
    const res = await bare.request("POST", wearablePath(child.id, "/auth"), {
      token: app.token,
      body: { access_token: "ya29.opaque", refresh_token: "1//opaque" },
    });
    assertEquals(res.status, 400);
    assertEquals((await res.json()).message, "Invalid Fitbit Client data.");
  } finally {
    await bare.close();
  }
});

Deno.test("(close the provider testbeds)", async () => {
  for (const bed of beds) await bed.close();
});
