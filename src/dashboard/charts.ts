/**
 * Charts as inline SVG, drawn on the server: bars per day, stacked bars per day, and
 * lines over time. Pure functions from data to markup: no I/O, no clock, no script.
 * Every chart has axes with values and dates, its unit, a `<title>` and `<desc>` tied to
 * the `<svg role="img">` by `aria-labelledby`, and a `<title>` per bar or point (the
 * browser shows it on hover; screen readers read it). Colours are presentation
 * attributes, so a chart reads the same without the stylesheet. With no data a chart
 * is replaced by its `empty` sentence, which says what to do.
 */
import { html, type SafeHtml } from "./html.ts";
import {
  formatNumber,
  isoDay,
  longDay,
  niceTicks,
  shortDay,
  timeTickLabel,
  timeTicks,
} from "./scale.ts";

/** The drawing box (the SVG scales to its container). */
const WIDTH = 480;
const HEIGHT = 240;
const MARGIN = { top: 32, right: 24, bottom: 36, left: 58 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

/** Okabe-Ito colours: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];

/** One value on one calendar day (`YYYY-MM-DD`). */
export interface DayValue {
  date: string;
  value: number;
}

/** What every chart needs besides its data. */
export interface ChartText {
  /** Unique in the page: the ids of the title and description derive from it. */
  id: string;
  title: string;
  /** The unit of the values, shown on the value axis (e.g. `steps`, `kg`, `hours`). */
  unit: string;
  /** Shown instead of the chart when there is nothing to draw. */
  empty: string;
}

/** Bars of one value per day. */
export interface BarChartSpec extends ChartText {
  /** Every day of the axis, oldest first (days without a value get no bar). */
  days: readonly string[];
  values: readonly DayValue[];
  color?: string;
}

/** One part of a stacked bar. */
export interface Segment {
  key: string;
  label: string;
  color: string;
}

/** Bars made of parts, one bar per day. */
export interface StackedBarSpec extends ChartText {
  days: readonly string[];
  segments: readonly Segment[];
  /** Per day, the value of each segment key (missing keys count as 0). */
  values: readonly { date: string; parts: Readonly<Record<string, number>> }[];
}

/** One line: values at instants (epoch ms). */
export interface LineSeries {
  key: string;
  label: string;
  points: readonly { at: number; value: number }[];
}

/** Lines over a time range. */
export interface LineChartSpec extends ChartText {
  /** The time axis, epoch ms. */
  from: number;
  to: number;
  series: readonly LineSeries[];
}

/** The frame every chart shares: svg element, title, description, value axis. */
function frame(
  spec: ChartText,
  description: string,
  yTicks: readonly number[],
  body: SafeHtml,
  legend?: readonly { label: string; color: string }[],
): SafeHtml {
  const titleId = `${spec.id}-title`;
  const descId = `${spec.id}-desc`;
  const y = yScale(yTicks);
  return html`
    <figure class="chart" id="${spec.id}">
      <svg role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${WIDTH} ${HEIGHT}"
        width="${WIDTH}" height="${HEIGHT}" font-family="system-ui, sans-serif" font-size="13">
    <title id="${titleId}">${spec.title}</title>
    <desc id="${descId}">${description}</desc>
    <g class="y-axis">${yTicks.map((tick) =>
      html`
        <line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick)}" y2="${y(
          tick,
        )}" stroke="#d9dde3"
          stroke-width="1" />
        <text x="${MARGIN.left - 6}" y="${y(tick) +
          4}" text-anchor="end" fill="#444">${formatNumber(tick)}</text>
      `
    )}<text transform="translate(15 ${MARGIN.top +
      PLOT_H / 2}) rotate(-90)" text-anchor="middle" fill="#222">${spec.unit}</text></g>
    ${body}
    <line class="x-axis" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top +
      PLOT_H}" y2="${MARGIN.top + PLOT_H}" stroke="#555" stroke-width="1"/>
    ${legend && legendRow(legend)}
      </svg>
    </figure>
  `;
}

function legendRow(items: readonly { label: string; color: string }[]): SafeHtml {
  let x = MARGIN.left;
  const parts = items.map(({ label, color }) => {
    const at = x;
    x += 16 + label.length * 7.5 + 14;
    return html`
      <rect x="${at}" y="8" width="12" height="12" fill="${color}" />
      <text x="${at + 16}" y="18" fill="#222">${label}</text>
    `;
  });
  return html`<g class="legend">${parts}</g>`;
}

/** Pixel y of a value, for ticks from low to high. */
function yScale(ticks: readonly number[]): (value: number) => number {
  const low = ticks[0];
  const high = ticks[ticks.length - 1];
  const span = high - low || 1;
  return (value) => round(MARGIN.top + PLOT_H - ((value - low) / span) * PLOT_H);
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Day labels under bars: at most about eight, evenly spaced, always the last day. */
function dayAxis(days: readonly string[], x: (i: number) => number): SafeHtml {
  const every = Math.max(1, Math.ceil(days.length / 8));
  const labels = days.map((day, i) =>
    (days.length - 1 - i) % every === 0
      ? html`<text x="${x(i)}" y="${MARGIN.top + PLOT_H + 16}" text-anchor="middle" fill="#444">${
        shortDay(day)
      }</text>`
      : ""
  );
  return html`<g class="x-labels">${labels}</g>`;
}

function bandScale(count: number) {
  const band = PLOT_W / Math.max(1, count);
  const barWidth = round(Math.max(1, band * 0.7));
  return {
    barWidth,
    center: (i: number) => round(MARGIN.left + band * i + band / 2),
    left: (i: number) => round(MARGIN.left + band * i + (band - barWidth) / 2),
  };
}

function rangeText(days: readonly string[]): string {
  return days.length === 0
    ? ""
    : `${days.length} days from ${longDay(days[0])} to ${longDay(days[days.length - 1])}`;
}

function emptyState(spec: ChartText): SafeHtml {
  return html`
    <figure class="chart chart-empty" id="${spec.id}">
      <figcaption>${spec.title}</figcaption>
      <p class="empty">${spec.empty}</p>
    </figure>
  `;
}

/**
 * One bar per day with a value above zero, on an axis of all `days`. Bars carry
 * `class="bar"` and `data-date`/`data-value`.
 */
export function barChart(spec: BarChartSpec): SafeHtml {
  const index = new Map(spec.days.map((day, i) => [day, i]));
  const shown = spec.values.filter((v) => v.value > 0 && index.has(v.date));
  if (shown.length === 0) return emptyState(spec);
  const ticks = niceTicks(0, Math.max(...shown.map((v) => v.value)));
  const y = yScale(ticks);
  const band = bandScale(spec.days.length);
  const color = spec.color ?? PALETTE[0];
  const bars = shown.map(({ date, value }) => {
    const top = y(value);
    return html`
      <rect class="bar" data-date="${date}" data-value="${value}" x="${band.left(
        index.get(date)!,
      )}" y="${top}"
        width="${band.barWidth}" height="${round(MARGIN.top + PLOT_H - top)}" fill="${color}">
        <title>${longDay(date)}: ${formatNumber(value)} ${spec.unit}</title>
      </rect>
    `;
  });
  const best = shown.reduce((a, b) => (b.value > a.value ? b : a));
  const description = `${rangeText(spec.days)}; ${shown.length} days with data; highest ${
    formatNumber(best.value)
  } ${spec.unit} on ${longDay(best.date)}.`;
  return frame(spec, description, ticks, html`${bars}${dayAxis(spec.days, band.center)}`);
}

/**
 * One stacked bar per day whose parts sum above zero; parts in `segments` order from
 * the bottom. Each bar is `<g class="bar" data-date>` of `rect.segment` parts.
 */
export function stackedBarChart(spec: StackedBarSpec): SafeHtml {
  const index = new Map(spec.days.map((day, i) => [day, i]));
  const total = (parts: Readonly<Record<string, number>>) =>
    spec.segments.reduce((sum, s) => sum + Math.max(0, parts[s.key] ?? 0), 0);
  const shown = spec.values.filter((v) => index.has(v.date) && total(v.parts) > 0);
  if (shown.length === 0) return emptyState(spec);
  const ticks = niceTicks(0, Math.max(...shown.map((v) => total(v.parts))));
  const y = yScale(ticks);
  const band = bandScale(spec.days.length);
  const bars = shown.map(({ date, parts }) => {
    let base = 0;
    const rects = spec.segments.map((segment) => {
      const value = Math.max(0, parts[segment.key] ?? 0);
      if (value === 0) return "";
      const top = y(base + value);
      const bottom = y(base);
      base += value;
      return html`
        <rect class="segment" data-segment="${segment.key}" x="${band.left(
          index.get(date)!,
        )}" y="${top}" width="${band.barWidth}"
          height="${round(bottom - top)}" fill="${segment.color}">
          <title>${longDay(date)}: ${segment.label} ${formatNumber(value)} ${spec.unit}</title>
        </rect>
      `;
    });
    return html`<g class="bar" data-date="${date}" data-value="${total(parts)}">${rects}</g>`;
  });
  const description = `${rangeText(spec.days)}; ${shown.length} days with data, split into ${
    spec.segments.map((s) => s.label).join(", ")
  }.`;
  const used = spec.segments.filter((s) => shown.some((v) => (v.parts[s.key] ?? 0) > 0));
  return frame(
    spec,
    description,
    ticks,
    html`${bars}${dayAxis(spec.days, band.center)}`,
    used.map(({ label, color }) => ({ label, color })),
  );
}

/** Points are marked with circles only when a line has at most this many. */
const MAX_MARKED_POINTS = 60;

/**
 * One line per series over `[from, to]`; the value axis spans the data (not from zero).
 * Each line is `path.line` with `data-series` and `data-points`.
 */
export function lineChart(spec: LineChartSpec): SafeHtml {
  const series = spec.series.map((s) => ({
    ...s,
    points: s.points.filter((p) => p.at >= spec.from && p.at <= spec.to)
      .toSorted((a, b) => a.at - b.at),
  })).filter((s) => s.points.length > 0);
  if (series.length === 0) return emptyState(spec);
  const values = series.flatMap((s) => s.points.map((p) => p.value));
  const ticks = niceTicks(Math.min(...values), Math.max(...values));
  const y = yScale(ticks);
  const span = spec.to - spec.from || 1;
  const x = (at: number) => round(MARGIN.left + ((at - spec.from) / span) * PLOT_W);
  const color = (i: number) => PALETTE[i % PALETTE.length];
  const lines = series.map((s, i) => {
    const d = s.points.map((p, j) => `${j === 0 ? "M" : "L"}${x(p.at)} ${y(p.value)}`).join(" ");
    const marks = s.points.length <= MAX_MARKED_POINTS
      ? s.points.map((p) =>
        html`
          <circle class="point" cx="${x(p.at)}" cy="${y(p.value)}" r="3" fill="${color(i)}">
            <title>${s.label}: ${formatNumber(p.value)} ${spec.unit}, ${longDay(
              isoDay(p.at),
            )}</title>
          </circle>
        `
      )
      : "";
    return html`
      <path class="line" data-series="${s.key}" data-points="${s.points
        .length}" d="${d}" fill="none"
        stroke="${color(i)}" stroke-width="2" />${marks}
    `;
  });
  const ticksX = timeTicks(spec.from, spec.to);
  const xLabels = ticksX.map((at) =>
    html`<text x="${x(at)}" y="${MARGIN.top + PLOT_H + 16}" text-anchor="middle" fill="#444">${
      timeTickLabel(at, ticksX)
    }</text>`
  );
  const from = longDay(isoDay(spec.from));
  const to = longDay(isoDay(spec.to));
  const description = `From ${from} to ${to}: ${
    series.map((s) => {
      const last = s.points[s.points.length - 1];
      return `${s.label}, ${s.points.length} readings, latest ${
        formatNumber(last.value)
      } ${spec.unit}`;
    }).join("; ")
  }.`;
  return frame(
    spec,
    description,
    ticks,
    html`${lines}<g class="x-labels">${xLabels}</g>`,
    series.map((s, i) => ({ label: s.label, color: color(i) })),
  );
}
