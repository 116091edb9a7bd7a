/** Axis arithmetic and date labels. */
import { assertEquals } from "../../test/assert.ts";
import {
  formatNumber,
  isoDay,
  lastDays,
  niceTicks,
  shortDay,
  timeTickLabel,
  timeTicks,
} from "./scale.ts";

for (
  const [min, max, expected] of [
    [0, 8000, [0, 2000, 4000, 6000, 8000]],
    [0, 9.3, [0, 2, 4, 6, 8, 10]],
    [29.6, 31.2, [29.5, 30, 30.5, 31, 31.5]],
    [0, 0, [-1, -0.5, 0, 0.5, 1]],
    [5, 5, [4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6]],
    [-3, 12, [-5, 0, 5, 10, 15]],
    [0, 0.3, [0, 0.1, 0.2, 0.3]],
  ] as const
) {
  Deno.test(`niceTicks(${min}, ${max})`, () => {
    assertEquals(niceTicks(min, max), expected);
  });
}

Deno.test("niceTicks: the ticks always cover the range", () => {
  for (const [min, max] of [[0, 1], [0, 7], [13, 97], [0.01, 0.07], [1e6, 3.3e6]]) {
    const ticks = niceTicks(min, max);
    assertEquals(ticks[0] <= min && ticks[ticks.length - 1] >= max, true, `${min}..${max}`);
  }
});

Deno.test("lastDays: the days ending with today, oldest first, across a month end", () => {
  assertEquals(lastDays(Date.UTC(2026, 2, 2, 23, 59), 4), [
    "2026-02-27",
    "2026-02-28",
    "2026-03-01",
    "2026-03-02",
  ]);
});

Deno.test("day labels", () => {
  assertEquals(shortDay("2026-03-02"), "2 Mar");
  assertEquals(isoDay(Date.UTC(2026, 11, 31, 23, 59, 59)), "2026-12-31");
  assertEquals(formatNumber(12345.678), "12,345.7");
});

Deno.test("timeTicks: daily midnights over a week, six-hourly within two days", () => {
  const week = timeTicks(Date.UTC(2026, 2, 3, 10), Date.UTC(2026, 2, 10, 10));
  assertEquals(week.map((at) => new Date(at).toISOString().slice(0, 13)), [
    "2026-03-04T00",
    "2026-03-06T00",
    "2026-03-08T00",
    "2026-03-10T00",
  ]);
  assertEquals(timeTickLabel(week[0], week), "4 Mar");
  const day = timeTicks(Date.UTC(2026, 2, 3, 1), Date.UTC(2026, 2, 4, 1));
  assertEquals(day.length, 4);
  assertEquals(timeTickLabel(day[0], day), "3 Mar 06:00");
});
