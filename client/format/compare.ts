/**
 * Two results side by side (typically before and after a code change): per memory size the
 * average duration, p90 and cost of each, and the change from the first to the second. A change
 * counts as real only when the two runs' confidence intervals do not overlap; otherwise it is
 * reported as within noise, so two runs of the same code do not read as a regression.
 */
import Table from 'cli-table3';
import { COMPACT } from './table-style.js';
import { intervalsApart } from '../../domain/intervals.js';
import type { Interval, PowerValueStats, TuningOutput } from '../../domain/types.js';
import { hasStatistics } from './result-rows.js';
import { makeStyle, type Style } from './style.js';
import { formatChange, formatLevel, formatMoney, formatMs, formatSpread } from './units.js';

/**
 * real: the two intervals do not overlap; within-noise: they overlap; no-intervals: a side has
 * none (a run made before they existed), so only the point change is known; too-few: a side's
 * interval is no guarantee (p90 with too few invocations for its confidence), so nothing can be
 * said either way.
 */
export type ChangeVerdict = 'real' | 'within-noise' | 'no-intervals' | 'too-few';

export interface ComparedSize {
  power: number;
  before?: PowerValueStats;
  after?: PowerValueStats;
  /** after / before − 1, when both sizes were measured. */
  durationChange?: number;
  p90Change?: number;
  costChange?: number;
  /** Whether each change is more than noise; set along with the change. */
  durationVerdict?: ChangeVerdict;
  p90Verdict?: ChangeVerdict;
  costVerdict?: ChangeVerdict;
}

export interface Comparison {
  labels: { before: string; after: string };
  /** null: that run had no recommendation (no size met its constraints). */
  recommended: { before: number | null; after: number | null };
  currency: { before: TuningOutput['currency']; after: TuningOutput['currency'] };
  /** Whether each result carries intervals (results of older runs do not). */
  intervals: { before: boolean; after: boolean };
  /** The confidence level of each result's intervals, when known. */
  confidence: { before?: number; after?: number };
  sizes: ComparedSize[];
  /** Set when the recommendation moved between sizes one of the runs could not tell apart. */
  recommendationNote?: string;
  warnings: string[];
}

/** Null (an infeasible size's averages) has no change. */
function change(after: number | null, before: number | null): number | undefined {
  if (after === null || before === null) return undefined;
  return before > 0 && Number.isFinite(after) && Number.isFinite(before) ? after / before - 1 : undefined;
}

function usable(i: Interval | undefined): i is Interval {
  return i !== undefined && !Number.isNaN(i.lower) && !Number.isNaN(i.upper);
}

/**
 * Non-overlap is the conservative test: when two 95% intervals are apart, the difference of the
 * averages is significant at 5% or better (far better when the two widths are alike), so a
 * "real" change is rarely noise; the price is that some real but small changes read as noise.
 */
export function changeVerdict(
  before: Interval | undefined,
  after: Interval | undefined,
  guaranteed = true,
): ChangeVerdict {
  if (!usable(before) || !usable(after)) return 'no-intervals';
  if (!guaranteed) return 'too-few';
  return intervalsApart(before, after) ? 'real' : 'within-noise';
}

export function compareResults(
  before: TuningOutput,
  after: TuningOutput,
  labels = { before: 'A', after: 'B' },
): Comparison {
  const bySize = (list: PowerValueStats[]) => new Map(list.map((s) => [s.power, s]));
  const a = bySize(before.results);
  const b = bySize(after.results);
  const powers = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y);
  const sizes = powers.map((power) => {
    const row: ComparedSize = { power };
    const x = a.get(power);
    const y = b.get(power);
    if (x) row.before = x;
    if (y) row.after = y;
    if (x?.feasible && y?.feasible) {
      row.durationChange = change(y.averageDuration, x.averageDuration);
      row.p90Change = change(y.p90, x.p90);
      row.costChange = change(y.averagePrice, x.averagePrice);
      row.durationVerdict = changeVerdict(x.durationInterval, y.durationInterval);
      // An unbounded p90 interval is only the measured range: with so few invocations (under
      // 36 at 95%) neither a separation nor an overlap of two of them says anything.
      row.p90Verdict = changeVerdict(
        x.p90Interval,
        y.p90Interval,
        (x.p90Interval?.bounded ?? false) && (y.p90Interval?.bounded ?? false),
      );
      row.costVerdict = changeVerdict(x.priceInterval, y.priceInterval);
    }
    return row;
  });
  const warnings: string[] = [];
  if (before.functionName !== after.functionName) {
    warnings.push(
      `The results are for different functions: ${before.functionName} and ${after.functionName}.`,
    );
  }
  if (before.architecture !== after.architecture) {
    warnings.push(`Different architectures: ${before.architecture} and ${after.architecture}.`);
  }
  if (before.region !== after.region)
    warnings.push(`Different regions: ${before.region} and ${after.region}.`);
  if (before.currency !== after.currency) {
    warnings.push(
      `Different currencies (${before.currency} and ${after.currency}): cost changes are not shown.`,
    );
    for (const s of sizes) {
      delete s.costChange;
      delete s.costVerdict;
    }
  }
  if (before.strategy !== after.strategy) {
    warnings.push(`Different strategies: "${before.strategy}" and "${after.strategy}".`);
  }
  const levels = { before: before.confidence?.level, after: after.confidence?.level };
  if (levels.before !== undefined && levels.after !== undefined && levels.before !== levels.after) {
    warnings.push(
      `The intervals are at different confidence levels (${formatLevel(levels.before)} and ${formatLevel(levels.after)}).`,
    );
  }
  const note = recommendationNote(labels, before, after);
  return {
    labels,
    recommended: { before: before.power, after: after.power },
    currency: { before: before.currency, after: after.currency },
    intervals: { before: hasStatistics(before), after: hasStatistics(after) },
    confidence: {
      ...(levels.before !== undefined ? { before: levels.before } : {}),
      ...(levels.after !== undefined ? { after: levels.after } : {}),
    },
    sizes,
    ...(note ? { recommendationNote: note } : {}),
    warnings,
  };
}

/** From each run's equivalent sizes: a moved recommendation that may be noise says so. */
function recommendationNote(
  labels: Comparison['labels'],
  before: TuningOutput,
  after: TuningOutput,
): string | undefined {
  const { before: A, after: B } = labels;
  if (before.power === after.power || before.power === null || after.power === null) return undefined;
  const inA = before.equivalentSizes?.includes(after.power) ?? false;
  const inB = after.equivalentSizes?.includes(before.power) ?? false;
  if (!inA && !inB) return undefined;
  const where = inA && inB ? `${A} and ${B}` : inA ? A : B;
  return `${before.power} MB and ${after.power} MB could not be told apart in ${where}, so the move may be noise.`;
}

/** The comparison as text; its warnings are not in it (the CLI prints them on stderr). */
export function renderComparison(cmp: Comparison, style: Style = makeStyle(false)): string {
  const { before: A, after: B } = cmp.labels;
  const table = new Table({
    head: [
      'Memory (MB)',
      `Avg ms ${A}`,
      `Avg ms ${B}`,
      'Δ duration',
      `p90 ${A}`,
      `p90 ${B}`,
      'Δ p90',
      `Cost ${A}`,
      `Cost ${B}`,
      'Δ cost',
    ],
    style: { head: [], border: [] },
    chars: COMPACT,
    colAligns: ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  const cell = (s: PowerValueStats | undefined, f: (s: PowerValueStats) => string) =>
    s === undefined ? 'not tested' : s.feasible ? f(s) : 'infeasible';
  const spread = (estimate: number | null, interval: Interval | undefined) =>
    interval && estimate !== null ? ` ${formatSpread(estimate, interval)}` : '';
  const delta = (value: number | undefined, verdict: ChangeVerdict | undefined) => {
    if (value === undefined) return '-';
    const text = formatChange(value);
    if (verdict === 'within-noise') return style.dim(`within noise (${text})`);
    if (verdict === 'too-few') return style.dim(`${text} (too few to tell)`);
    return value < -0.005 ? style.good(text) : value > 0.005 ? style.bad(text) : text;
  };
  for (const size of cmp.sizes) {
    const marks = [
      size.power === cmp.recommended.before ? A : '',
      size.power === cmp.recommended.after ? B : '',
    ].filter(Boolean);
    table.push([
      marks.length ? `${size.power} ★${marks.join('')}` : String(size.power),
      cell(size.before, (s) => formatMs(s.averageDuration) + spread(s.averageDuration, s.durationInterval)),
      cell(size.after, (s) => formatMs(s.averageDuration) + spread(s.averageDuration, s.durationInterval)),
      delta(size.durationChange, size.durationVerdict),
      cell(size.before, (s) => formatMs(s.p90)),
      cell(size.after, (s) => formatMs(s.p90)),
      delta(size.p90Change, size.p90Verdict),
      cell(
        size.before,
        (s) => formatMoney(s.averagePrice, cmp.currency.before) + spread(s.averagePrice, s.priceInterval),
      ),
      cell(
        size.after,
        (s) => formatMoney(s.averagePrice, cmp.currency.after) + spread(s.averagePrice, s.priceInterval),
      ),
      delta(size.costChange, size.costVerdict),
    ]);
  }
  const rec =
    cmp.recommended.before === cmp.recommended.after
      ? `Recommendation unchanged: ${sizeOrNone(cmp.recommended.after)}.`
      : `Recommendation changed: ${sizeOrNone(cmp.recommended.before)} (${A}) → ${sizeOrNone(cmp.recommended.after)} (${B}).` +
        (cmp.recommendationNote ? ` ${cmp.recommendationNote}` : '');
  return [
    `${style.bold('Comparison')}: ${A} → ${B} (Δ = ${B} relative to ${A}; negative is faster or cheaper)`,
    table.toString(),
    ...noiseLines(cmp, style),
    rec,
  ].join('\n');
}

/** What the Δ columns mean here, and which changes are real. */
function noiseLines(cmp: Comparison, style: Style): string[] {
  const { before: A, after: B } = cmp.labels;
  const missing = [cmp.intervals.before ? '' : A, cmp.intervals.after ? '' : B].filter(Boolean);
  if (missing.length > 0) {
    const who = missing.length === 2 ? `${A} and ${B} have` : `${missing[0]} has`;
    return [
      style.dim(
        `No intervals (older run): ${who} no confidence intervals, so each Δ is a difference of averages and may be noise.`,
      ),
    ];
  }
  const level = cmp.confidence.before ?? cmp.confidence.after;
  const lines = [
    style.dim(
      `A change is real only when the two runs' ${level === undefined ? '' : `${formatLevel(level)} `}confidence intervals ` +
        '(± on the averages) do not overlap; otherwise it is within noise.',
    ),
  ];
  const compared = cmp.sizes.filter((s) => s.durationVerdict !== undefined);
  const real = compared
    .map((s) => {
      const parts = [
        s.durationVerdict === 'real' && s.durationChange !== undefined
          ? `duration ${formatChange(s.durationChange)}`
          : '',
        s.p90Verdict === 'real' && s.p90Change !== undefined ? `p90 ${formatChange(s.p90Change)}` : '',
        s.costVerdict === 'real' && s.costChange !== undefined ? `cost ${formatChange(s.costChange)}` : '',
      ].filter(Boolean);
      return parts.length > 0 ? `${s.power} MB ${parts.join(', ')}` : '';
    })
    .filter(Boolean);
  if (real.length > 0) lines.push(`Real changes: ${real.join('; ')}.`);
  else if (compared.length > 0)
    lines.push('No real change: every duration and cost difference is within noise.');
  return lines;
}

const sizeOrNone = (power: number | null) =>
  power === null ? 'none (no size met the constraints)' : `${power} MB`;
