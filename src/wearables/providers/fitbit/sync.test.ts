import { eq } from "drizzle-orm";
import { assertEquals, assertTrue } from "../../../../test/assert.ts";
import {
  CLIENT,
  connectedChild,
  failStoring,
  trackedData,
  trackingRows,
} from "../../../../test/fake-fitbit/setup.ts";
import { wearableConnections } from "../../../db/schema/index.ts";
import { fitbitSuite, RECIFE } from "./testing.ts";
import { patterns } from "../../testing.ts";

// The legacy Fitbit adapter's sync specifics (fitbit.md §4): the daily-series window, the
// refresh request, the budget after a 429, transport failures, storage failures read again,
// the time zone without the profile scope, and the hourly limit of on-demand syncs.
const { bed, t, fake, ingest, application, path, childRow, childWithData, syncOf, clearFaults } =
  await fitbitSuite();

Deno.test("a second sync stores nothing new and re-reads only the last week of daily series", async () => {
  const { child } = await childWithData();
  assertEquals(
    (await t.request("POST", path(child.id, "/sync"), { token: child.token })).status,
    200,
  );
  const rows = await trackingRows(t, child.id);
  assertEquals(rows, { physical_activities: 1, sleep: 2, measurements: 2, daily_logs: 5 * 367 });
  const handed = ingest.callsFor(child.id).filter((c) => c.kind !== "logs").length;
  fake.requests = [];
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  assertEquals(res.status, 200);
  // 2020-08-26 … 2020-09-02: last sync's date minus seven days, then today.
  assertEquals(await res.json(), {
    activities: 0,
    sleep: 0,
    weights: 0,
    logs: {
      steps: 8,
      calories: 8,
      active_minutes: 8,
      lightly_active_minutes: 8,
      sedentary_minutes: 8,
    },
  });
  // Nothing handed over again (known by Fitbit log id), so no new rows; logs upserted.
  assertEquals(ingest.callsFor(child.id).filter((c) => c.kind !== "logs").length, handed);
  assertEquals(await trackingRows(t, child.id), rows);
  const data = await trackedData(t, child.id, application.token);
  assertEquals(
    [data.activities.total, data.sleep.total, data.weights.total, data.bodyfats.total],
    [1, 2, 1, 1],
  );
  assertTrue(fake.requests.some((r) => r.path.endsWith("/date/2020-08-26/2020-09-02.json")));
});

Deno.test("sync refreshes an expiring token once, persists the new pair, and goes on", async () => {
  const { child, tokens } = await childWithData();
  t.clock.advance(28_800_000 - 5 * 60_000); // 5 minutes left
  fake.requests = [];
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  t.clock.time = Date.parse("2020-09-02T12:00:00Z");
  assertEquals(res.status, 200);
  const tokenCalls = fake.calls("/oauth2/token");
  assertEquals(tokenCalls.length, 1);
  assertEquals(tokenCalls[0].form, {
    grant_type: "refresh_token",
    refresh_token: tokens.refresh_token,
  });
  assertEquals(
    tokenCalls[0].headers.authorization,
    `Basic ${btoa(`${CLIENT.id}:${CLIENT.secret}`)}`,
  );
  const view = await (await t.request("GET", path(child.id, "/auth"), { token: application.token }))
    .json();
  // Fitbit's refresh tokens are single use: the new one is the grant's only live one.
  assertEquals(fake.grantOf(tokens.refresh_token), undefined);
  assertEquals(fake.grantOf(view.access_token)?.revoked, false);
  assertTrue(view.access_token !== tokens.access_token);
  // Every data call used the new token.
  const data = fake.requests.filter((r) => r.path.startsWith("/1"));
  assertTrue(data.every((r) => r.headers.authorization === `Bearer ${view.access_token}`));
});

Deno.test("sync: Fitbit's 429 → Data request limit pattern; child rate_limit; the child's budget blocks further calls", async () => {
  const { child, tokens } = await childWithData();
  fake.fault({ match: { path: /^\/1/ }, times: "always", action: { rateLimit: true } });
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), patterns.rateLimit(tokens.access_token));
  assertEquals((await childRow(child.id)).fitbitStatus, "rate_limit");
  // Retry-After is respected: the next sync makes no Fitbit call at all.
  fake.requests = [];
  const again = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  clearFaults();
  assertEquals(again.status, 400);
  assertEquals(fake.requests.length, 0);
});

for (
  const [name, action] of [
    ["HTML 502 answers", { httpError: 502 }],
    ["dropped connections", { drop: true }],
    ["malformed JSON", { malformed: true }],
  ] as const
) {
  Deno.test(`sync: ${name} on every data call → documented error, nothing stored`, async () => {
    const { child } = await childWithData();
    fake.fault({ match: { path: /^\/1/ }, times: "always", action });
    const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
    clearFaults();
    const expected = name === "malformed JSON" ? patterns.internal : patterns.unavailable;
    assertEquals(res.status, expected.code);
    assertEquals(await res.json(), expected);
    assertEquals(await trackingRows(t, child.id), {
      physical_activities: 0,
      sleep: 0,
      measurements: 0,
      daily_logs: 0,
    });
  });
}

Deno.test("sync: an activity tracking failed to store is not remembered; the next sync hands it over again", async () => {
  const { child } = await childWithData();
  const undo = await failStoring(t, "physical_activities", `NEW.child_id = '${child.id}'`);
  const first = await syncOf(child);
  await undo();
  assertEquals([first.activities, first.sleep, first.weights], [0, 2, 1]);
  assertEquals(ingest.refused(child.id), [
    { kind: "activities", code: 500, message: "An internal server error has occurred." },
  ]);
  assertEquals((await trackingRows(t, child.id)).physical_activities, 0);
  const second = await syncOf(child);
  assertEquals([second.activities, second.sleep, second.weights], [1, 0, 0]);
  const { activities } = await trackedData(t, child.id, application.token);
  assertEquals(activities.items.map((a) => [a.name, a.start_time]), [
    ["Walk", "2020-09-01T13:00:00"],
  ]);
});

Deno.test("sync: daily values tracking failed to store are read again, whole window, by the next sync", async () => {
  const { child } = await connectedChild(bed, {
    user: { profile: RECIFE, series: { steps: { "2020-01-15": "5000", "2020-09-01": "8211" } } },
  });
  const steps = async (date: string) => {
    const res = await t.request("GET", `/v1/children/${child.id}/logs/steps/date/${date}/${date}`, {
      token: application.token,
    });
    return (await res.json())[0].value;
  };
  const undo = await failStoring(
    t,
    "daily_logs",
    `NEW.child_id = '${child.id}' AND NEW.resource = 'steps' AND NEW.date = '2020-01-15'`,
  );
  const first = await syncOf(child);
  await undo();
  assertEquals(first.logs.steps, 367);
  // Only that one day failed: the rest of the series was stored.
  assertEquals(ingest.refused(child.id), [
    { kind: "logs", code: 500, message: "An internal server error has occurred." },
  ]);
  assertEquals([await steps("2020-01-15"), await steps("2020-09-01")], [0, 8211]);
  assertEquals((await trackingRows(t, child.id)).daily_logs, 5 * 367 - 1);
  // The window did not move on: the whole year is read again, and the day is stored.
  assertEquals((await syncOf(child)).logs.steps, 367);
  assertEquals(await steps("2020-01-15"), 5000);
  // Once stored, the next sync reads only the last week again.
  assertEquals((await syncOf(child)).logs.steps, 8);
});

Deno.test("sync: daily series Fitbit failed to answer are read again, whole window, by the next sync", async () => {
  const { child } = await childWithData();
  fake.fault({
    match: { path: /activities\/tracker/ },
    times: "always",
    action: { httpError: 503 },
  });
  const first = await syncOf(child);
  clearFaults();
  assertEquals([first.activities, first.logs.steps], [1, 0]);
  assertEquals((await trackingRows(t, child.id)).daily_logs, 0);
  assertEquals((await syncOf(child)).logs.steps, 367);
  assertEquals((await trackingRows(t, child.id)).daily_logs, 5 * 367);
});

Deno.test("sync without stored tokens → 400; with a stored scope lacking data kinds → the scope body", async () => {
  const child = await t.login("child");
  let res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), patterns.noAuthData);
  const connected = await childWithData();
  await t.db.update(wearableConnections).set({ scope: "rpro rhr" })
    .where(eq(wearableConnections.childId, connected.child.id));
  res = await t.request("POST", path(connected.child.id, "/sync"), {
    token: connected.child.token,
  });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), patterns.scope);
});

Deno.test("sync without the profile scope uses the offset written on the newest activity", async () => {
  const { child } = await childWithData(["activity", "sleep", "weight"]);
  fake.requests = [];
  assertEquals(
    (await t.request("POST", path(child.id, "/sync"), { token: child.token })).status,
    200,
  );
  assertEquals(fake.calls(/profile/).length, 0);
  const { weights } = await trackedData(t, child.id, application.token);
  assertEquals(weights.items.map((w) => w.timestamp), ["2020-08-20T10:12:44"]);
});

Deno.test("sync: the 11th on-demand sync within the hour answers 429", async () => {
  const { child } = await connectedChild(bed, { scopes: ["weight"] });
  for (let i = 0; i < 10; i++) {
    const ok = await t.request("POST", path(child.id, "/sync"), { token: child.token });
    assertEquals(ok.status, 200);
    await ok.body?.cancel();
  }
  const res = await t.request("POST", path(child.id, "/sync"), { token: child.token });
  assertEquals(res.status, 429);
  assertEquals(await res.json(), {
    code: 429,
    message: "Synchronization limit per hour exceeded for child. Please try again later...",
  });
  assertEquals(res.headers.get("Retry-After"), "3600");
});

Deno.test("(close the Fitbit testbed)", () => bed.close());
