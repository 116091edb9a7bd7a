import { assertEquals, assertTrue } from "../../test/assert.ts";
import type { TestApp } from "../../test/harness.ts";
import {
  type Fault,
  fitbitBed,
  googleBed,
  googleSamples,
  NOT_CONNECTED,
  type Where,
} from "./testing.ts";
import type { WearableStatus } from "./wearables.schemas.ts";

// WS1 (GET /v1/users/:user_id/wearable): a child's wearable connection without any token,
// against Google Health and the legacy Fitbit Web API: who may read it (as FB3), what a
// sync, a failed sync, a later sync with data, a new account and a revoke leave in it.

const google = await googleBed();
const beds = [google, await fitbitBed()];
const iso = (at: number) => new Date(at).toISOString();

/** The status as the child itself reads it. */
async function statusOf(t: TestApp, child: { id: string; token: string }) {
  const res = await t.request("GET", `/v1/users/${child.id}/wearable`, { token: child.token });
  assertEquals(res.status, 200);
  return await res.json() as WearableStatus;
}

// ---- access: exactly FB3's, caller by caller -------------------------------------------

{
  const { t } = beds[0];
  const target = await t.login("child");
  const other = await t.login("child");
  const [educatorIn, educatorOut, hpIn, hpOut, familyIn, familyOut] = [
    await t.login("educator"),
    await t.login("educator"),
    await t.login("healthprofessional"),
    await t.login("healthprofessional"),
    await t.login("family"),
    await t.login("family"),
  ];
  await t.createGroup(educatorIn.id, [target.id]);
  await t.createGroup(hpIn.id, [target.id]);
  await t.createGroup(educatorOut.id, [other.id]);
  await t.linkFamily(familyIn.id, [target.id]);
  await t.linkFamily(familyOut.id, [other.id]);
  const anyone = { token: "" };
  const callers: [string, { token: string }, string, number][] = [
    ["admin (no external:sync)", await t.login("admin"), target.id, 403],
    ["application", await t.login("application"), target.id, 200],
    ["the child itself", target, target.id, 200],
    ["another child", other, target.id, 403],
    ["educator of a group with the child", educatorIn, target.id, 200],
    ["educator of other children", educatorOut, target.id, 403],
    ["health professional of a group with the child", hpIn, target.id, 200],
    ["health professional without it", hpOut, target.id, 403],
    ["family associated with the child", familyIn, target.id, 200],
    ["family of other children", familyOut, target.id, 403],
    ["no token", anyone, target.id, 401],
    ["malformed id", familyOut, "123", 400],
    ["an educator's id (not a child)", await t.login("application"), educatorIn.id, 400],
    ["an unknown id", await t.login("application"), "507f191e810c19729de860ea", 400],
    ["a child naming another id", target, "507f191e810c19729de860ea", 403],
  ];
  for (const [name, caller, userId, expected] of callers) {
    Deno.test(`WS1 access: ${name} → ${expected}, as FB3 answers`, async () => {
      const options = caller.token ? { token: caller.token } : {};
      const ws1 = await t.request("GET", `/v1/users/${userId}/wearable`, options);
      const fb3 = await t.request("GET", `/v1/users/${userId}/fitbit/auth`, options);
      const [ws1Body, fb3Body] = [await ws1.json(), await fb3.json()];
      assertEquals(ws1.status, expected);
      if (expected === 200) {
        // Allowed: the status of a child without a connection; FB3 has nothing stored.
        assertEquals([ws1Body, fb3.status], [NOT_CONNECTED, 404]);
      } else {
        assertEquals([fb3.status, fb3Body], [ws1.status, ws1Body]);
      }
    });
  }
}

// ---- what the connection's life leaves in it, per provider ------------------------------

for (const bed of beds) {
  const { t } = bed;
  const sync = (child: { id: string; token: string }) =>
    t.request("POST", `/v1/users/${child.id}/fitbit/sync`, { token: child.token })
      .then(async (res) => ({ status: res.status, body: await res.json() }));
  /** Runs `work` at `at`, then puts the clock back to the bed's "today". */
  const at = async <T>(time: number, work: () => Promise<T>) => {
    t.clock.time = time;
    try {
      return await work();
    } finally {
      t.clock.time = bed.today;
    }
  };

  Deno.test(`[${bed.id}] connected, never synced: provider, valid_token, connected_at; never a token`, async () => {
    const { child, tokens } = await at(bed.today - 60_000, () => bed.connect());
    const res = await t.request("GET", `/v1/users/${child.id}/wearable`, { token: child.token });
    const text = await res.text();
    assertEquals(JSON.parse(text), {
      ...NOT_CONNECTED,
      provider: bed.id,
      status: "valid_token",
      connected_at: iso(bed.today - 60_000),
    });
    for (const token of [tokens.access_token, tokens.refresh_token]) {
      assertTrue(!text.includes(token), "no token in the answer");
    }
  });

  Deno.test(`[${bed.id}] a sync with data: last sync, ok, data`, async () => {
    const { child } = await bed.connect();
    assertEquals((await sync(child)).status, 200);
    assertEquals(await statusOf(t, child), {
      provider: bed.id,
      status: "valid_token",
      connected_at: iso(bed.today),
      last_sync: iso(bed.today),
      last_sync_outcome: "ok",
      last_sync_outcome_at: iso(bed.today),
      no_data: false,
    });
  });

  Deno.test(
    `[${bed.id}] an account without any data: ${
      bed.id === "google_health" ? "no_data, kept across a fresh read" : "the legacy zeros are data"
    }`,
    async () => {
      const { child } = await bed.connect({ empty: true });
      const answer = await sync(child);
      const noData = bed.id === "google_health";
      assertEquals([answer.status, answer.body.no_data === true], [200, noData]);
      const status = await statusOf(t, child);
      assertEquals(
        [status.last_sync, status.last_sync_outcome, status.no_data],
        [iso(bed.today), noData ? "no_data" : "ok", noData],
      );
      assertEquals(await statusOf(t, child), status);
    },
  );

  /** A failed sync after a good one: what WS1 says then. */
  const failures: {
    where: Where;
    fault: Fault;
    outcome: string;
    status: string;
    /** The token must be expired for the failure to be met (a refresh). */
    expired?: boolean;
    /** How long until a sync can work again (the provider's rate window). */
    waitMs?: number;
  }[] = [
    { where: "data", fault: "unavailable", outcome: "unavailable", status: "valid_token" },
    { where: "data", fault: "internal", outcome: "provider_internal", status: "valid_token" },
    {
      where: "data",
      fault: "rate_limit",
      outcome: "rate_limited",
      status: "rate_limit",
      waitMs: 3_600_000,
    },
    { where: "data", fault: "token_invalid", outcome: "token_invalid", status: "invalid_token" },
    { where: "data", fault: "scope", outcome: "scope_missing", status: "valid_token" },
    {
      where: "refresh",
      fault: "client_invalid",
      outcome: "client_invalid",
      status: "invalid_client",
      expired: true,
    },
  ];
  for (const f of failures) {
    Deno.test(`[${bed.id}] a failed sync (${f.where}: ${f.fault}) is remembered; a later good sync replaces it`, async () => {
      const { child } = await bed.connect();
      assertEquals((await sync(child)).status, 200);
      const failedAt = bed.today + (f.expired ? bed.tokenLifetimeMs : 60_000);
      bed.fail(f.where, f.fault, "always");
      try {
        const failed = await at(failedAt, () => sync(child));
        assertTrue(failed.status >= 400, `the sync failed: ${failed.status}`);
      } finally {
        bed.clearFaults();
      }
      const status = await at(failedAt, () => statusOf(t, child));
      assertEquals(status, {
        provider: bed.id,
        status: f.status,
        connected_at: iso(bed.today),
        last_sync: iso(bed.today),
        last_sync_outcome: f.outcome,
        last_sync_outcome_at: iso(failedAt),
        no_data: false,
      } as WearableStatus);

      const againAt = failedAt + (f.waitMs ?? 60_000);
      assertEquals((await at(againAt, () => sync(child))).status, 200);
      const after = await statusOf(t, child);
      assertEquals(
        [after.status, after.last_sync, after.last_sync_outcome, after.last_sync_outcome_at],
        ["valid_token", iso(againAt), "ok", iso(againAt)],
      );
    });
  }

  Deno.test(`[${bed.id}] a grant gone at refresh: the connection is forgotten, status invalid_grant`, async () => {
    const { child } = await bed.connect();
    assertEquals((await sync(child)).status, 200);
    bed.fail("refresh", "grant_invalid", "always");
    try {
      await at(bed.today + bed.tokenLifetimeMs, () => sync(child));
    } finally {
      bed.clearFaults();
    }
    assertEquals(await statusOf(t, child), { ...NOT_CONNECTED, status: "invalid_grant" });
  });

  Deno.test(`[${bed.id}] revoke forgets it all; a new connection starts afresh`, async () => {
    const { child } = await bed.connect({ empty: true });
    await sync(child);
    const res = await t.request("POST", `/v1/users/${child.id}/fitbit/auth/revoke`, {
      token: child.token,
    });
    assertEquals(res.status, 204);
    assertEquals(await statusOf(t, child), NOT_CONNECTED);
  });

  Deno.test(`[${bed.id}] new tokens for the same account keep what is known; another account does not`, async () => {
    const { child, userId } = await at(bed.today - 60_000, () => bed.connect({ empty: true }));
    await sync(child);
    const before = await statusOf(t, child);
    // The same account consents again (new tokens): nothing is forgotten.
    const url = await t.request("POST", `/v1/users/${child.id}/fitbit/authorize`, {
      token: child.token,
    }).then((r) => r.json());
    const back = await bed.consent(url.authorization_url, { userId });
    assertEquals((await t.request("GET", back)).status, 200);
    assertEquals(await statusOf(t, child), before);
    // Another account replaces it: connected now, nothing synced yet.
    const other = await bed.user();
    const stored = await t.request("POST", `/v1/users/${child.id}/fitbit/auth`, {
      token: child.token,
      body: other.tokens,
    });
    assertEquals(stored.status, 204);
    assertEquals(await statusOf(t, child), {
      ...NOT_CONNECTED,
      provider: bed.id,
      status: "valid_token",
      connected_at: iso(bed.today),
    });
  });
}

// ---- Google Health: a device that starts sending data ------------------------------------

Deno.test("[google_health] no_data holds through a failed sync, and clears once data arrives", async () => {
  const { t } = google;
  const sync = (child: { id: string; token: string }, time: number) => {
    t.clock.time = time;
    return t.request("POST", `/v1/users/${child.id}/fitbit/sync`, { token: child.token })
      .then((res) => res.json());
  };
  try {
    const { child, userId } = await google.connect({ empty: true });
    assertEquals((await sync(child, google.today)).no_data, true);
    google.fail("data", "unavailable", "always");
    await sync(child, google.today + 60_000);
    google.clearFaults();
    const failed = await statusOf(t, child);
    assertEquals(
      [failed.last_sync, failed.last_sync_outcome, failed.no_data],
      [iso(google.today), "unavailable", true],
    );

    google.fake.addData(userId, googleSamples());
    const answer = await sync(child, google.today + 120_000);
    assertEquals([answer.no_data, answer.activities], [undefined, 1]);
    const status = await statusOf(t, child);
    assertEquals(
      [status.last_sync, status.last_sync_outcome, status.no_data],
      [iso(google.today + 120_000), "ok", false],
    );
  } finally {
    google.clearFaults();
    t.clock.time = google.today;
  }
});

Deno.test("(close the provider testbeds)", async () => {
  for (const bed of beds) await bed.close();
});
