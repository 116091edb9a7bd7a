import { assertEquals } from "../../test/assert.ts";
import { capturingLogger } from "../../test/fake-fitbit/setup.ts";
import { NO_DATA_MESSAGE } from "./sync.ts";
import { childStatus, providerBeds, wearablePath } from "./testing.ts";

// A connected child for whom the provider has no data at all (a Fitbit Ace, which Google
// Health does not support: google-health.md §7.2) is reported as such, in the sync answer
// and in the logs, never silently.

const beds = await providerBeds();

for (const bed of beds) {
  const { t } = bed;
  const captured = capturingLogger();
  Object.assign(t.deps.log, captured.log);

  Deno.test(`[${bed.id}] a child with no data at all: the sync answer and the log say so`, async () => {
    const { child } = await bed.connect({ empty: true });
    captured.lines.length = 0;
    const res = await t.request("POST", wearablePath(child.id, "/sync"), { token: child.token });
    const body = await res.json();
    assertEquals(res.status, 200);
    const logged = captured.lines.map((line) => JSON.parse(line))
      .filter((line) => line.msg === "wearable sync found no data");
    if (bed.id === "google_health") {
      assertEquals(body, {
        activities: 0,
        sleep: 0,
        weights: 0,
        logs: {
          steps: 0,
          calories: 0,
          active_minutes: 0,
          lightly_active_minutes: 0,
          sedentary_minutes: 0,
        },
        no_data: true,
        message: NO_DATA_MESSAGE,
      });
      assertEquals(logged.map((l) => [l.level, l.child_id, l.provider, l.message]), [[
        "warn",
        child.id,
        "google_health",
        "no data available for this device/account",
      ]]);
    } else {
      // The legacy API answers a zero for every day: that is data, not its absence.
      assertEquals([body.no_data, body.logs.steps], [undefined, 367]);
      assertEquals(logged, []);
    }
    // Connected and working: the status says the token is valid.
    assertEquals(await childStatus(t, child.id), "valid_token");
  });

  Deno.test(`[${bed.id}] a child with data is not reported as without`, async () => {
    const { child } = await bed.connect();
    const res = await t.request("POST", wearablePath(child.id, "/sync"), { token: child.token });
    assertEquals((await res.json()).no_data, undefined);
  });
}

Deno.test("(close the provider testbeds)", async () => {
  for (const bed of beds) await bed.close();
});
