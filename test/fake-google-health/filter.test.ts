/**
 * The AIP-160 filter subset (google-health.md §3.2, §6.3.1): which members each record kind
 * accepts, literal formats, AND/OR, and the `INVALID_DATA_POINT_FILTER…` reason of each mistake.
 */
import { assertEquals } from "../assert.ts";
import { list, testWithFake } from "./client.ts";
import { bodyFat, dailyHeartRateZones, exerciseOn, sleepEnding, steps, weight } from "./samples.ts";
import { connectedUser } from "./setup.ts";

const DAYS = ["2026-09-01", "2026-09-02", "2026-09-03"];
/** Local UTC-3; steps at local 23:30 on each day, i.e. 02:30Z the next day. */
const DATA = [
  ...DAYS.map((d, i) => steps(d, 100 * (i + 1), { minute: 23 * 60 + 30, minutes: 10 })),
  ...DAYS.map((d) => exerciseOn(d)),
  ...DAYS.map((d) => sleepEnding(d)),
  weight(38200, "2026-09-02T01:00:00Z"),
  bodyFat(18.5, "2026-09-02T01:00:00Z"),
  ...DAYS.map((d) => dailyHeartRateZones(d)),
];

/** Expected: how many points match, or the 400 reason. */
const cases: { type: string; filter: string; count?: number; reason?: string }[] = [
  { type: "steps", filter: "", count: 3 },
  { type: "steps", filter: 'steps.interval.start_time >= "2026-09-02T00:00:00Z"', count: 3 },
  { type: "steps", filter: 'steps.interval.start_time >= "2026-09-03T00:00:00Z"', count: 2 },
  { type: "steps", filter: 'steps.interval.civil_start_time >= "2026-09-02"', count: 2 },
  {
    type: "steps",
    filter:
      'steps.interval.civil_start_time >= "2026-09-02" AND steps.interval.civil_start_time < "2026-09-03"',
    count: 1,
  },
  { type: "steps", filter: 'steps.interval.civil_start_time >= "2026-09-01T23:30:00"', count: 3 },
  { type: "steps", filter: 'steps.interval.civil_start_time >= "2026-09-01T23:30:01"', count: 2 },
  { type: "exercise", filter: 'exercise.interval.civil_start_time >= "2026-09-02"', count: 2 },
  {
    type: "exercise",
    filter: 'exercise.interval.start_time >= "2026-09-02T00:00:00Z"',
    reason: "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER",
  },
  {
    type: "exercise",
    filter: 'exercise.interval.civil_start_time >= "2026-09-02T00:00:00Z"',
    reason: "INVALID_DATA_POINT_FILTER_CIVIL_DATE_TIME_FORMAT",
  },
  { type: "sleep", filter: 'sleep.interval.end_time >= "2026-09-02T00:00:00Z"', count: 2 },
  { type: "sleep", filter: 'sleep.interval.civil_end_time < "2026-09-02"', count: 1 },
  {
    type: "sleep",
    filter:
      'sleep.interval.civil_end_time < "2026-09-02" OR sleep.interval.civil_end_time >= "2026-09-03"',
    count: 2,
  },
  {
    type: "sleep",
    filter: 'sleep.interval.start_time >= "2026-09-02T00:00:00Z"',
    reason: "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER",
  },
  {
    type: "steps",
    filter:
      'steps.interval.civil_start_time < "2026-09-02" OR steps.interval.civil_start_time >= "2026-09-03"',
    reason: "INVALID_DATA_POINT_FILTER_EXPRESSION_STRUCTURE",
  },
  {
    type: "weight",
    filter: 'weight.sample_time.physical_time >= "2026-09-02T00:00:00Z"',
    count: 1,
  },
  { type: "weight", filter: 'weight.sample_time.civil_time >= "2026-09-02"', count: 0 },
  {
    type: "body-fat",
    filter: 'body_fat.sample_time.physical_time >= "2026-09-01T00:00:00Z"',
    count: 1,
  },
  {
    type: "body-fat",
    filter: 'bodyFat.sample_time.physical_time >= "2026-09-01T00:00:00Z"',
    reason: "INVALID_DATA_POINT_FILTER",
  },
  {
    type: "body-fat",
    filter: 'weight.sample_time.physical_time >= "2026-09-01T00:00:00Z"',
    reason: "INVALID_DATA_POINT_FILTER_DATA_TYPE_RESTRICTION",
  },
  {
    type: "weight",
    filter: 'weight.sample_time.physical_time >= "2026-09-01"',
    reason: "INVALID_DATA_POINT_FILTER_RESTRICTION_COMPARABLE",
  },
  {
    type: "daily-heart-rate-zones",
    filter: 'daily_heart_rate_zones.date >= "2026-09-02"',
    count: 2,
  },
  {
    type: "daily-heart-rate-zones",
    filter: 'daily_heart_rate_zones.date >= "2026-09-02T00:00:00"',
    reason: "INVALID_DATA_POINT_FILTER_CIVIL_DATE_TIME_FORMAT",
  },
  {
    type: "steps",
    filter: "steps.interval.civil_start_time >= 2026-09-02",
    reason: "INVALID_DATA_POINT_FILTER_SYNTAX",
  },
  {
    type: "steps",
    filter: 'steps.interval.civil_start_time > "2026-09-02"',
    reason: "INVALID_DATA_POINT_FILTER_SYNTAX",
  },
  {
    type: "steps",
    filter: 'steps.interval.civil_start_time >= "2026-09-02" AND',
    reason: "INVALID_DATA_POINT_FILTER_SYNTAX",
  },
  {
    type: "steps",
    filter: 'steps.interval.civil_start_time >= "2026-09-02',
    reason: "INVALID_DATA_POINT_FILTER_SYNTAX",
  },
  {
    type: "steps",
    filter: 'steps.interval.end_time >= "2026-09-02T00:00:00Z"',
    reason: "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER",
  },
];

for (const c of cases) {
  const expected = c.reason ?? `${c.count} match`;
  testWithFake(`${c.type} filter [${c.filter}] → ${expected}`, async (fake) => {
    const { tokens } = connectedUser(fake, { data: { dataPoints: DATA } });
    const res = await list(fake, tokens.access_token, c.type, c.filter ? { filter: c.filter } : {});
    if (c.reason) {
      assertEquals(res.status, 400);
      assertEquals(res.body.error.status, "INVALID_ARGUMENT");
      assertEquals(res.body.error.details[0].reason, c.reason);
    } else {
      assertEquals(res.status, 200);
      assertEquals(res.body.dataPoints.length, c.count);
    }
  });
}
