/**
 * A child's page: profile, daily steps and active minutes (bars, 30 days), sleep per
 * night by stage (stacked bars), weight and body fat (lines, 12 months), recent physical
 * activities (table), the institution's environment readings (a line per measurement
 * type, one chart per unit, 7 days) and the wearable panel. What the user may not see,
 * the API refuses, and the page becomes the 403 page.
 */
import type { Handler } from "hono";
import type { AppEnv } from "../core/context.ts";
import {
  type ChildData,
  ENVIRONMENT_DAYS,
  type EnvironmentView,
  loadChild,
  type MeasurementView,
  type SleepView,
  TREND_DAYS,
} from "./child-data.ts";
import {
  barChart,
  lineChart,
  type LineSeries,
  PALETTE,
  type Segment,
  stackedBarChart,
} from "./charts.ts";
import { html, type SafeHtml } from "./html.ts";
import { renderPage } from "./layout.ts";
import { type Dashboard, signedIn } from "./page.ts";
import { DAY_MS, formatNumber, isoDay, shortDateTime } from "./scale.ts";
import { wearableNotice, wearablePanel } from "./wearable.ts";

const HOUR_MS = 3_600_000;

/** The API's 19-character UTC times carry no zone: they are UTC. */
const instant = (text: string) => Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);

/** Sleep stages in stacking order (deepest at the bottom); classic records use the last three. */
const SLEEP_SEGMENTS: Segment[] = [
  { key: "deep", label: "Deep", color: "#1f3b73" },
  { key: "light", label: "Light", color: "#56B4E9" },
  { key: "rem", label: "REM", color: "#CC79A7" },
  { key: "asleep", label: "Asleep", color: "#0072B2" },
  { key: "restless", label: "Restless", color: "#D55E00" },
  { key: "awake", label: "Awake", color: "#E69F00" },
];

/** Hours per stage per night; a night is the day the sleep ended (as wearables count it). */
export function sleepNights(records: readonly SleepView[]) {
  const nights = new Map<string, Record<string, number>>();
  for (const record of records) {
    const date = isoDay(instant(record.end_time));
    const parts = nights.get(date) ?? {};
    for (const [stage, { duration }] of Object.entries(record.pattern?.summary ?? {})) {
      parts[stage] = (parts[stage] ?? 0) + duration / HOUR_MS;
    }
    nights.set(date, parts);
  }
  return [...nights].map(([date, parts]) => ({ date, parts }));
}

/** The readings of one unit (the most frequent one), as a line series. */
export function measurementSeries(
  key: string,
  label: string,
  rows: readonly MeasurementView[],
): { unit: string; series: LineSeries[] } {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.unit, (counts.get(row.unit) ?? 0) + 1);
  const unit = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
  const points = rows.filter((row) => row.unit === unit)
    .map((row) => ({ at: instant(row.timestamp), value: row.value }));
  return { unit, series: [{ key, label, points }] };
}

/** Environment readings as one group of lines per unit, one line per measurement type. */
export function environmentSeries(readings: readonly EnvironmentView[]) {
  const byUnit = new Map<string, Map<string, { at: number; value: number }[]>>();
  for (const reading of readings) {
    const at = instant(reading.timestamp);
    for (const { type, value, unit } of reading.measurements) {
      const types = byUnit.get(unit) ?? new Map();
      byUnit.set(unit, types);
      const points = types.get(type) ?? [];
      types.set(type, points);
      points.push({ at, value });
    }
  }
  return [...byUnit].map(([unit, types]) => ({
    unit,
    series: [...types].sort(([a], [b]) => a.localeCompare(b))
      .map(([type, points]) => ({ key: type, label: type, points })),
  }));
}

function section(id: string, title: string, content: SafeHtml): SafeHtml {
  return html`
    <section class="card" id="${id}" aria-labelledby="${id}-title">
      <h2 id="${id}-title">${title}</h2>
      ${content}
    </section>
  `;
}

function profileCard(data: ChildData): SafeHtml {
  const p = data.profile;
  return html`
    <section class="card" aria-label="Profile">
      <dl class="facts">
        <dt>Username</dt>
        <dd>${p.username}</dd>
        <dt>Institution</dt>
        <dd>${data.institutionName ?? p.institution_id ?? "—"}</dd>
        <dt>Gender</dt>
        <dd>${p.gender ?? "—"}</dd>
        <dt>Age</dt>
        <dd>${p.age ?? "—"}${p.age_calc_date && html`
          <span class="muted note">(on ${p.age_calc_date})</span>
        `}</dd>
      </dl>
    </section>
  `;
}

function activityCharts(data: ChildData): SafeHtml {
  const connect = "No data yet: connect a wearable, or let an app record the child's day.";
  return html`${
    section(
      "steps",
      "Steps per day",
      barChart({
        id: "chart-steps",
        title: `Steps per day, last ${data.days.length} days`,
        unit: "steps",
        days: data.days,
        values: data.logs.steps,
        empty: connect,
      }),
    )
  }${
    section(
      "active",
      "Active minutes per day",
      barChart({
        id: "chart-active",
        title: `Active minutes per day, last ${data.days.length} days`,
        unit: "minutes",
        days: data.days,
        values: data.logs.active_minutes,
        color: PALETTE[2],
        empty: connect,
      }),
    )
  }`;
}

function sleepChart(data: ChildData): SafeHtml {
  return section(
    "sleep",
    "Sleep per night",
    stackedBarChart({
      id: "chart-sleep",
      title: `Sleep per night by stage, last ${data.days.length} nights`,
      unit: "hours",
      days: data.days,
      segments: SLEEP_SEGMENTS,
      values: sleepNights(data.sleep),
      empty: "No sleep recorded yet: connect a wearable that tracks sleep.",
    }),
  );
}

function trendCharts(data: ChildData): SafeHtml {
  const from = data.now - TREND_DAYS * DAY_MS;
  const weight = measurementSeries("weight", "Weight", data.weights);
  const fat = measurementSeries("body_fat", "Body fat", data.bodyFats);
  const scale = "connect a wearable with a smart scale, or let an app record it.";
  return section(
    "growth",
    "Weight and body fat",
    html`<div class="charts-by-unit">${
      lineChart({
        id: "chart-weight",
        title: "Weight, last 12 months",
        unit: weight.unit || "kg",
        from,
        to: data.now,
        series: weight.series,
        empty: `No weight yet: ${scale}`,
      })
    }${
      lineChart({
        id: "chart-bodyfat",
        title: "Body fat, last 12 months",
        unit: fat.unit || "%",
        from,
        to: data.now,
        series: fat.series,
        empty: `No body fat yet: ${scale}`,
      })
    }</div>`,
  );
}

function activityTable(data: ChildData): SafeHtml {
  if (data.activities.length === 0) {
    return section(
      "activities",
      "Recent physical activities",
      html`<p class="empty">No physical activities yet: connect a wearable, or let an app record them.</p>`,
    );
  }
  const number = (value: number | undefined, scale = 1) =>
    value === undefined ? "—" : formatNumber(value / scale);
  const rows = data.activities.map((a) =>
    html`
      <tr>
        <td>${shortDateTime(instant(a.start_time))}</td>
        <td>${a.name}</td>
        <td class="num">${number(a.duration, 60_000)}</td>
        <td class="num">${number(a.steps)}</td>
        <td class="num">${number(a.calories)}</td>
        <td class="num">${number(a.distance)}</td>
      </tr>
    `
  );
  return section(
    "activities",
    "Recent physical activities",
    html`
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Started (UTC)</th>
              <th scope="col">Activity</th>
              <th scope="col" class="num">Minutes</th>
              <th scope="col" class="num">Steps</th>
              <th scope="col" class="num">Calories (kcal)</th>
              <th scope="col" class="num">Distance (m)</th>
            </tr>
          </thead>
          <tbody>${rows}</tbody>
        </table>
      </div>
    `,
  );
}

function environmentCharts(data: ChildData): SafeHtml {
  const groups = environmentSeries(data.environments);
  const where = data.institutionName ? ` at ${data.institutionName}` : "";
  const title = `Environment${where}, last ${ENVIRONMENT_DAYS} days`;
  if (groups.length === 0) {
    return section(
      "environment",
      title,
      html`
        <p
          class="empty">No readings yet: the institution's sensors have sent nothing in the last ${ENVIRONMENT_DAYS} days.</p>
      `,
    );
  }
  const from = data.now - ENVIRONMENT_DAYS * DAY_MS;
  const charts = groups.map((group, i) =>
    lineChart({
      id: `chart-environment-${i}`,
      title: `${group.series.map((s) => s.label).join(", ")} (${group.unit})`,
      unit: group.unit,
      from,
      to: data.now,
      series: group.series,
      empty: "No readings.",
    })
  );
  return section("environment", title, html`<div class="grid">${charts}</div>`);
}

/** `GET /app/children/:child`: the child's page. */
export function childPage(dash: Dashboard): Handler<AppEnv> {
  return signedIn(dash, async ({ c, session, api }) => {
    const data = await loadChild(api, c.req.param("child")!, dash.deps.now());
    return renderPage(c, {
      title: data.profile.username,
      session,
      notice: wearableNotice(c),
      body: html`
        <div
          class="grid">${profileCard(data)}${wearablePanel(session, data)}${activityCharts(
            data,
          )}${sleepChart(data)}${trendCharts(data)}</div>${activityTable(data)}${environmentCharts(
            data,
          )}
      `,
    });
  });
}
