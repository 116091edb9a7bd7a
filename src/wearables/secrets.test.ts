import { assertEquals, assertTrue } from "../../test/assert.ts";
import { capturingLogger } from "../../test/fake-fitbit/setup.ts";
import { maskToken } from "./errors.ts";
import { providerBeds, wearablePath } from "./testing.ts";

// Secrets (issue 10 #6; contract README "Secrets"): no answer carries a refresh token, an
// error names an access token only masked, and no token reaches the logs, through a whole
// connection's life with both providers.

const beds = await providerBeds();

Deno.test("a masked token shows its ends only; a short one shows nothing of itself", () => {
  assertEquals(maskToken("ya29.a0AfH6SMBx-abcdefghijklmnopqrstuvwxyz"), "ya29…wxyz");
  assertEquals(maskToken("short-token"), "****");
});

for (const bed of beds) {
  const { t } = bed;
  const captured = capturingLogger();
  Object.assign(t.deps.log, captured.log);

  Deno.test(`[${bed.id}] no answer carries a refresh token or, in an error, a whole access token; no token is logged`, async () => {
    captured.lines.length = 0;
    const admin = await t.login("admin");
    const application = await t.login("application");
    const { child, tokens } = await bed.connect();
    const answers: { route: string; status: number; text: string }[] = [];
    const call = async (route: string, method: string, path: string, token: string) => {
      const res = await t.request(method, path, { token });
      answers.push({ route, status: res.status, text: await res.text() });
    };
    const held = async () => (await t.deps.wearables.keeper.load(child.id))?.tokens;

    await call("FB1", "GET", "/v1/fitbit", application.token);
    for (const caller of [child, application]) {
      await call("FB3", "GET", wearablePath(child.id, "/auth"), caller.token);
    }
    await call("FB5", "POST", wearablePath(child.id, "/sync"), child.token);
    // A refresh, then failures whose documented errors name tokens.
    t.clock.advance(bed.tokenLifetimeMs);
    await call("FB5 after a refresh", "POST", wearablePath(child.id, "/sync"), child.token);
    t.clock.time = bed.today;
    const refreshed = await held();
    bed.fail("data", "rate_limit", "always");
    await call("FB5 rate limited", "POST", wearablePath(child.id, "/sync"), child.token);
    bed.clearFaults();
    bed.fail("data", "token_invalid", "always");
    await call("FB5 token refused", "POST", wearablePath(child.id, "/sync"), child.token);
    bed.clearFaults();
    const latest = await held();
    bed.fail("revoke", "client_invalid", "always");
    await call("FB4 refused", "POST", wearablePath(child.id, "/auth/revoke"), child.token);
    bed.clearFaults();
    await call("GH2", "GET", "/v1/wearables/revocations", admin.token);
    const dead = await bed.user();
    bed.revokeAtProvider(dead.tokens);
    const res = await t.request("POST", wearablePath(child.id, "/auth"), {
      token: child.token,
      body: dead.tokens,
    });
    answers.push({ route: "FB2 refused", status: res.status, text: await res.text() });

    const refreshTokens = [tokens, refreshed, latest, dead.tokens].map((p) =>
      p && ("refresh_token" in p ? p.refresh_token : p.refreshToken)
    ).filter((rt): rt is string => Boolean(rt));
    const accessTokens = [
      tokens.access_token,
      refreshed?.accessToken,
      latest?.accessToken,
      dead.tokens.access_token,
    ].filter((at): at is string => Boolean(at));
    assertTrue(answers.some((a) => a.text.includes("…")), "some error names a masked token");
    for (const answer of answers) {
      for (const rt of refreshTokens) {
        assertTrue(!answer.text.includes(rt), `${answer.route} carries a refresh token`);
      }
      if (answer.status >= 400) {
        for (const at of accessTokens) {
          assertTrue(!answer.text.includes(at), `${answer.route} names a whole access token`);
        }
      }
    }
    const logged = captured.lines.join("\n");
    for (const token of [...refreshTokens, ...accessTokens]) {
      assertTrue(!logged.includes(token), "a token was logged");
    }
  });
}

Deno.test("(close the provider testbeds)", async () => {
  for (const bed of beds) await bed.close();
});
