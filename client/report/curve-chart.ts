/**
 * A predicted curve with its band against the measured points, on log axes (duration falls as
 * 1 / memory, so equal ratios get equal room). Unlike the other charts this one draws a line, and
 * only for a prediction: it is dashed, shaded and named as such in the key, while measurements
 * are dots, so a reader never takes one for the other.
 */
import { escapeHtml } from './escape.js';
import { logarithmic, logTicks, memoryTicks } from './scale.js';
import { errorBar, pointClass, svg } from './svg-chart.js';

const WIDTH = 860;
const HEIGHT = 380;
const MARGIN = { top: 64, right: 28, bottom: 52, left: 84 };
/** Ticks of the x axis closer than this (px) to one already placed are left out. */
const MIN_TICK_GAP = 40;

export interface PredictedPoint {
  x: number;
  y: number;
  lower: number;
  upper: number;
}

export interface MeasuredMarker {
  x: number;
  /** Undefined for a size measured but unusable (every invocation failed): a cross on the axis. */
  y?: number;
  errorLow?: number;
  errorHigh?: number;
  highlight?: boolean;
  /** Written above the point (the recommendation's). */
  label?: string;
  tooltip: string;
}

export interface CurveChartSpec {
  id: string;
  title: string;
  xTitle: string;
  yTitle: string;
  /** The x range drawn, both ends included (the searched memory range). */
  xRange: [number, number];
  formatY: (v: number) => string;
  /** Empty when nothing was predicted: then only the measured points are drawn. */
  curve: PredictedPoint[];
  curveKey: string;
  curveTooltip: string;
  points: MeasuredMarker[];
  pointKey: string;
  highlightKey?: string;
}

export function curveChart(spec: CurveChartSpec): string {
  const [xMin, xMax] = spec.xRange;
  const base = HEIGHT - MARGIN.bottom;
  const right = WIDTH - MARGIN.right;
  const x = logarithmic(xMin, Math.max(xMax, xMin + 1), MARGIN.left, right);
  const ys = [
    ...spec.curve.flatMap((p) => [p.y, p.lower, p.upper]),
    ...spec.points.flatMap((p) => [p.y, p.errorLow, p.errorHigh]),
  ].filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0);
  const axis = logTicks(Math.min(...ys), Math.max(...ys));
  const scaleY = logarithmic(axis.lower, axis.upper, base, MARGIN.top);
  // A band reaching 0 or below is drawn to the axis's foot: a log axis has no 0.
  const y = (v: number) => scaleY(Math.min(axis.upper, Math.max(axis.lower, v)));
  const r = (v: number) => Math.round(v * 10) / 10;

  const parts = [
    `<text class="chart-title" x="${MARGIN.left}" y="20">${escapeHtml(spec.title)}</text>`,
    ...axis.ticks.map(
      (t) =>
        `<line class="grid" x1="${MARGIN.left}" x2="${right}" y1="${r(y(t))}" y2="${r(y(t))}"/>` +
        `<text class="tick" x="${MARGIN.left - 8}" y="${r(y(t)) + 4}" text-anchor="end">${escapeHtml(spec.formatY(t))}</text>`,
    ),
    ...xTicks(xMin, xMax, x).map(
      (t) =>
        `<line class="grid" x1="${r(x(t))}" x2="${r(x(t))}" y1="${MARGIN.top}" y2="${base}"/>` +
        `<text class="tick" x="${r(x(t))}" y="${base + 18}" text-anchor="middle">${t}</text>`,
    ),
    `<line class="axis" x1="${MARGIN.left}" x2="${right}" y1="${base}" y2="${base}"/>`,
    `<text class="axis-title" x="${(MARGIN.left + right) / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeHtml(spec.xTitle)}</text>`,
    `<text class="axis-title" transform="translate(16 ${(MARGIN.top + base) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yTitle)}</text>`,
    key(spec),
  ];
  if (spec.curve.length > 1) {
    const along = (pts: PredictedPoint[], f: (p: PredictedPoint) => number) =>
      pts.map((p) => `${r(x(p.x))} ${r(y(f(p)))}`).join('L');
    const band = `M${along(spec.curve, (p) => p.upper)}L${along([...spec.curve].reverse(), (p) => p.lower)}Z`;
    parts.push(
      `<g class="prediction" data-points="${spec.curve.length}"><title>${escapeHtml(spec.curveTooltip)}</title>` +
        `<path class="band" d="${band}"/><path class="line" d="M${along(spec.curve, (p) => p.y)}"/></g>`,
    );
  }
  for (const p of spec.points) {
    const px = r(x(p.x));
    const tip = `<title>${escapeHtml(p.tooltip)}</title>`;
    if (p.y === undefined) {
      parts.push(
        `<g class="infeasible" data-category="${p.x}">${tip}` +
          `<path d="M${px - 6} ${base - 14}l12 12M${px + 6} ${base - 14}l-12 12"/></g>`,
      );
      continue;
    }
    const py = r(y(p.y));
    const label = p.label
      ? `<text class="value" x="${px}" y="${r(Math.min(py, y(p.errorHigh ?? p.y)) - 10)}" text-anchor="middle">${escapeHtml(p.label)}</text>`
      : '';
    parts.push(
      `<g class="${pointClass(p)} measured" data-category="${p.x}" data-value="${p.y}">${tip}` +
        `<circle cx="${px}" cy="${py}" r="${p.highlight ? 7 : 5}"/>` +
        errorBar(px, p.errorLow, p.errorHigh, y, 'vertical') +
        label +
        '</g>',
    );
  }
  return svg(spec.id, spec.title, parts, { width: WIDTH, height: HEIGHT });
}

/** The ends of the range first, then the powers of two that leave room for their labels. */
function xTicks(lowest: number, highest: number, x: (v: number) => number): number[] {
  const all = memoryTicks(lowest, highest);
  const placed = [all[0] as number, all[all.length - 1] as number];
  for (const t of all.slice(1, -1))
    if (placed.every((p) => Math.abs(x(p) - x(t)) >= MIN_TICK_GAP)) placed.push(t);
  return [...new Set(placed)].sort((a, b) => a - b);
}

/** The key between the title and the plot: what is predicted, what is measured, the choice. */
function key(spec: CurveChartSpec): string {
  const keyY = MARGIN.top - 18;
  const items: string[] = [];
  let at = MARGIN.left;
  // Under 7 px a character at the key's 11 px: enough to keep the items apart.
  const advance = (label: string) => (at += 34 + label.length * 7);
  if (spec.curve.length > 1) {
    items.push(
      `<g class="key-prediction"><rect class="band" x="${at}" y="${keyY - 10}" width="24" height="12"/>` +
        `<line class="line" x1="${at}" x2="${at + 24}" y1="${keyY - 4}" y2="${keyY - 4}"/>` +
        `<text x="${at + 30}" y="${keyY}">${escapeHtml(spec.curveKey)}</text></g>`,
    );
    advance(spec.curveKey);
  }
  items.push(
    `<g class="key-measured point"><circle cx="${at + 8}" cy="${keyY - 4}" r="5"/>` +
      `<text x="${at + 20}" y="${keyY}">${escapeHtml(spec.pointKey)}</text></g>`,
  );
  advance(spec.pointKey);
  if (spec.highlightKey && spec.points.some((p) => p.highlight))
    items.push(
      `<g class="key-recommended point recommended"><circle cx="${at + 8}" cy="${keyY - 4}" r="6"/>` +
        `<text x="${at + 20}" y="${keyY}">${escapeHtml(spec.highlightKey)}</text></g>`,
    );
  return `<g class="chart-key">${items.join('')}</g>`;
}
