/** The result as a terminal table, followed by the recommendation and the tuning's cost. */
import Table from 'cli-table3';
import { COMPACT } from './table-style.js';
import type { TuningOutput } from '../../domain/types.js';
import { shortReason } from './reason.js';
import { explainRecommendation } from './recommendation.js';
import { resultRows } from './result-rows.js';
import { makeStyle, type Style } from './style.js';
import { formatMoney, formatMs, formatRatio } from './units.js';

export const RESULT_TABLE_HEADERS = [
  'Memory (MB)',
  'Invocations',
  'Avg duration (ms)',
  'p90 (ms)',
  'Avg cost / invocation',
  'Rel. cost',
  'Rel. speed',
  'Notes',
];

/** Just the table, one row per tested size (the recommendation marked with ★). */
export function renderResultTable(output: TuningOutput, style: Style = makeStyle(false)): string {
  const table = new Table({
    head: RESULT_TABLE_HEADERS,
    style: { head: [], border: [] },
    chars: COMPACT,
    colAligns: ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  });
  for (const row of resultRows(output)) {
    const s = row.stats;
    const notes: string[] = [];
    if (row.recommended) notes.push(style.good('★ recommended'));
    if (!row.feasible)
      notes.push(style.bad(`infeasible: ${shortReason(s.infeasibleReason ?? 'unknown reason', 70)}`));
    if (s.errors > 0 && row.feasible) notes.push(`${s.errors} failed`);
    if ((s.allowedErrors ?? 0) > 0) notes.push(`${s.allowedErrors} allowed errors`);
    if (s.coldStarts > 0) notes.push(`${s.coldStarts} cold`);
    const num = (text: string) => (row.feasible ? text : '-');
    const memory = row.recommended ? style.bold(`★ ${row.power}`) : String(row.power);
    table.push([
      memory,
      String(s.invocations),
      num(formatMs(s.averageDuration)),
      num(formatMs(s.p90)),
      num(formatMoney(s.averagePrice, output.currency)),
      row.relativeCost === undefined ? '-' : formatRatio(row.relativeCost),
      row.relativeSpeed === undefined ? '-' : formatRatio(row.relativeSpeed),
      notes.join(', '),
    ]);
  }
  return table.toString();
}

/** Table, legend, recommendation with its reasons, and the cost of the tuning itself. */
export function renderResultSummary(
  output: TuningOutput,
  opts: { style?: Style; balancedWeight?: number } = {},
): string {
  const style = opts.style ?? makeStyle(false);
  const text = explainRecommendation(output, opts.balancedWeight);
  const lines = [
    `${style.bold('Power tuning result')} for ${output.functionName} (${output.region}, ${output.architecture})${output.dryRun ? ' — dry run' : ''}`,
    renderResultTable(output, style),
    style.dim(
      'Rel. cost and Rel. speed compare each size with the recommended one (★): 2.00× cost = twice the cost per invocation, 2.00× speed = twice as fast.',
    ),
    '',
    `${style.bold('Recommended:')} ${text.headline} (strategy "${output.strategy}")`,
    ...text.reasons.map((r) => `  - ${r}`),
    '',
    `Cost of this tuning: ${formatMoney(output.stateMachine.lambdaCost, output.currency)} of Lambda time` +
      (output.optimized ? `; the function was set to ${output.power} MB` : ''),
    `Chart (original visualization): ${output.stateMachine.visualization}`,
  ];
  return lines.join('\n');
}
