import { eq } from "drizzle-orm";
import { assertEquals, assertMatch, assertTrue } from "../../test/assert.ts";
import { startTestApp } from "../../test/harness.ts";
import { familyChildren, wearableCallBudgets, wearableRevocations } from "../db/schema/index.ts";
import { sha256Base64Url } from "../core/encoding.ts";
import { GOOGLE_SCOPES } from "./providers/google-health/provider.ts";
import {
  connectionOf,
  fitbitBed,
  googleBed,
  patterns,
  providerBeds,
  wearablePath,
} from "./testing.ts";

// The platform-managed authorization (FB6 POST …/fitbit/authorize, the provider's consent
// page, FB7 GET /v1/fitbit/callback) against Google Health and the legacy Fitbit Web API.

const beds = await providerBeds();

/** The consent URL's parameters each provider must receive, besides state and PKCE. */
const expectedQuery = {
  google_health: {
    response_type: "code",
    scope: Object.values(GOOGLE_SCOPES).join(" "),
    access_type: "offline",
    prompt: "consent",
    include_granted_scopes: "true",
    code_challenge_method: "S256",
    redirect_uri: "http://localhost/v1/fitbit/callback",
  },
  fitbit: {
    response_type: "code",
    scope: "activity sleep weight profile",
    code_challenge_method: "S256",
    redirect_uri: "http://localhost/v1/fitbit/callback",
  },
};

for (const bed of beds) {
  const { t } = bed;

  /** A family with its child and a provider user who will consent. */
  const setup = async () => {
    const family = await t.login("family");
    const child = await t.login("child");
    await t.linkFamily(family.id, [child.id]);
    const { userId } = await bed.user({ noGrant: true });
    return { family, child, userId };
  };

  /** FB6 as `token` for the child; the consent URL. */
  const start = async (childId: string, token: string) => {
    const res = await t.request("POST", wearablePath(childId, "/authorize"), { token });
    assertEquals(res.status, 200);
    const body = await res.json();
    assertEquals(Object.keys(body), ["authorization_url", "expires_at"]);
    assertEquals(body.expires_at, new Date(t.clock.now() + 600_000).toISOString());
    return body.authorization_url as string;
  };

  // The result pages name the provider the authorization was started with.
  const providerName = bed.id === "fitbit" ? "Fitbit" : "Google Health";
  const callback = async (path: string) => {
    const res = await t.request("GET", path);
    return { status: res.status, html: await res.text() };
  };

  Deno.test(`[${bed.id}] platform flow: PKCE S256 consent URL; the callback exchanges the code and stores the tokens`, async () => {
    const { family, child, userId } = await setup();
    const url = new URL(await start(child.id, family.token));
    const q = Object.fromEntries(url.searchParams);
    const { state, code_challenge: challenge, client_id: clientId, ...rest } = q;
    assertEquals(rest, expectedQuery[bed.id]);
    assertEquals(
      clientId,
      bed.id === "fitbit" ? t.deps.config.FITBIT_CLIENT_ID : t.deps.config.GOOGLE_CLIENT_ID,
    );
    assertMatch(state, /^[\w-]{43}$/);

    const back = await bed.consent(url.toString(), { userId });
    bed.resetCalls();
    const { status, html } = await callback(back);
    assertEquals(status, 200);
    assertMatch(html, /<h1>Wearable connected<\/h1>/);
    assertTrue(html.includes(`The ${providerName} account is now connected.`), html);
    assertTrue(!html.includes(state), "the page echoes nothing from the request");
    assertEquals(bed.calls("exchange"), 1);
    // Google names the user by a separate identity call; Fitbit in the token answer.
    assertEquals(bed.calls(), bed.id === "google_health" ? 2 : 1);
    const verifier = exchangeVerifier(bed);
    assertEquals(await sha256Base64Url(verifier), challenge);
    const row = await connectionOf(t, child.id);
    assertEquals([row.provider, row.externalUserId, row.status], [bed.id, userId, "valid_token"]);
  });

  Deno.test(`[${bed.id}] platform flow: a state works once`, async () => {
    const { family, child, userId } = await setup();
    const back = await bed.consent(await start(child.id, family.token), { userId });
    assertEquals((await callback(back)).status, 200);
    const again = await callback(back);
    assertEquals(again.status, 400);
    assertMatch(again.html, /Link expired/);
  });

  Deno.test(`[${bed.id}] platform flow: an expired or unknown state is refused and stores nothing`, async () => {
    const { family, child, userId } = await setup();
    const back = await bed.consent(await start(child.id, family.token), { userId });
    t.clock.advance(600_001);
    const late = await callback(back);
    t.clock.time = bed.today;
    assertEquals(late.status, 400);
    assertMatch(late.html, /Link expired/);
    assertEquals((await callback("/v1/fitbit/callback?code=abc&state=nope")).status, 400);
    assertEquals(await connectionOf(t, child.id), undefined);
  });

  Deno.test(`[${bed.id}] platform flow: refused consent stores nothing`, async () => {
    const { family, child } = await setup();
    const back = await bed.consent(await start(child.id, family.token), { refuse: true });
    const { status, html } = await callback(back);
    assertEquals(status, 400);
    assertMatch(html, /Authorization not given/);
    assertEquals(await connectionOf(t, child.id), undefined);
  });

  Deno.test(`[${bed.id}] platform flow: a caller who lost access to the child meanwhile cannot complete it`, async () => {
    const { family, child, userId } = await setup();
    const back = await bed.consent(await start(child.id, family.token), { userId });
    await t.db.delete(familyChildren).where(eq(familyChildren.childId, child.id));
    bed.resetCalls();
    const { status, html } = await callback(back);
    assertEquals(status, 403);
    assertMatch(html, /Not allowed/);
    assertEquals(bed.calls(), 0);
  });

  Deno.test(`[${bed.id}] platform flow: consent without any data scope is refused and the grant revoked`, async () => {
    const { family, child, userId } = await setup();
    const back = await bed.consent(await start(child.id, family.token), {
      userId,
      noDataScope: true,
    });
    const { status, html } = await callback(back);
    assertEquals(status, 400);
    assertMatch(html, /Permissions missing/);
    assertEquals(await connectionOf(t, child.id), undefined);
    const queued = await t.db.select().from(wearableRevocations)
      .where(eq(wearableRevocations.childId, child.id));
    assertEquals(queued.length, 1);
    bed.resetCalls();
    await t.deps.wearables.revoker.processDue();
    assertEquals(bed.calls("revoke"), 1);
  });

  Deno.test(`[${bed.id}] platform flow: the provider unreachable at the exchange → 503 page, nothing stored, no budget taken`, async () => {
    const { family, child, userId } = await setup();
    const back = await bed.consent(await start(child.id, family.token), { userId });
    bed.fail("exchange", "unavailable", "always");
    const { status, html } = await callback(back);
    bed.clearFaults();
    assertEquals(status, 503);
    assertTrue(html.includes(`Could not connect with ${providerName}.`), html);
    assertEquals(await connectionOf(t, child.id), undefined);
    const budget = await t.db.select().from(wearableCallBudgets)
      .where(eq(wearableCallBudgets.childId, child.id));
    assertEquals(budget, []);
  });
}

/** The PKCE verifier the fake received with the code. */
function exchangeVerifier(bed: Awaited<ReturnType<typeof providerBeds>>[number]): string {
  const fake = (bed as unknown as { fake: unknown }).fake;
  if (bed.id === "fitbit") {
    const fitbit = fake as Awaited<ReturnType<typeof fitbitBed>>["fake"];
    return fitbit.calls("/oauth2/token")[0].form!.code_verifier;
  }
  const google = fake as Awaited<ReturnType<typeof googleBed>>["fake"];
  return google.calls({ endpoint: "token", grantType: "authorization_code" })[0].form!
    .code_verifier;
}

Deno.test("platform flow: not configured → the FB1 404 body", async () => {
  const bare = await startTestApp();
  try {
    const app = await bare.login("application");
    const child = await bare.login("child");
    const res = await bare.request("POST", wearablePath(child.id, "/authorize"), {
      token: app.token,
    });
    assertEquals([res.status, await res.json()], [404, patterns.clientNotConfigured]);
  } finally {
    await bare.close();
  }
});

Deno.test("platform flow: FITBIT_REDIRECT_URI is used as configured", async () => {
  const configured = await googleBed({
    FITBIT_REDIRECT_URI: "https://api.example.org/v1/fitbit/callback",
  });
  try {
    const app = await configured.t.login("application");
    const child = await configured.t.login("child");
    const res = await configured.t.request("POST", wearablePath(child.id, "/authorize"), {
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

Deno.test("(close the provider testbeds)", async () => {
  for (const bed of beds) await bed.close();
});
