/**
 * `dataPoints:dailyRollUp` (google-health.md §3.4, §3.5.1, §6.3): one item per civil day,
 * values summed from the seeded points in the user's civil day, no value member on days without
 * data, zeros on worn days, the range limits per type and the body checks with Google's messages.
 */
import { assertEquals, assertMatch } from "../assert.ts";
import { api, rollUp, testWithFake } from "./client.ts";
import { activeMinutes, sedentaryPeriod, steps } from "./samples.ts";
import { connectedUser } from "./setup.ts";

const day = (d: number) => ({ year: 2026, month: 9, day: d });

testWithFake("the contract's rollup samples come back from seeded points", async (fake) => {
  const { tokens } = connectedUser(fake, {
    data: {
      dataPoints: [
        steps("2026-09-01", 8000, { minute: 600 }),
        steps("2026-09-01", 211, { minute: 23 * 60 + 50, minutes: 5 }),
        activeMinutes("2026-09-01", { LIGHT: 182, MODERATE: 21, VIGOROUS: 9 }),
        sedentaryPeriod("2026-09-01", { minute: 0, minutes: 600 }),
        sedentaryPeriod("2026-09-01", { minute: 700, minutes: 90 }),
      ],
      totalCaloriesByDay: { "2026-09-01": 1843.2 },
    },
  });
  const item = async (type: string) =>
    (await rollUp(fake, tokens.access_token, type, "2026-09-01", "2026-09-02")).body;
  const window = { civilStartTime: { date: day(1) }, civilEndTime: { date: day(2) } };
  assertEquals(await item("steps"), {
    rollupDataPoints: [{ ...window, steps: { countSum: "8211" } }],
  });
  assertEquals(await item("total-calories"), {
    rollupDataPoints: [{ ...window, totalCalories: { kcalSum: 1843.2 } }],
  });
  assertEquals(await item("active-minutes"), {
    rollupDataPoints: [{
      ...window,
      activeMinutes: {
        activeMinutesRollupByActivityLevel: [
          { activityLevel: "LIGHT", activeMinutesSum: "182" },
          { activityLevel: "MODERATE", activeMinutesSum: "21" },
          { activityLevel: "VIGOROUS", activeMinutesSum: "9" },
        ],
      },
    }],
  });
  assertEquals(await item("sedentary-period"), {
    rollupDataPoints: [{ ...window, sedentaryPeriod: { durationSum: "41400s" } }],
  });
});

testWithFake("days group by the user's civil day, not the UTC day", async (fake) => {
  // Local 23:30 at UTC-3 is 02:30Z on the next UTC day.
  const { tokens } = connectedUser(fake, {
    data: { dataPoints: [steps("2026-09-01", 50, { minute: 23 * 60 + 30, minutes: 10 })] },
  });
  const res = await rollUp(fake, tokens.access_token, "steps", "2026-09-01", "2026-09-03");
  assertEquals(res.body.rollupDataPoints.map((i: Record<string, unknown>) => i.steps), [
    { countSum: "50" },
    undefined,
  ]);
});

testWithFake("no data: items without value; worn days: zeros", async (fake) => {
  const { tokens } = connectedUser(fake, { data: { wornDays: ["2026-09-02"] } });
  const res = await rollUp(fake, tokens.access_token, "steps", "2026-09-01", "2026-09-04");
  assertEquals(res.body.rollupDataPoints, [
    { civilStartTime: { date: day(1) }, civilEndTime: { date: day(2) } },
    { civilStartTime: { date: day(2) }, civilEndTime: { date: day(3) }, steps: { countSum: "0" } },
    { civilStartTime: { date: day(3) }, civilEndTime: { date: day(4) } },
  ]);
});

testWithFake("rollupOrder desc answers newest first", async (fake) => {
  fake.configure({ rollupOrder: "desc" });
  const { tokens } = connectedUser(fake);
  const res = await rollUp(fake, tokens.access_token, "steps", "2026-09-01", "2026-09-04");
  assertEquals(
    res.body.rollupDataPoints.map((i: { civilStartTime: { date: { day: number } } }) =>
      i.civilStartTime.date.day
    ),
    [3, 2, 1],
  );
});

testWithFake("windowSizeDays sums several days per item", async (fake) => {
  const { tokens } = connectedUser(fake, {
    data: { dataPoints: [steps("2026-09-01", 1), steps("2026-09-02", 2), steps("2026-09-03", 4)] },
  });
  const res = await rollUp(fake, tokens.access_token, "steps", "2026-09-01", "2026-09-05", {
    windowSizeDays: 2,
  });
  assertEquals(
    res.body.rollupDataPoints.map((i: { steps: unknown }) => i.steps),
    [{ countSum: "3" }, { countSum: "4" }],
  );
});

const limits = [
  { type: "total-calories", ok: 14 },
  { type: "active-minutes", ok: 14 },
  { type: "steps", ok: 90 },
  { type: "sedentary-period", ok: 90 },
  { type: "distance", ok: 90 },
  { type: "weight", ok: 90 },
];

for (const c of limits) {
  testWithFake(`${c.type}: ${c.ok} days pass, ${c.ok + 1} are 400`, async (fake) => {
    const { tokens } = connectedUser(fake);
    const end = (n: number) =>
      new Date(Date.parse("2026-01-01") + n * 86_400_000).toISOString().slice(0, 10);
    const ok = await rollUp(fake, tokens.access_token, c.type, "2026-01-01", end(c.ok));
    assertEquals([ok.status, ok.body.rollupDataPoints.length], [200, c.ok]);
    const over = await rollUp(fake, tokens.access_token, c.type, "2026-01-01", end(c.ok + 1));
    assertEquals([over.status, over.body.error.status], [400, "INVALID_ARGUMENT"]);
  });
}

const bodies: { name: string; raw: string; message: RegExp }[] = [
  {
    name: "a bare date under range.start",
    raw: JSON.stringify({ range: { start: day(1), end: { date: day(2) } } }),
    message:
      /^Invalid JSON payload received\. Unknown name "year" at 'range\.start': Cannot find field\.$/,
  },
  {
    name: "a month with a leading zero",
    raw:
      '{"range":{"start":{"date":{"year":2026,"month":09,"day":1}},"end":{"date":{"year":2026,"month":9,"day":2}}}}',
    message: /^Invalid JSON payload received\./,
  },
  {
    name: "an unknown field",
    raw: JSON.stringify({ range: { start: { date: day(1) }, end: { date: day(2) } }, limit: 1 }),
    message: /^Invalid JSON payload received\. Unknown name "limit"/,
  },
  {
    name: "pageSize",
    raw: JSON.stringify({
      range: { start: { date: day(1) }, end: { date: day(2) } },
      pageSize: 10,
    }),
    message: /^Invalid argument in request$/,
  },
  {
    name: "an end before the start",
    raw: JSON.stringify({ range: { start: { date: day(2) }, end: { date: day(1) } } }),
    message: /after/,
  },
  {
    name: "a start at noon",
    raw: JSON.stringify({
      range: { start: { date: day(1), time: { hours: 12 } }, end: { date: day(2) } },
    }),
    message: /align/,
  },
  {
    name: "September 31",
    raw: JSON.stringify({
      range: { start: { date: day(31) }, end: { date: { year: 2026, month: 10, day: 2 } } },
    }),
    message: /calendar date/,
  },
];

for (const c of bodies) {
  testWithFake(`a body with ${c.name}: 400 INVALID_ARGUMENT`, async (fake) => {
    const { tokens } = connectedUser(fake);
    const res = await api(
      fake,
      tokens.access_token,
      "/v4/users/me/dataTypes/steps/dataPoints:dailyRollUp",
      {
        raw: c.raw,
      },
    );
    assertEquals([res.status, res.body.error.status], [400, "INVALID_ARGUMENT"]);
    assertMatch(res.body.error.message, c.message);
  });
}

testWithFake("rejectRollupPageSize off: pageSize is ignored", async (fake) => {
  fake.configure({ rejectRollupPageSize: false });
  const { tokens } = connectedUser(fake);
  const res = await rollUp(fake, tokens.access_token, "steps", "2026-09-01", "2026-09-02", {
    pageSize: 5,
  });
  assertEquals(res.status, 200);
});

for (const type of ["exercise", "sleep", "activity-level"]) {
  testWithFake(`dailyRollUp of ${type} is 400`, async (fake) => {
    const { tokens } = connectedUser(fake);
    const res = await rollUp(fake, tokens.access_token, type, "2026-09-01", "2026-09-02");
    assertEquals([res.status, res.body.error.status], [400, "INVALID_ARGUMENT"]);
  });
}

testWithFake("generated users get a value on every day (benchmarks)", async (fake) => {
  const { tokens } = connectedUser(fake, { data: { generated: true } });
  for (const type of ["steps", "total-calories", "active-minutes", "sedentary-period"]) {
    const res = await rollUp(fake, tokens.access_token, type, "2026-09-01", "2026-09-15");
    const items: Record<string, unknown>[] = res.body.rollupDataPoints;
    assertEquals(items.filter((i) => Object.keys(i).length === 3).length, 14, type);
  }
});
