/**
 * Inline SVG charts for the report, drawn by hand so the file works offline. Values are
 * drawn only where they were measured: markers at the tested sizes, never a line between
 * them, because a line would invent figures for sizes that were not tested.
 */
import { escapeHtml } from './escape.js';
import { linear, niceTicks } from './scale.js';

const WIDTH = 560;
const HEIGHT = 300;
const MARGIN = { top: 46, right: 20, bottom: 52, left: 96 };

export interface DotPoint {
  /** The x-axis category (a tested memory size). */
  category: string;
  /** Undefined for a size that could not be measured: drawn as a cross on the axis. */
  value?: number;
  /** Optional spread, drawn as a vertical whisker from low to high. */
  low?: number;
  high?: number;
  /** Optional confidence interval of `value`, drawn as an error bar with caps. */
  errorLow?: number;
  errorHigh?: number;
  highlight?: boolean;
  /** With constraints: a size shown to fail them is shaded, an undecided one outlined. */
  verdict?: Verdict;
  tooltip: string;
  /** A second figure at this size (e.g. the cold invocations' duration), drawn as a hollow diamond beside the dot. */
  second?: { value: number; tooltip: string };
}

export type Verdict = 'meets' | 'fails' | 'uncertain';

/** A horizontal line at a bound (a constraint), with its label; the axis always reaches it. */
export interface BoundLine {
  value: number;
  label: string;
}

export interface DotChartSpec {
  id: string;
  title: string;
  yTitle: string;
  xTitle: string;
  format: (value: number) => string;
  /** Axis labels; default `format`. */
  formatTick?: (value: number) => string;
  points: DotPoint[];
  bound?: BoundLine;
  /** What the points' `second` figures are, shown as a key top left (when some point has one). */
  secondKey?: string;
}

interface Frame {
  y: (v: number) => number;
  parts: string[];
}

/** Title, y gridlines with labels, and the axis titles. */
function frame(
  title: string,
  xTitle: string,
  yTitle: string,
  yMax: number,
  format: (v: number) => string,
): Frame {
  const ticks = niceTicks(yMax);
  const top = ticks[ticks.length - 1] as number;
  const y = linear(0, top, HEIGHT - MARGIN.bottom, MARGIN.top);
  const parts = [
    `<text class="chart-title" x="${MARGIN.left}" y="20">${escapeHtml(title)}</text>`,
    ...ticks.map(
      (t) =>
        `<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(t)}" y2="${y(t)}"/>` +
        `<text class="tick" x="${MARGIN.left - 8}" y="${y(t) + 4}" text-anchor="end">${escapeHtml(format(t))}</text>`,
    ),
    `<line class="axis" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0)}" y2="${y(0)}"/>`,
    `<text class="axis-title" x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeHtml(xTitle)}</text>`,
    `<text class="axis-title" transform="translate(14 ${(MARGIN.top + HEIGHT - MARGIN.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(yTitle)}</text>`,
  ];
  return { y, parts };
}

/** The chart's <svg> element; `size` for a chart drawn at its own size (default 560 × 300). */
export function svg(
  id: string,
  title: string,
  body: string[],
  size: { width: number; height: number } = { width: WIDTH, height: HEIGHT },
): string {
  return (
    `<svg id="${escapeHtml(id)}" class="chart" viewBox="0 0 ${size.width} ${size.height}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg">` +
    body.join('') +
    '</svg>'
  );
}

/** One marker per tested size on a categorical x axis (equal spacing, no implied continuity). */
export function dotChart(spec: DotChartSpec): string {
  const values = spec.points.flatMap((p) =>
    [p.value, p.high, p.errorHigh, p.second?.value].filter(
      (v): v is number => v !== undefined && Number.isFinite(v),
    ),
  );
  if (spec.bound && Number.isFinite(spec.bound.value)) values.push(spec.bound.value);
  const { y, parts } = frame(
    spec.title,
    spec.xTitle,
    spec.yTitle,
    Math.max(0, ...values),
    spec.formatTick ?? spec.format,
  );
  const band = (WIDTH - MARGIN.left - MARGIN.right) / Math.max(1, spec.points.length);
  const base = HEIGHT - MARGIN.bottom;
  // Under everything else: the slots of the sizes shown to fail the constraints, then the bound.
  spec.points.forEach((p, i) => {
    if (p.verdict === 'fails')
      parts.push(
        `<rect class="fails-band" data-category="${escapeHtml(p.category)}" x="${MARGIN.left + band * i}" y="${MARGIN.top}" width="${band}" height="${base - MARGIN.top}"/>`,
      );
  });
  if (spec.bound) parts.push(boundLine(spec.bound, y));
  if (spec.secondKey && spec.points.some((p) => p.second)) parts.push(secondKey(spec.secondKey));
  spec.points.forEach((p, i) => {
    const x = MARGIN.left + band * (i + 0.5);
    parts.push(
      `<text class="tick" x="${x}" y="${base + 18}" text-anchor="middle">${escapeHtml(p.category)}</text>`,
    );
    const tip = `<title>${escapeHtml(p.tooltip)}</title>`;
    if (p.value === undefined) {
      parts.push(
        `<g class="infeasible" data-category="${escapeHtml(p.category)}">${tip}` +
          `<path d="M${x - 6} ${base - 14}l12 12M${x + 6} ${base - 14}l-12 12"/>` +
          `<text x="${x}" y="${base - 20}" text-anchor="middle">n/a</text></g>`,
      );
      return;
    }
    const error = errorBar(x, p.errorLow, p.errorHigh, y, 'vertical');
    if (p.low !== undefined && p.high !== undefined) {
      // Beside an error bar the spread becomes a pale band, so the two whiskers are not confused.
      parts.push(
        error
          ? `<g class="range band"><line x1="${x}" x2="${x}" y1="${y(p.low)}" y2="${y(p.high)}"/></g>`
          : `<g class="range">` +
              `<line x1="${x}" x2="${x}" y1="${y(p.low)}" y2="${y(p.high)}"/>` +
              `<line x1="${x - 6}" x2="${x + 6}" y1="${y(p.low)}" y2="${y(p.low)}"/>` +
              `<line x1="${x - 6}" x2="${x + 6}" y1="${y(p.high)}" y2="${y(p.high)}"/></g>`,
      );
    }
    const cls = pointClass(p);
    const tops = [p.value, p.high, p.errorHigh].filter(
      (v): v is number => v !== undefined && Number.isFinite(v),
    );
    const labelY = Math.min(...tops.map(y)) - 8;
    parts.push(
      `<g class="${cls}" data-category="${escapeHtml(p.category)}">${tip}` +
        `<circle cx="${x}" cy="${y(p.value)}" r="${p.highlight ? 7 : 5}"/>${error}` +
        `<text class="value" x="${x}" y="${labelY}" text-anchor="middle">${escapeHtml(spec.format(p.value))}</text></g>`,
    );
    if (p.second && Number.isFinite(p.second.value)) {
      // Beside the dot, its value to the right, so neither label covers the other's marker.
      const sx = x + Math.min(14, band / 5);
      const sy = y(p.second.value);
      parts.push(
        `<g class="second-point" data-category="${escapeHtml(p.category)}" data-value="${p.second.value}"><title>${escapeHtml(p.second.tooltip)}</title>` +
          diamond(sx, sy) +
          `<text class="value" x="${sx + 8}" y="${sy + 4}">${escapeHtml(spec.format(p.second.value))}</text></g>`,
      );
    }
  });
  return svg(spec.id, spec.title, parts);
}

/** A hollow diamond centred on (x, y): a square turned by 45°, so no path is added. */
function diamond(x: number, y: number): string {
  return `<rect x="${x - 4}" y="${y - 4}" width="8" height="8" transform="rotate(45 ${x} ${y})"/>`;
}

/** The key of the second figures, top left between the title and the plot (the bound's key is top right). */
function secondKey(label: string): string {
  const keyY = MARGIN.top - 12;
  return (
    `<g class="second-key">${diamond(MARGIN.left + 4, keyY - 4)}` +
    `<text x="${MARGIN.left + 14}" y="${keyY}">${escapeHtml(label)}</text></g>`
  );
}

export interface ScatterPoint {
  x: number;
  y: number;
  /** Optional confidence intervals of x and y, drawn as error bars. */
  xLow?: number;
  xHigh?: number;
  yLow?: number;
  yHigh?: number;
  label: string;
  highlight?: boolean;
  verdict?: Verdict;
  tooltip: string;
}

export interface ScatterSpec {
  id: string;
  title: string;
  xTitle: string;
  yTitle: string;
  /** Axis labels. */
  formatX: (v: number) => string;
  formatY: (v: number) => string;
  points: ScatterPoint[];
}

/**
 * An error bar with caps from low to high at a fixed position across the axis it runs along;
 * empty when the interval is unknown or not finite (nothing is drawn rather than a guess).
 */
export function errorBar(
  at: number,
  low: number | undefined,
  high: number | undefined,
  scale: (v: number) => number,
  direction: 'vertical' | 'horizontal',
): string {
  if (low === undefined || high === undefined || !Number.isFinite(low) || !Number.isFinite(high)) return '';
  const a = scale(Math.max(0, low));
  const b = scale(high);
  const line = (x1: number, x2: number, y1: number, y2: number) =>
    `<line x1="${x1}" x2="${x2}" y1="${y1}" y2="${y2}"/>`;
  const cap = 4;
  const body =
    direction === 'vertical'
      ? line(at, at, a, b) + line(at - cap, at + cap, a, a) + line(at - cap, at + cap, b, b)
      : line(a, b, at, at) + line(a, a, at - cap, at + cap) + line(b, b, at - cap, at + cap);
  return `<g class="error-bar">${body}</g>`;
}

/** `point`, `point recommended`, `point fails`, `point uncertain`: what the stylesheet draws. */
export function pointClass(p: { highlight?: boolean; verdict?: Verdict }): string {
  if (p.highlight) return 'point recommended';
  return p.verdict === 'fails' || p.verdict === 'uncertain' ? `point ${p.verdict}` : 'point';
}

/**
 * A dashed line across the plot at the bound, with its label as a key between the title and the
 * plot (top right), where no marker or value label can cover it.
 */
function boundLine(bound: BoundLine, y: (v: number) => number): string {
  const at = y(bound.value);
  const right = WIDTH - MARGIN.right;
  const keyY = MARGIN.top - 12;
  return (
    `<g class="bound" data-value="${bound.value}"><title>${escapeHtml(bound.label)}</title>` +
    `<line x1="${MARGIN.left}" x2="${right}" y1="${at}" y2="${at}"/>` +
    `<line class="key" x1="${right - 24}" x2="${right}" y1="${keyY - 4}" y2="${keyY - 4}"/>` +
    `<text x="${right - 30}" y="${keyY}" text-anchor="end">${escapeHtml(bound.label)}</text></g>`
  );
}

/** Axis numbers without trailing zeros: 0, 250, 500, 1000, 2.5. */
export function plainTick(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** Cost against duration, one labelled point per size: lower left is cheaper and faster. */
export function scatterChart(spec: ScatterSpec): string {
  const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : 0);
  const yMax = Math.max(0, ...spec.points.map((p) => Math.max(p.y, finite(p.yHigh))));
  const { y, parts } = frame(spec.title, spec.xTitle, spec.yTitle, yMax, spec.formatY);
  const xTicks = niceTicks(Math.max(0, ...spec.points.map((p) => Math.max(p.x, finite(p.xHigh)))));
  const x = linear(0, xTicks[xTicks.length - 1] as number, MARGIN.left, WIDTH - MARGIN.right);
  const base = HEIGHT - MARGIN.bottom;
  for (const t of xTicks) {
    parts.push(
      `<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${MARGIN.top}" y2="${base}"/>` +
        `<text class="tick" x="${x(t)}" y="${base + 18}" text-anchor="middle">${escapeHtml(spec.formatX(t))}</text>`,
    );
  }
  // Labels sit right of their point; one that would overlap the previous label moves below it.
  const placed: { x: number; y: number }[] = [];
  for (const p of [...spec.points].sort((a, b) => a.x - b.x)) {
    const cls = pointClass(p);
    const px = x(p.x);
    const py = y(p.y);
    let ly = py - 7;
    while (placed.some((l) => Math.abs(l.x - (px + 9)) < 56 && Math.abs(l.y - ly) < 13)) ly += 14;
    placed.push({ x: px + 9, y: ly });
    parts.push(
      `<g class="${cls}" data-category="${escapeHtml(p.label)}"><title>${escapeHtml(p.tooltip)}</title>` +
        `<circle cx="${px}" cy="${py}" r="${p.highlight ? 7 : 5}"/>` +
        errorBar(py, p.xLow, p.xHigh, x, 'horizontal') +
        errorBar(px, p.yLow, p.yHigh, y, 'vertical') +
        `<text class="value" x="${px + 9}" y="${ly}">${escapeHtml(p.label)}</text></g>`,
    );
  }
  return svg(spec.id, spec.title, parts);
}
