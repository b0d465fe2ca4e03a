/**
 * Two results side by side (typically before and after a code change): per memory size the
 * average duration, p90 and cost of each, and the change from the first to the second.
 */
import Table from 'cli-table3';
import { COMPACT } from './table-style.js';
import type { PowerValueStats, TuningOutput } from '../../domain/types.js';
import { makeStyle, type Style } from './style.js';
import { formatChange, formatMoney, formatMs } from './units.js';

export interface ComparedSize {
  power: number;
  before?: PowerValueStats;
  after?: PowerValueStats;
  /** after / before − 1, when both sizes were measured. */
  durationChange?: number;
  p90Change?: number;
  costChange?: number;
}

export interface Comparison {
  labels: { before: string; after: string };
  recommended: { before: number; after: number };
  currency: { before: TuningOutput['currency']; after: TuningOutput['currency'] };
  sizes: ComparedSize[];
  warnings: string[];
}

function change(after: number, before: number): number | undefined {
  return before > 0 && Number.isFinite(after) && Number.isFinite(before) ? after / before - 1 : undefined;
}

export function compareResults(
  before: TuningOutput,
  after: TuningOutput,
  labels = { before: 'A', after: 'B' },
): Comparison {
  const feasible = (list: PowerValueStats[]) => new Map(list.map((s) => [s.power, s]));
  const a = feasible(before.results);
  const b = feasible(after.results);
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
    for (const s of sizes) delete s.costChange;
  }
  if (before.strategy !== after.strategy) {
    warnings.push(`Different strategies: "${before.strategy}" and "${after.strategy}".`);
  }
  return {
    labels,
    recommended: { before: before.power, after: after.power },
    currency: { before: before.currency, after: after.currency },
    sizes,
    warnings,
  };
}

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
  const delta = (value: number | undefined) => {
    if (value === undefined) return '-';
    const text = formatChange(value);
    return value < -0.005 ? style.good(text) : value > 0.005 ? style.bad(text) : text;
  };
  for (const size of cmp.sizes) {
    const marks = [
      size.power === cmp.recommended.before ? A : '',
      size.power === cmp.recommended.after ? B : '',
    ].filter(Boolean);
    table.push([
      marks.length ? `${size.power} ★${marks.join('')}` : String(size.power),
      cell(size.before, (s) => formatMs(s.averageDuration)),
      cell(size.after, (s) => formatMs(s.averageDuration)),
      delta(size.durationChange),
      cell(size.before, (s) => formatMs(s.p90)),
      cell(size.after, (s) => formatMs(s.p90)),
      delta(size.p90Change),
      cell(size.before, (s) => formatMoney(s.averagePrice, cmp.currency.before)),
      cell(size.after, (s) => formatMoney(s.averagePrice, cmp.currency.after)),
      delta(size.costChange),
    ]);
  }
  const rec =
    cmp.recommended.before === cmp.recommended.after
      ? `Recommendation unchanged: ${cmp.recommended.after} MB.`
      : `Recommendation changed: ${cmp.recommended.before} MB (${A}) → ${cmp.recommended.after} MB (${B}).`;
  return [
    `${style.bold('Comparison')}: ${A} → ${B} (Δ = ${B} relative to ${A}; negative is faster or cheaper)`,
    table.toString(),
    rec,
    ...cmp.warnings.map((w) => `Warning: ${w}`),
  ].join('\n');
}
