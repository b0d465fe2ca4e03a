/**
 * The report's table of every figure: one row per tested size, each interval under its figure,
 * the standing and, with constraints, the size's verdict on them.
 */
import type { TuningOutput } from '../../domain/types.js';
import { coldCells, coldErrorText, COLD_HEADERS, isBlended } from '../format/cold.js';
import { shortReason } from '../format/reason.js';
import { standingLabel, type ResultRow } from '../format/result-rows.js';
import { formatMs, formatPercent, formatRange, formatRatio } from '../format/units.js';
import { constraintsCellHtml } from './constraints.js';
import { escapeHtml } from './escape.js';

/** Standing is against the choice: a result with statistics and a recommendation has it. */
function hasStanding(statistics: boolean, output: TuningOutput): boolean {
  return statistics && output.power !== null;
}

export function tableHead(statistics: boolean, level: string, output: TuningOutput): string {
  // With statistics, a figure's interval sits under it in its cell, so the table keeps its width.
  const ci = statistics ? `<br><small>${escapeHtml(level ? `${level} CI` : 'CI')}</small>` : '';
  const cells = [
    'Memory (MB)',
    'Invocations',
    `Errors${statistics ? '<br><small>rate (CI)</small>' : ''}`,
    'Cold starts',
    `Avg (ms)${ci}`,
    'p50 (ms)',
    `p90 (ms)${ci}`,
    'p99 (ms)',
    'Std dev (ms)',
    `Avg cost / invocation${ci}`,
    'Total cost',
    // With a cold-start rate: the cold and blended figures, which Rel. cost and Rel. speed compare.
    ...(isBlended(output) ? COLD_HEADERS.map(escapeHtml) : []),
    'Rel. cost',
    'Rel. speed',
  ];
  return (
    cells.map((c) => `<th>${c}</th>`).join('') +
    (hasStanding(statistics, output) ? '<th class="standing">Standing</th>' : '') +
    (output.constraints ? '<th class="constraints">Constraints</th>' : '') +
    '<th class="notes">Notes</th>'
  );
}

export function tableRow(
  r: ResultRow,
  statistics: boolean,
  money: (v: number | null) => string,
  output: TuningOutput,
): string {
  const s = r.stats;
  const n = (v: string) => (r.feasible ? escapeHtml(v) : '-');
  /** The figure, with its interval below it when the run has one. */
  const withRange = (
    text: string,
    i: { lower: number; upper: number } | undefined,
    f: (v: number) => string,
    mark = '',
  ) =>
    r.feasible && i
      ? `${escapeHtml(text)}<br><small>${escapeHtml(formatRange(i, f) + mark)}</small>`
      : n(text);
  const cls = r.recommended
    ? ' class="recommended"'
    : !r.feasible
      ? ' class="infeasible"'
      : r.constraints?.verdict === 'fails'
        ? ' class="fails"'
        : '';
  const notes = [
    r.recommended ? '★ recommended' : '',
    r.feasible ? '' : `infeasible: ${shortReason(s.infeasibleReason ?? 'unknown')}`,
    (s.allowedErrors ?? 0) > 0 ? `${s.allowedErrors} allowed errors counted` : '',
    coldErrorText(output, s) ?? '',
  ]
    .filter(Boolean)
    .join('; ');
  const errorRate =
    s.errorRate === undefined
      ? ''
      : `<br><small>${escapeHtml(
          `${formatPercent(s.errorRate)}${s.errorRateInterval ? ` (${formatRange(s.errorRateInterval, formatPercent)})` : ''}`,
        )}</small>`;
  const cold = coldCells(s, output.currency);
  const cells = [
    String(r.power),
    String(s.invocations),
    `${s.errors}${errorRate}`,
    String(s.coldStarts),
    withRange(formatMs(s.averageDuration), s.durationInterval, formatMs),
    n(formatMs(s.p50)),
    // A p90 interval that no rank backs is only the sample's range, not a guarantee: marked *.
    withRange(formatMs(s.p90), s.p90Interval, formatMs, s.p90Interval?.bounded === false ? '*' : ''),
    n(formatMs(s.p99)),
    n(formatMs(s.stdDev)),
    withRange(money(s.averagePrice), s.priceInterval, money),
    escapeHtml(money(s.totalCost)),
    ...(isBlended(output) ? COLD_HEADERS.map((h) => n(cold[h])) : []),
    r.relativeCost === undefined ? '-' : formatRatio(r.relativeCost),
    r.relativeSpeed === undefined ? '-' : formatRatio(r.relativeSpeed),
  ];
  return (
    `<tr${cls} data-power="${r.power}">${cells.map((c) => `<td>${c}</td>`).join('')}` +
    (hasStanding(statistics, output) ? `<td class="standing">${escapeHtml(standingLabel(r))}</td>` : '') +
    (output.constraints ? constraintsCellHtml(r, output) : '') +
    `<td class="notes">${escapeHtml(notes)}</td></tr>`
  );
}
