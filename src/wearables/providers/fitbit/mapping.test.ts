import { assertEquals } from "../../../../test/assert.ts";
import {
  activity,
  classicSleep,
  stagesSleep,
  weight,
} from "../../../../test/fake-fitbit/samples.ts";
import { UTC } from "../../timezone.ts";
import { mapActivity, mapLogs, mapSleep, mapWeight } from "./mapping.ts";
import { classify } from "./provider.ts";

Deno.test("mapping: miles, other units, missing levels and heart-rate zones", () => {
  const miles = mapActivity(activity({ distance: 1, distanceUnit: "Mile" }), "c", UTC)!;
  assertEquals(miles.item.distance, 1609.344);
  const bare = mapActivity(
    activity({
      activityLevel: undefined,
      heartRateZones: undefined,
      distance: 0,
      steps: undefined,
    }),
    "c",
    UTC,
  )!;
  assertEquals(Object.keys(bare.item), [
    "child_id",
    "name",
    "start_time",
    "end_time",
    "duration",
    "calories",
  ]);
  const threeZones = mapActivity(
    activity({ heartRateZones: activity().heartRateZones.slice(0, 3) }),
    "c",
    UTC,
  )!;
  assertEquals(threeZones.item.heart_rate, undefined);
  assertEquals(mapActivity(activity({ logId: undefined }), "c", UTC), undefined);
  assertEquals(
    mapActivity(activity({ duration: 1834123 }), "c", UTC)!.item.end_time,
    "2020-09-01T13:30:34.123Z",
  );
});

Deno.test("mapping: sleep names (wake → awake, classic kept), weights without fat, logs", () => {
  const stages = mapSleep(stagesSleep(), "c", UTC)!.item.pattern.data_set.map((d) => d.name);
  assertEquals(stages, ["awake", "light"]);
  const classic = mapSleep(classicSleep(), "c", UTC)!.item;
  assertEquals([classic.type, classic.pattern.data_set.map((d) => d.name)], ["classic", [
    "awake",
    "asleep",
    "restless",
  ]]);
  assertEquals(mapSleep(stagesSleep({ levels: { data: [] } }), "c", UTC), undefined);
  assertEquals(mapWeight(weight({ fat: undefined }), "c", UTC)!.item, {
    child_id: "c",
    timestamp: "2020-08-20T07:12:44.000Z",
    value: 38.2,
    unit: "kg",
  });
  const day = (v: number) => new Map([["2020-09-01", v]]);
  const logs = mapLogs({
    steps: day(1),
    calories: day(2),
    minutesFairlyActive: new Map([["2020-09-01", 3], ["2020-09-02", 9]]),
    minutesVeryActive: day(4),
    minutesLightlyActive: day(5),
    minutesSedentary: day(6),
  });
  assertEquals(logs.map((l) => [l.type, l.value]), [
    ["steps", 1],
    ["calories", 2],
    ["active_minutes", 7],
    ["lightly_active_minutes", 5],
    ["sedentary_minutes", 6],
  ]);
});

Deno.test("error classification: provider-neutral kinds", () => {
  const body = (errorType: string) => ({ errors: [{ errorType, message: "m" }] });
  const info = { status: 0, limited: false };
  const cases: [number, unknown, string][] = [
    [401, body("expired_token"), "token_expired"],
    [401, body("invalid_token"), "token_invalid"],
    [400, body("invalid_grant"), "grant_invalid"],
    [401, body("invalid_client"), "client_invalid"],
    [429, undefined, "rate_limited"],
    [400, body("system"), "rate_limited"],
    [503, body("system"), "unavailable"],
    [500, body("internal_error"), "provider_internal"],
    [403, body("insufficient_scope"), "scope_missing"],
    [400, body("validation"), "unmapped"],
    [502, undefined, "unavailable"],
    [500, undefined, "provider_internal"],
    [404, undefined, "unmapped"],
    // The legacy API is off: a 410 from any of its endpoints means the grant is gone.
    [410, undefined, "grant_invalid"],
    [410, body("invalid_token"), "grant_invalid"],
  ];
  for (const [status, data, kind] of cases) assertEquals(classify(status, data, info).kind, kind);
});
