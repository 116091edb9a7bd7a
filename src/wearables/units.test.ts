import { assertEquals, assertTrue } from "../../test/assert.ts";
import { activity, classicSleep, stagesSleep, weight } from "../../test/fake-fitbit/samples.ts";
import { loadEnv } from "../env.ts";
import { mapActivity, mapLogs, mapSleep, mapWeight } from "../fitbit/fitbit.mapping.ts";
import { classify } from "../fitbit/fitbit.provider.ts";
import { DataCipher, generateDataKey, importDataKey, loadOrCreateDataKey } from "./secrets.ts";
import { addMonths, fixedZone, ianaZone, localDate, toInstant, UTC } from "./timezone.ts";

const MADRID = ianaZone("Europe/Madrid")!;

Deno.test("time zones: local times become instants in the child's zone, across DST", () => {
  assertEquals(toInstant("2020-07-01T10:00:00.000", MADRID), Date.parse("2020-07-01T08:00:00Z"));
  assertEquals(toInstant("2020-12-01T10:00:00", MADRID), Date.parse("2020-12-01T09:00:00Z"));
  // Skipped hour (spring forward) resolves forward; a written offset wins over the zone.
  assertEquals(toInstant("2020-03-29T02:30:00", MADRID), Date.parse("2020-03-29T01:30:00Z"));
  assertEquals(toInstant("2020-10-25T02:30:00", MADRID), Date.parse("2020-10-25T00:30:00Z"));
  assertEquals(
    toInstant("2020-09-01T10:00:00.000-03:00", MADRID),
    Date.parse("2020-09-01T13:00:00Z"),
  );
  assertEquals(toInstant("not a date", UTC), undefined);
  assertEquals(localDate(Date.parse("2020-09-01T23:30:00Z"), MADRID), "2020-09-02");
  assertEquals(localDate(Date.parse("2020-09-01T01:30:00Z"), fixedZone(-10_800_000)), "2020-08-31");
  assertEquals(ianaZone("Not/AZone"), undefined);
  assertEquals([addMonths("2020-08-31", -1), addMonths("2020-03-31", -1)], [
    "2020-07-31",
    "2020-02-29",
  ]);
});

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
  const info = { limited: false };
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
  ];
  for (const [status, data, kind] of cases) assertEquals(classify(status, data, info).kind, kind);
});

Deno.test("sealing: round trip, bound to its context, fresh IV each time", async () => {
  const cipher = new DataCipher(await importDataKey(generateDataKey()));
  const sealed = await cipher.seal("secret", "tokens:fitbit:a");
  assertEquals(await cipher.open(sealed, "tokens:fitbit:a"), "secret");
  assertTrue(sealed !== await cipher.seal("secret", "tokens:fitbit:a"));
  let refused = false;
  await cipher.open(sealed, "tokens:fitbit:b").catch(() => refused = true);
  assertTrue(refused);
});

Deno.test("data key: generated once in DATA_DIR/keys and shared by instances starting together", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/keys/data.key`;
    const [a, b] = await Promise.all([
      loadOrCreateDataKey(undefined, path),
      loadOrCreateDataKey(undefined, path),
    ]);
    const sealed = await new DataCipher(a).seal("x", "c");
    assertEquals(await new DataCipher(b).open(sealed, "c"), "x");
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    let invalid = "";
    try {
      loadEnv({ DATA_ENCRYPTION_KEY: "c2hvcnQ=" });
    } catch (error) {
      invalid = (error as Error).message;
    }
    assertEquals(
      invalid,
      "Invalid configuration: DATA_ENCRYPTION_KEY must be the base64 encoding of 32 bytes",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
