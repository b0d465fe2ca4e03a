/** The result as a terminal table, followed by the recommendation and the tuning's cost. */
import Table from 'cli-table3';
import { COMPACT } from './table-style.js';
import type { Interval, TuningOutput } from '../../domain/types.js';
import { blendLegend, coldCells, coldErrorText, COLD_HEADERS, isBlended } from './cold.js';
import { monthlyLines } from './monthly.js';
import { tuningCostText } from './tuning-cost.js';
import { confidenceTerms, equivalentToChoice, invocationsText, statementBody } from './confidence.js';
import { shortReason } from './reason.js';
import { explainRecommendation } from './recommendation.js';
import { constraintsLead, verdictLegend, verdictText } from './constraints.js';
import { errorText, hasStatistics, resultRows, standingLabel, type ResultRow } from './result-rows.js';
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

/** Inserted before Notes when the run had constraints: each size's verdict on them. */
export const CONSTRAINTS_HEADER = 'Constraints';

/** Columns compared with the recommended size: none without a recommendation. */
const RELATIVE_HEADERS = ['Rel. cost', 'Rel. speed'];

/** `1144 ±3.1%` when the figure has an interval, else the figure alone (older runs). */
function withSpread(text: string, estimate: number | null, interval: Interval | undefined): string {
  return interval && estimate !== null ? `${text} ${formatSpread(estimate, interval)}` : text;
}

/**
 * The table's columns: Standing with the decision's statistics, Constraints with constraints;
 * without a recommendation (no size met the constraints) nothing is relative to one, so Rel. cost,
 * Rel. speed and Standing are left out.
 */
function tableHead(output: TuningOutput): string[] {
  const recommended = output.power !== null;
  // With a cold-start rate, the cold and blended figures come after the warm ones, just before
  // Rel. cost and Rel. speed, which compare the blended figures.
  const figures = RESULT_TABLE_HEADERS.slice(0, -1).flatMap((h) =>
    h === 'Avg cost / invocation' && isBlended(output) ? [h, ...COLD_HEADERS] : [h],
  );
  return [
    ...figures.filter((h) => recommended || !RELATIVE_HEADERS.includes(h)),
    ...(hasStatistics(output) && recommended ? [STANDING_HEADER] : []),
    ...(output.constraints ? [CONSTRAINTS_HEADER] : []),
    'Notes',
  ];
}

/** Just the table, one row per tested size (the recommendation marked with ★). */
export function renderResultTable(output: TuningOutput, style: Style = makeStyle(false)): string {
  const statistics = hasStatistics(output);
  const head = tableHead(output);
  const left = [STANDING_HEADER, CONSTRAINTS_HEADER, 'Notes'];
  const table = new Table({
    head,
    style: { head: [], border: [] },
    chars: COMPACT,
    colAligns: head.map((h): 'left' | 'right' => (left.includes(h) ? 'left' : 'right')),
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
    const coldErrors = coldErrorText(output, s);
    if (coldErrors) notes.push(coldErrors);
    const num = (text: string) => (row.feasible ? text : '-');
    const memory = row.recommended ? style.bold(`★ ${row.power}`) : String(row.power);
    const standing = standingLabel(row);
    const cold = coldCells(s, output.currency);
    const cells: Record<string, string> = {
      ...Object.fromEntries(COLD_HEADERS.map((h) => [h, num(cold[h])])),
      'Memory (MB)': memory,
      Invocations: String(s.invocations),
      'Avg duration (ms)': num(
        withSpread(formatMs(s.averageDuration), s.averageDuration, s.durationInterval),
      ),
      'p90 (ms)': num(formatMs(s.p90)),
      'Avg cost / invocation': num(
        withSpread(formatMoney(s.averagePrice, output.currency), s.averagePrice, s.priceInterval),
      ),
      'Rel. cost': row.relativeCost === undefined ? '-' : formatRatio(row.relativeCost),
      'Rel. speed': row.relativeSpeed === undefined ? '-' : formatRatio(row.relativeSpeed),
      [STANDING_HEADER]: row.recommended ? style.good(standing) : standing,
      [CONSTRAINTS_HEADER]: constraintsCell(row, output, style),
      Notes: notes.join(', '),
    };
    table.push(head.map((h) => cells[h] ?? ''));
  }
  return table.toString();
}

/** The size's verdict on the constraints, coloured; empty for a size not judged (infeasible). */
function constraintsCell(row: ResultRow, output: TuningOutput, style: Style): string {
  if (!row.constraints || !output.constraints) return '';
  const text = verdictText(row.constraints, output.constraints, output.currency);
  return row.constraints.verdict === 'meets'
    ? style.good(text)
    : row.constraints.verdict === 'fails'
      ? style.bad(text)
      : text;
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
  // Without a recommendation there is no Standing column to explain.
  const standing =
    output.power === null
      ? ''
      : ` Standing against the best size under strategy "${output.strategy}": ` +
        '✓ chosen; ≈ the best estimate, or shown within the tolerance of it; ? not yet shown equivalent or worse; blank: shown worse.';
  const lines = [
    style.dim(`± is the half-width of the ${level} confidence interval of the average.${standing}`),
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
  const lead = constraintsLead(output);
  const recommended = output.power !== null;
  const monthly = monthlyLines(output);
  const blend = blendLegend(output);
  const lines = [
    // The sentences a user repeats come first: the constraints met, the money against today.
    ...(lead ? [recommended ? style.good(lead) : style.bad(lead)] : []),
    ...(output.monthly ? [style.bold(output.monthly.statement)] : []),
    `${style.bold('Power tuning result')} for ${output.functionName} (${output.region}, ${output.architecture})${output.dryRun ? ' — dry run' : ''}`,
    renderResultTable(output, style),
    ...(recommended
      ? [
          style.dim(
            'Rel. cost and Rel. speed compare each size with the recommended one (★): 2.00× cost = twice the cost per invocation, 2.00× speed = twice as fast.',
          ),
        ]
      : []),
    ...(blend ? [style.dim(blend)] : []),
    ...(output.constraints ? [style.dim(verdictLegend(output.constraints))] : []),
    ...confidenceLines(output, style),
    '',
    recommended
      ? `${style.bold('Recommended:')} ${text.headline} (strategy "${output.strategy}")`
      : `${style.bold(text.headline)} (strategy "${output.strategy}")`,
    ...text.reasons.map((r) => `  - ${r}`),
    ...(monthly.length > 0 ? ['', ...monthly] : []),
    '',
    tuningCostText(output) + (output.optimized ? `; the function was set to ${output.power} MB` : ''),
    `Chart (original visualization): ${output.stateMachine.visualization}`,
  ];
  return lines.join('\n');
}
