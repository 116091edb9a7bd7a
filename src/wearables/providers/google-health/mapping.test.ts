import { assertEquals } from "../../../../test/assert.ts";
import * as gh from "../../../../test/fake-google-health/samples.ts";
import { classifyApiError, classifyOAuthError } from "./client.ts";
import {
  count,
  durationMs,
  mapExercise,
  mapLogs,
  mapSleep,
  mapWeights,
  pointId,
  rollupValues,
} from "./mapping.ts";

// google-health.md §3.5 (mapping) and §4.5 (classification), on the contract's samples.

Deno.test("units: int64 strings, durations, point ids", () => {
  assertEquals([count("1200"), count(3.5), count("-1"), count(""), count(null)], [
    1200,
    3.5,
    undefined,
    undefined,
    undefined,
  ]);
  assertEquals(
    [durationMs("1830s"), durationMs("3065.400s"), durationMs("-10800s"), durationMs("12")],
    [1_830_000, 3_065_400, -10_800_000, undefined],
  );
  assertEquals(
    pointId({ name: "users/314/dataTypes/exercise/dataPoints/7205512347880011234" }),
    "7205512347880011234",
  );
  assertEquals(pointId({ dataPointName: "users/me/dataTypes/sleep/dataPoints/5512" }), "5512");
  assertEquals(pointId({}), undefined);
});

Deno.test("exercise → physical activity: UTC instants, end − start, metres, rounded calories", () => {
  const point = { ...gh.exercise(), name: "users/me/dataTypes/exercise/dataPoints/e1" };
  assertEquals(mapExercise(point, "c"), {
    externalId: "e1",
    item: {
      child_id: "c",
      name: "Walking",
      start_time: "2026-09-01T13:00:00.000Z",
      end_time: "2026-09-01T13:30:00.000Z",
      duration: 1_800_000,
      calories: 160,
      steps: 2900,
      distance: 2100,
    },
    utcOffsetMs: -10_800_000,
  });
  const bare = mapExercise({
    name: "x/e2",
    exercise: {
      ...gh.exercise().exercise as Record<string, unknown>,
      displayName: "",
      exerciseType: "HIGH_INTENSITY_INTERVAL_TRAINING",
      metricsSummary: {},
    },
  }, "c")!.item;
  assertEquals([bare.name, bare.calories, bare.steps, bare.distance], [
    "High intensity interval training",
    0,
    undefined,
    undefined,
  ]);
  assertEquals(mapExercise({ exercise: gh.exercise().exercise }, "c"), undefined, "no id");
});

Deno.test("sleep → sleep: stages sorted and named; unprocessed skipped; type inferred when unset", () => {
  const point = { ...gh.sleep(), name: "x/5512" };
  assertEquals(mapSleep(point, "c")?.item, {
    child_id: "c",
    start_time: "2026-09-01T02:00:00.000Z",
    end_time: "2026-09-01T09:30:00.000Z",
    duration: 27_000_000,
    type: "stages",
    pattern: {
      data_set: [
        { start_time: "2026-09-01T02:00:00.000Z", name: "awake", duration: 600_000 },
        { start_time: "2026-09-01T02:10:00.000Z", name: "light", duration: 26_400_000 },
      ],
    },
  });
  const unprocessed = gh.sleep({ metadata: { processed: false } }, "x/1");
  assertEquals(mapSleep(unprocessed, "c"), undefined);
  const asleep = gh.sleep({
    type: undefined,
    stages: [{
      ...(gh.sleep().sleep as { stages: unknown[] }).stages[0] as object,
      type: "ASLEEP",
    }],
  }, "x/2");
  assertEquals(mapSleep(asleep, "c")?.item.type, "classic");
});

Deno.test("weights in grams with the body fat at the same instant; unmatched body fat not sent", () => {
  const items = mapWeights(
    [
      { ...gh.weight(), name: "x/w1" },
      { ...gh.weight(40_155, "2026-08-21T10:00:00Z"), name: "x/w2" },
    ],
    [gh.bodyFat(), gh.bodyFat(20, "2026-08-25T10:00:00Z")],
    "c",
  );
  assertEquals(items.map((i) => i.item), [
    {
      child_id: "c",
      timestamp: "2026-08-20T10:12:44.000Z",
      value: 38.2,
      unit: "kg",
      body_fat: 18.5,
    },
    { child_id: "c", timestamp: "2026-08-21T10:00:00.000Z", value: 40.16, unit: "kg" },
  ]);
});

Deno.test("daily rollups → logs: the contract's example day; days without a value are skipped", () => {
  const day = (date: number) => ({ date: { year: 2026, month: 9, day: date } });
  const item = (d: number, value: Record<string, unknown>) => ({
    civilStartTime: day(d),
    civilEndTime: day(d + 1),
    ...value,
  });
  const logs = mapLogs([
    rollupValues("steps", {
      rollupDataPoints: [item(1, { steps: { countSum: "8211" } }), item(2, {})],
    }),
    rollupValues("total-calories", {
      rollupDataPoints: [item(1, { totalCalories: { kcalSum: 1843.2 } })],
    }),
    rollupValues("active-minutes", {
      rollupDataPoints: [item(1, {
        activeMinutes: {
          activeMinutesRollupByActivityLevel: [
            { activityLevel: "LIGHT", activeMinutesSum: "182" },
            { activityLevel: "MODERATE", activeMinutesSum: "21" },
            { activityLevel: "VIGOROUS", activeMinutesSum: "9" },
          ],
        },
      })],
    }),
    rollupValues("sedentary-period", {
      rollupDataPoints: [item(1, { sedentaryPeriod: { durationSum: "41400s" } })],
    }),
  ]);
  assertEquals(logs.map((l) => [l.type, l.date, l.value]), [
    ["steps", "2026-09-01", 8211],
    ["calories", "2026-09-01", 1843],
    ["active_minutes", "2026-09-01", 30],
    ["lightly_active_minutes", "2026-09-01", 182],
    ["sedentary_minutes", "2026-09-01", 690],
  ]);
  assertEquals(
    rollupValues("steps", { rollupDataPoints: [item(2, { steps: { countSum: "0" } })] }).get(
      "2026-09-02",
    ),
    [
      { type: "steps", date: "2026-09-02", value: 0 },
    ],
    "a worn day with zero steps is a zero, not a gap",
  );
});

Deno.test("classification: Google API and OAuth errors → provider-neutral kinds (§4.5)", () => {
  const api = (code: number, status: string, reason?: string, message = "m") => ({
    error: {
      code,
      message,
      status,
      details: reason
        ? [{
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason,
          domain: "googleapis.com",
        }]
        : [],
    },
  });
  const cases: [number, unknown, string][] = [
    [401, api(401, "UNAUTHENTICATED", "ACCESS_TOKEN_EXPIRED"), "token_expired"],
    [
      401,
      api(401, "UNAUTHENTICATED", undefined, "INVALID_AUTHENTICATOR: Token expired"),
      "token_expired",
    ],
    [401, api(401, "UNAUTHENTICATED"), "token_invalid"],
    [400, api(400, "FAILED_PRECONDITION", "ACCOUNT_NOT_LINKED"), "token_invalid"],
    [
      403,
      api(403, "PERMISSION_DENIED", undefined, "Could not mint UberMint from GaiaMint"),
      "token_invalid",
    ],
    [403, api(403, "PERMISSION_DENIED", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"), "scope_missing"],
    [403, api(403, "PERMISSION_DENIED", "SERVICE_DISABLED"), "client_invalid"],
    [403, api(403, "PERMISSION_DENIED", "USER_PROJECT_DENIED"), "client_invalid"],
    [429, api(429, "RESOURCE_EXHAUSTED", "RATE_LIMIT_EXCEEDED"), "rate_limited"],
    [400, api(400, "INVALID_ARGUMENT", "INVALID_DATA_POINT_FILTER"), "unmapped"],
    [404, api(404, "NOT_FOUND"), "unmapped"],
    [500, api(500, "INTERNAL"), "provider_internal"],
    [503, api(503, "UNAVAILABLE"), "unavailable"],
    [504, api(504, "DEADLINE_EXCEEDED"), "unavailable"],
    [502, undefined, "unavailable"],
    [401, undefined, "token_invalid"],
  ];
  for (const [status, body, kind] of cases) {
    assertEquals([status, classifyApiError(status, body).kind], [status, kind]);
  }
  const oauth = (error: string) => ({ error, error_description: "d" });
  const oauthCases: [number, unknown, string][] = [
    [400, oauth("invalid_grant"), "grant_invalid"],
    [401, oauth("invalid_client"), "client_invalid"],
    [401, oauth("unauthorized_client"), "client_invalid"],
    [400, oauth("invalid_token"), "token_invalid"],
    [400, oauth("invalid_request"), "unmapped"],
    [400, undefined, "unmapped"],
    [503, undefined, "unavailable"],
    [429, undefined, "rate_limited"],
  ];
  for (const [status, body, kind] of oauthCases) {
    assertEquals([status, classifyOAuthError(status, body).kind], [status, kind]);
  }
});
