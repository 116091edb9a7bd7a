import { assertEquals, assertTrue } from "../../test/assert.ts";
import { trackingRows } from "../../test/fake-fitbit/setup.ts";
import {
  childStatus,
  connectionOf,
  type Fault,
  patterns,
  providerBeds,
  wearablePath,
  type Where,
} from "./testing.ts";

// FB5 (POST /v1/users/:id/fitbit/sync), the same scenarios against Google Health and the
// legacy Fitbit Web API: sync, second sync, refresh, and every documented error pattern.

const beds = await providerBeds();

for (const bed of beds) {
  const { t } = bed;
  const sync = async (child: { id: string; token: string }) => {
    const res = await t.request("POST", wearablePath(child.id, "/sync"), { token: child.token });
    return { status: res.status, body: await res.json() };
  };
  /** The pair the platform holds for the child now (sealed at rest; opened here). */
  const held = async (childId: string) => (await t.deps.wearables.keeper.load(childId))!.tokens;

  Deno.test(`[${bed.id}] first sync stores the records, answers the counts, child valid_token`, async () => {
    const { child } = await bed.connect();
    const { status, body } = await sync(child);
    assertEquals(status, 200);
    assertEquals(body, bed.firstSync);
    const rows = await trackingRows(t, child.id);
    assertEquals([rows.physical_activities, rows.sleep, rows.measurements], [1, 1, 2]);
    assertEquals(rows.daily_logs, Object.values(bed.firstSync.logs).reduce((a, b) => a + b, 0));
    assertEquals(await childStatus(t, child.id), "valid_token");
  });

  Deno.test(`[${bed.id}] a second sync stores nothing new`, async () => {
    const { child } = await bed.connect();
    await sync(child);
    const before = await trackingRows(t, child.id);
    const { status, body } = await sync(child);
    assertEquals(status, 200);
    assertEquals([body.activities, body.sleep, body.weights], [0, 0, 0]);
    assertEquals(await trackingRows(t, child.id), before);
  });

  Deno.test(`[${bed.id}] an access token about to expire is refreshed once, before any data call`, async () => {
    const { child, tokens } = await bed.connect();
    t.clock.advance(bed.tokenLifetimeMs - 5 * 60_000);
    bed.resetCalls();
    try {
      const { status } = await sync(child);
      assertEquals(status, 200);
    } finally {
      t.clock.time = bed.today;
    }
    assertEquals(bed.calls("refresh"), 1);
    const now = await held(child.id);
    assertTrue(now.accessToken !== tokens.access_token, "a new access token is held");
    // Google keeps the refresh token; Fitbit's are single use and replaced.
    assertEquals(
      now.refreshToken === tokens.refresh_token,
      bed.id === "google_health",
    );
  });

  Deno.test(`[${bed.id}] a data call answering "token expired" gets one refresh and one retry`, async () => {
    const { child } = await bed.connect();
    bed.fail("data", "token_expired");
    bed.resetCalls();
    const { status, body } = await sync(child);
    bed.clearFaults();
    assertEquals([status, body.activities], [200, 1]);
    assertEquals(bed.calls("refresh"), 1);
  });

  Deno.test(`[${bed.id}] one failing branch is swallowed when the others succeed`, async () => {
    const { child } = await bed.connect();
    bed.fail("sleep", "scope", "always");
    const { status, body } = await sync(child);
    bed.clearFaults();
    assertEquals(status, 200);
    assertEquals([body.activities, body.sleep, body.weights], [1, 0, 1]);
  });

  /** Each documented failure: where, what, the answer, the child's status, tokens kept. */
  const cases: {
    name: string;
    where: Where;
    fault: Fault;
    expired?: boolean;
    answer: (tokens: { at: string; rt: string }) => unknown;
    status: string;
    kept: boolean;
  }[] = [
    {
      name: "refresh refused: grant gone → Refresh token invalid, tokens deleted",
      where: "refresh",
      fault: "grant_invalid",
      expired: true,
      answer: ({ rt }) => patterns.refreshInvalid(rt),
      status: "invalid_grant",
      kept: false,
    },
    {
      name: "refresh refused: client invalid → Invalid Fitbit Client data",
      where: "refresh",
      fault: "client_invalid",
      expired: true,
      answer: () => patterns.invalidClient,
      status: "invalid_client",
      kept: true,
    },
    {
      name: "refresh unreachable → 503 Could not connect",
      where: "refresh",
      fault: "unavailable",
      expired: true,
      answer: () => patterns.unavailable,
      status: "none",
      kept: true,
    },
    {
      name: "every data call rate limited → Data request limit",
      where: "data",
      fault: "rate_limit",
      answer: ({ at }) => patterns.rateLimit(at),
      status: "rate_limit",
      kept: true,
    },
    {
      name: "data calls refuse the token even after a refresh → Access token invalid",
      where: "data",
      fault: "token_invalid",
      answer: ({ at }) => patterns.accessInvalid(at),
      status: "invalid_token",
      kept: true,
    },
    {
      name: "every data call lacks its scope → the unmapped pattern with the provider's message",
      where: "data",
      fault: "scope",
      answer: () => ({ code: 400, message: bed.scopeMessage }),
      status: "none",
      kept: true,
    },
    {
      name: "the provider fails internally everywhere → Internal error, status unchanged",
      where: "data",
      fault: "internal",
      answer: () => patterns.internal,
      status: "none",
      kept: true,
    },
    {
      name: "the provider is unavailable everywhere → 503, status unchanged",
      where: "data",
      fault: "unavailable",
      answer: () => patterns.unavailable,
      status: "none",
      kept: true,
    },
  ];
  for (const c of cases) {
    Deno.test(`[${bed.id}] sync: ${c.name}`, async () => {
      const { child } = await bed.connect();
      const before = await held(child.id);
      if (c.expired) t.clock.advance(bed.tokenLifetimeMs);
      bed.fail(c.where, c.fault, "always");
      let result;
      try {
        result = await sync(child);
      } finally {
        bed.clearFaults();
        t.clock.time = bed.today;
      }
      const connection = await connectionOf(t, child.id);
      // The patterns name the tokens of the failing call: the refreshed access token when
      // a refresh happened, the refresh token that was refused.
      const at = connection ? (await held(child.id)).accessToken : before.accessToken;
      const expected = c.answer({ at, rt: before.refreshToken }) as { code: number };
      assertEquals([result.status, result.body], [expected.code, expected]);
      assertEquals(await childStatus(t, child.id), c.status);
      assertEquals(connection !== undefined, c.kept);
      assertEquals(await trackingRows(t, child.id), {
        physical_activities: 0,
        sleep: 0,
        measurements: 0,
        daily_logs: 0,
      });
    });
  }

  Deno.test(`[${bed.id}] sync without stored tokens → 400 no authentication data`, async () => {
    const child = await t.login("child");
    const { status, body } = await sync(child);
    assertEquals([status, body], [400, patterns.noAuthData]);
  });
}

Deno.test("(close the provider testbeds)", async () => {
  for (const bed of beds) await bed.close();
});
