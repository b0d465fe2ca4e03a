/** The result as a terminal table, followed by the recommendation and the tuning's cost. */
import Table from 'cli-table3';
import { COMPACT } from './table-style.js';
import type { Interval, TuningOutput } from '../../domain/types.js';
import { confidenceTerms, equivalentToChoice, invocationsText, statementBody } from './confidence.js';
import { shortReason } from './reason.js';
import { explainRecommendation } from './recommendation.js';
import { errorText, hasStatistics, resultRows, standingLabel } from './result-rows.js';
import { makeStyle, type Style } from './style.js';
import { formatLevel, formatMoney, formatMs, formatRatio, formatSpread } from './units.js';

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

/** Inserted before Notes when the output carries the decision's statistics. */
export const STANDING_HEADER = 'Standing';

/** `1144 ±3.1%` when the figure has an interval, else the figure alone (older runs). */
function withSpread(text: string, estimate: number | null, interval: Interval | undefined): string {
  return interval && estimate !== null ? `${text} ${formatSpread(estimate, interval)}` : text;
}

/** Just the table, one row per tested size (the recommendation marked with ★). */
export function renderResultTable(output: TuningOutput, style: Style = makeStyle(false)): string {
  const statistics = hasStatistics(output);
  const head = statistics
    ? [...RESULT_TABLE_HEADERS.slice(0, -1), STANDING_HEADER, 'Notes']
    : RESULT_TABLE_HEADERS;
  const table = new Table({
    head,
    style: { head: [], border: [] },
    chars: COMPACT,
    colAligns: head.map((h): 'left' | 'right' => (h === STANDING_HEADER || h === 'Notes' ? 'left' : 'right')),
  });
  const level = output.confidence?.level;
  for (const row of resultRows(output)) {
    const s = row.stats;
    const notes: string[] = [];
    // With statistics the Standing column says "✓ chosen"; the note would repeat it.
    if (row.recommended && !statistics) notes.push(style.good('★ recommended'));
    if (!row.feasible)
      notes.push(style.bad(`infeasible: ${shortReason(s.infeasibleReason ?? 'unknown reason', 70)}`));
    // An infeasible size whose every invocation failed says so in its reason already.
    if (s.errors > 0 && (row.feasible || (s.errorRate !== undefined && s.errors < s.invocations)))
      notes.push(errorText(s, level));
    if ((s.allowedErrors ?? 0) > 0) notes.push(`${s.allowedErrors} allowed errors`);
    if (s.coldStarts > 0) notes.push(`${s.coldStarts} cold`);
    const num = (text: string) => (row.feasible ? text : '-');
    const memory = row.recommended ? style.bold(`★ ${row.power}`) : String(row.power);
    const standing = standingLabel(row);
    table.push([
      memory,
      String(s.invocations),
      num(withSpread(formatMs(s.averageDuration), s.averageDuration, s.durationInterval)),
      num(formatMs(s.p90)),
      num(withSpread(formatMoney(s.averagePrice, output.currency), s.averagePrice, s.priceInterval)),
      row.relativeCost === undefined ? '-' : formatRatio(row.relativeCost),
      row.relativeSpeed === undefined ? '-' : formatRatio(row.relativeSpeed),
      ...(statistics ? [row.recommended ? style.good(standing) : standing] : []),
      notes.join(', '),
    ]);
  }
  return table.toString();
}

/**
 * What backs the recommendation, for the lines under the table: the legend of ± and Standing,
 * the statement with whether it is settled, and the invocations against the fixed grid.
 * Empty for results of older runs, which have none of it.
 */
export function confidenceLines(output: TuningOutput, style: Style = makeStyle(false)): string[] {
  if (!hasStatistics(output)) return [];
  const c = output.confidence;
  const level = c ? formatLevel(c.level) : 'the run’s';
  const lines = [
    style.dim(
      `± is the half-width of the ${level} confidence interval of the average. Standing against the best size under strategy "${output.strategy}": ` +
        '✓ chosen; ≈ the best estimate, or shown within the tolerance of it; ? not yet shown equivalent or worse; blank: shown worse.',
    ),
  ];
  if (c) {
    lines.push(
      `${style.bold('Confidence:')} ${c.settled ? style.good('settled') : style.bad('not settled')} (${confidenceTerms(c)})`,
      `  ${statementBody(c)}`,
    );
  }
  const equivalent = equivalentToChoice(output);
  if (equivalent.length > 0)
    lines.push(
      `Statistically indistinguishable from the choice: ${equivalent.map((p) => `${p} MB`).join(', ')}`,
    );
  const invocations = invocationsText(output);
  if (invocations) lines.push(`Invocations: ${invocations}`);
  return lines;
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
    ...confidenceLines(output, style),
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
