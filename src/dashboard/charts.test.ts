/** The chart functions: what they draw for given data (pure, no app needed). */
import { assertEquals, assertMatch, assertTrue } from "../../test/assert.ts";
import { barChart, lineChart, stackedBarChart } from "./charts.ts";
import { lastDays } from "./scale.ts";

const DAYS = lastDays(Date.UTC(2026, 2, 10), 30); // 9 Feb … 10 Mar 2026
const text = { id: "c", title: "Steps per day", unit: "steps", empty: "No data yet." };

const count = (markup: string, pattern: RegExp) => markup.match(pattern)?.length ?? 0;

Deno.test("barChart: one bar per day with a value above zero, placed on its day", () => {
  const out = barChart({
    ...text,
    days: DAYS,
    values: [
      { date: DAYS[0], value: 1200 },
      { date: DAYS[1], value: 0 },
      { date: DAYS[29], value: 8000 },
      { date: "2020-01-01", value: 5 }, // outside the axis
    ],
  }).text;
  assertEquals(count(out, /<rect class="bar"/g), 2);
  assertMatch(out, /data-date="2026-02-09" data-value="1200"/);
  assertMatch(out, /data-date="2026-03-10" data-value="8000"/);
  // The tallest bar reaches the top tick exactly; the axis starts at 0.
  assertMatch(out, />0<\/text>/);
  assertMatch(out, />8,000<\/text>/);
});

Deno.test("barChart: accessible title and description tied to the svg", () => {
  const out = barChart({ ...text, days: DAYS, values: [{ date: DAYS[3], value: 10 }] }).text;
  assertMatch(out, /<svg role="img" aria-labelledby="c-title c-desc"/);
  assertMatch(out, /<title id="c-title">Steps per day<\/title>/);
  assertMatch(
    out,
    /<desc id="c-desc">30 days from 9 Feb 2026 to 10 Mar 2026; 1 days with data; highest 10 steps on 12 Feb 2026\.<\/desc>/,
  );
  assertMatch(out, /<title>12 Feb 2026: 10 steps<\/title>/);
  assertMatch(out, /rotate\(-90\)" text-anchor="middle" fill="#222">steps<\/text>/);
});

Deno.test("barChart: day labels, at most about eight, the last day always labelled", () => {
  const out = barChart({ ...text, days: DAYS, values: [{ date: DAYS[3], value: 10 }] }).text;
  const labels = [...out.matchAll(/text-anchor="middle" fill="#444">([^<]+)</g)].map((m) => m[1]);
  assertTrue(labels.length >= 6 && labels.length <= 9, `labels: ${labels}`);
  assertEquals(labels[labels.length - 1], "10 Mar");
});

for (
  const [name, values] of [
    ["no values", []],
    ["only zeros", [{ date: DAYS[0], value: 0 }]],
    ["only days outside the axis", [{ date: "2020-01-01", value: 3 }]],
  ] as const
) {
  Deno.test(`barChart: ${name} gives the empty state, no svg`, () => {
    const out = barChart({ ...text, days: DAYS, values }).text;
    assertEquals(out.includes("<svg"), false);
    assertMatch(out, /<p class="empty">No data yet\.<\/p>/);
  });
}

Deno.test("charts escape every text they are given", () => {
  const out = barChart({
    ...text,
    title: "<script>alert(1)</script>",
    unit: '"><img src=x>',
    days: DAYS,
    values: [{ date: DAYS[0], value: 1 }],
  }).text;
  assertEquals(out.includes("<script>"), false);
  assertEquals(out.includes("<img"), false);
  assertMatch(out, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

const SLEEP = { ...text, id: "s", title: "Sleep", unit: "hours" };
const STAGES = [
  { key: "deep", label: "Deep", color: "#111111" },
  { key: "light", label: "Light", color: "#222222" },
  { key: "rem", label: "REM", color: "#333333" },
  { key: "awake", label: "Awake", color: "#444444" },
];

Deno.test("stackedBarChart: one group per night, one segment per stage present", () => {
  const out = stackedBarChart({
    ...SLEEP,
    days: DAYS,
    segments: STAGES,
    values: [
      { date: DAYS[5], parts: { deep: 1.5, light: 4, rem: 2, awake: 0.5 } },
      { date: DAYS[6], parts: { deep: 2, light: 5 } },
      { date: DAYS[7], parts: {} },
    ],
  }).text;
  assertEquals(count(out, /<g class="bar"/g), 2);
  assertEquals(count(out, /<rect class="segment"/g), 6);
  assertMatch(out, /<g class="bar" data-date="2026-02-14" data-value="8">/);
  // Segments stack from the bottom in the given order: deep first.
  const first = out.match(/<g class="bar" data-date="2026-02-14"[^]*?<\/g>/)![0];
  const order = [...first.matchAll(/data-segment="(\w+)"/g)].map((m) => m[1]);
  assertEquals(order, ["deep", "light", "rem", "awake"]);
  // A legend lists the stages drawn.
  for (const label of ["Deep", "Light", "REM", "Awake"]) assertMatch(out, new RegExp(`>${label}<`));
});

Deno.test("stackedBarChart: segments of one bar are contiguous and sum to its height", () => {
  const out = stackedBarChart({
    ...SLEEP,
    days: DAYS,
    segments: STAGES,
    values: [{ date: DAYS[0], parts: { deep: 2, light: 6 } }],
  }).text;
  const rects = [
    ...out.matchAll(/class="segment"[^>]* y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/g),
  ]
    .map((m) => ({ y: Number(m[1]), h: Number(m[2]) }));
  assertEquals(rects.length, 2);
  // deep sits at the bottom; light starts where deep ends.
  assertEquals(Math.abs(rects[1].y + rects[1].h - rects[0].y) < 0.2, true);
  assertEquals(rects[0].h * 3 - rects[1].h < 0.5, true);
});

Deno.test("stackedBarChart: nights without any stage give the empty state", () => {
  const out = stackedBarChart({
    ...SLEEP,
    days: DAYS,
    segments: STAGES,
    values: [{ date: DAYS[0], parts: { deep: 0 } }],
  }).text;
  assertMatch(out, /class="empty"/);
});

const FROM = Date.UTC(2025, 2, 10);
const TO = Date.UTC(2026, 2, 10);
const LINE = { ...text, id: "w", title: "Weight", unit: "kg" };

Deno.test("lineChart: a path per series with its points, sorted by time, markers when few", () => {
  const out = lineChart({
    ...LINE,
    from: FROM,
    to: TO,
    series: [{
      key: "weight",
      label: "Weight",
      points: [
        { at: Date.UTC(2025, 11, 1), value: 31.5 },
        { at: Date.UTC(2025, 5, 1), value: 30 },
        { at: Date.UTC(2020, 0, 1), value: 99 }, // before the range
      ],
    }, { key: "none", label: "Nothing", points: [] }],
  }).text;
  assertEquals(count(out, /<path class="line"/g), 1);
  assertMatch(out, /data-series="weight" data-points="2"/);
  assertEquals(count(out, /<circle class="point"/g), 2);
  // Drawn left to right: the June point comes first.
  const d = out.match(/ d="([^"]+)"/)![1];
  const xs = [...d.matchAll(/[ML]([\d.]+) /g)].map((m) => Number(m[1]));
  assertEquals(xs[0] < xs[1], true);
  // The value axis spans the data, not from zero.
  assertEquals(out.includes(">0</text>"), false);
  assertMatch(out, /latest 31\.5 kg/);
});

Deno.test("lineChart: many points are drawn without markers", () => {
  const points = Array.from({ length: 200 }, (_, i) => ({ at: FROM + i * 3_600_000, value: i }));
  const out = lineChart({ ...LINE, from: FROM, to: TO, series: [{ key: "t", label: "T", points }] })
    .text;
  assertMatch(out, /data-points="200"/);
  assertEquals(count(out, /<circle/g), 0);
});

Deno.test("lineChart: no point in range gives the empty state", () => {
  const out = lineChart({
    ...LINE,
    from: FROM,
    to: TO,
    series: [{ key: "w", label: "W", points: [{ at: TO + 1, value: 3 }] }],
  }).text;
  assertMatch(out, /<p class="empty">No data yet\.<\/p>/);
});
