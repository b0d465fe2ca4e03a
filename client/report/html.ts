/**
 * The tuning report: one self-contained HTML file (inline CSS and SVG, no script, no network)
 * with the recommendation and why, charts drawn only at the tested sizes, every figure in a
 * table, the infeasible sizes, the input used, and the original's visualization link.
 */
import { hasAverages } from '../../domain/analysis.js';
import type { PowerTuningInput, TuningOutput } from '../../domain/types.js';
import { shortReason } from '../format/reason.js';
import { explainRecommendation } from '../format/recommendation.js';
import { confidenceTerms, equivalentToChoice, invocationsText, statementBody } from '../format/confidence.js';
import { hasStatistics, resultRows, standingLabel, type ResultRow } from '../format/result-rows.js';
import {
  formatLevel,
  formatMoney,
  formatMs,
  formatPercent,
  formatRange,
  formatRatio,
} from '../format/units.js';
import { formatTimestamp } from '../format/time.js';
import { escapeHtml } from './escape.js';
import { REPORT_CSS } from './styles.js';
import { dotChart, plainTick, scatterChart } from './svg-chart.js';

export interface ReportData {
  output: TuningOutput;
  /** The execution input, when known (from workflow history or --input). */
  input?: PowerTuningInput;
  workflowId?: string;
  runId?: string;
  /** When the tuning started and finished, when known. */
  startTime?: Date;
  closeTime?: Date;
  generatedAt?: Date;
  /** IANA zone the times are shown in (default: this machine's zone). */
  timeZone?: string;
}

export const HIDDEN_PAYLOAD = '(hidden: disablePayloadLogs is true)';

/** The input as shown in the report: the payload is withheld when the user asked for it. */
export function inputForDisplay(input: PowerTuningInput): PowerTuningInput {
  if (!input.disablePayloadLogs || input.payload === undefined) return input;
  return { ...input, payload: HIDDEN_PAYLOAD };
}

export function renderReport(data: ReportData): string {
  const { output } = data;
  const money = (v: number | null) => formatMoney(v, output.currency);
  const rows = resultRows(output);
  const why = explainRecommendation(output, data.input?.balancedWeight);
  const title = `Power tuning report: ${output.functionName}`;
  const statistics = hasStatistics(output);
  const level = output.confidence ? formatLevel(output.confidence.level) : '';
  /** ` (95% CI 780.1–819.9 ms)` for tooltips; empty without an interval. */
  const ci = (interval: { lower: number; upper: number } | undefined, f: (v: number) => string, unit = '') =>
    interval ? ` (${level ? `${level} ` : ''}CI ${formatRange(interval, f)}${unit})` : '';

  const durationChart = dotChart({
    id: 'duration-chart',
    title: 'Duration per invocation by memory size',
    xTitle: 'Memory (MB), tested sizes only',
    yTitle: 'Duration (ms)',
    format: formatMs,
    formatTick: plainTick,
    points: rows.map((r) => ({
      category: String(r.power),
      ...(hasAverages(r.stats)
        ? { value: r.stats.averageDuration, low: r.stats.p50, high: r.stats.p90 }
        : {}),
      ...(r.feasible && r.stats.durationInterval
        ? { errorLow: r.stats.durationInterval.lower, errorHigh: r.stats.durationInterval.upper }
        : {}),
      highlight: r.recommended,
      tooltip: hasAverages(r.stats)
        ? `${r.power} MB: average ${formatMs(r.stats.averageDuration)} ms${ci(r.stats.durationInterval, formatMs, ' ms')}, p50 ${formatMs(r.stats.p50)} ms, p90 ${formatMs(r.stats.p90)} ms, p99 ${formatMs(r.stats.p99)} ms`
        : `${r.power} MB: infeasible (${r.stats.infeasibleReason ?? 'unknown'})`,
    })),
  });
  // Charts show cost per million invocations: $11.70 reads better than $0.0000117.
  const perMillion = money;
  const costChart = dotChart({
    id: 'cost-chart',
    title: 'Average cost per million invocations by memory size',
    xTitle: 'Memory (MB), tested sizes only',
    yTitle: `Cost per 1M invocations (${output.currency})`,
    format: perMillion,
    points: rows.map((r) => ({
      category: String(r.power),
      ...(hasAverages(r.stats) ? { value: r.stats.averagePrice * 1e6 } : {}),
      ...(r.feasible && r.stats.priceInterval
        ? { errorLow: r.stats.priceInterval.lower * 1e6, errorHigh: r.stats.priceInterval.upper * 1e6 }
        : {}),
      highlight: r.recommended,
      tooltip: hasAverages(r.stats)
        ? `${r.power} MB: ${money(r.stats.averagePrice)} per invocation${ci(r.stats.priceInterval, money)}`
        : `${r.power} MB: infeasible (${r.stats.infeasibleReason ?? 'unknown'})`,
    })),
  });
  const measured = rows.flatMap((r) => (hasAverages(r.stats) ? [{ row: r, stats: r.stats }] : []));
  const tradeOffChart = scatterChart({
    id: 'tradeoff-chart',
    title: 'Cost against duration (lower left is cheaper and faster)',
    xTitle: 'Average duration (ms)',
    yTitle: `Cost per 1M invocations (${output.currency})`,
    formatX: plainTick,
    formatY: perMillion,
    points: measured.map(({ row, stats }) => ({
      x: stats.averageDuration,
      y: stats.averagePrice * 1e6,
      ...(stats.durationInterval
        ? { xLow: stats.durationInterval.lower, xHigh: stats.durationInterval.upper }
        : {}),
      ...(stats.priceInterval
        ? { yLow: stats.priceInterval.lower * 1e6, yHigh: stats.priceInterval.upper * 1e6 }
        : {}),
      label: `${row.power} MB`,
      highlight: row.recommended,
      tooltip: `${row.power} MB: ${formatMs(stats.averageDuration)} ms, ${money(stats.averagePrice)}`,
    })),
  });

  const meta = [
    ['Function', output.functionName],
    ['Region', output.region],
    ['Architecture', output.architecture],
    ['Strategy', output.strategy],
    ...(data.workflowId ? [['Workflow', data.workflowId]] : []),
    ...(data.startTime ? [['Started', formatTimestamp(data.startTime, data.timeZone)]] : []),
    ...(data.closeTime ? [['Finished', formatTimestamp(data.closeTime, data.timeZone)]] : []),
    ...(output.dryRun ? [['Mode', 'dry run (one invocation per size)']] : []),
    ...(output.optimized ? [['Applied', `the function was set to ${output.power} MB`]] : []),
  ]
    .map(([k, v]) => `<span><b>${escapeHtml(k ?? '')}:</b> ${escapeHtml(v ?? '')}</span>`)
    .join(' ');

  const infeasible = rows.filter((r) => !r.feasible);
  const input = data.input
    ? `<pre id="input">${escapeHtml(JSON.stringify(inputForDisplay(data.input), null, 2))}</pre>`
    : '<p class="caption" id="input">The input is not available for this result (pass --input to the report command to include it).</p>';

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${meta}</p>

<section class="card recommendation" id="recommendation">
<div class="headline">Recommended: ${escapeHtml(why.headline)}</div>
<ul>${why.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>
${confidenceHtml(output)}
</section>

<h2>Charts</h2>
<div class="charts">
<figure>${durationChart}<figcaption class="caption">${
    statistics
      ? `Dot: trimmed mean (discardTopBottom); dark error bar: its confidence interval${level ? ` (${level})` : ''}; pale band: p50 to p90.`
      : 'Dot: trimmed mean (discardTopBottom); bar: p50 to p90.'
  } Only the tested sizes are drawn: no line joins them, because nothing was measured in between.</figcaption></figure>
<figure>${costChart}<figcaption class="caption">Average cost of a million invocations at each size, request fee included (the table has the cost of one)${
    statistics ? `, with its confidence interval${level ? ` (${level})` : ''} as an error bar` : ''
  }. A cross marks a size that could not be measured.</figcaption></figure>
<figure>${tradeOffChart}<figcaption class="caption">Each point is one tested size${
    statistics ? ', with error bars for both figures' : ''
  }. Sizes further down and to the left are both cheaper and faster; the recommendation is highlighted.</figcaption></figure>
</div>

<h2>Every figure</h2>
<div class="table-wrap">
<table id="results">
<thead><tr>${tableHead(statistics, level)}</tr></thead>
<tbody>
${rows.map((r) => tableRow(r, statistics, money)).join('\n')}
</tbody>
</table>
</div>
<p class="caption">Rel. cost and Rel. speed compare each size with the recommended one: 2.00× cost is twice the cost per invocation, 2.00× speed is twice as fast.${
    statistics
      ? ` Under a figure: its confidence interval${level ? ` (${level})` : ''}; a p90 interval marked * is only the measured range (too few invocations to bound p90 at this confidence).` +
        ` Standing is against the best size under the strategy: ✓ chosen; ≈ the best estimate, or shown within the tolerance of it; ? not yet shown equivalent or worse; blank: shown worse.`
      : ''
  } Cost of this tuning: ${escapeHtml(money(output.stateMachine.lambdaCost))} of Lambda time.</p>

<h2>Infeasible sizes</h2>
${
  infeasible.length === 0
    ? '<p id="infeasible">None: every tested size could be measured.</p>'
    : `<ul id="infeasible">${infeasible.map((r) => `<li><b>${r.power} MB</b>: ${escapeHtml(r.stats.infeasibleReason ?? 'unknown reason')}</li>`).join('')}</ul>`
}

<h2>Input used</h2>
${input}

<h2>Original visualization</h2>
<p>For compatibility with the original tool: <a id="visualization" href="${escapeHtml(output.stateMachine.visualization)}">open these results in its visualization</a> (an external website; it draws lines between the tested sizes, which were not measured).</p>

<footer>Generated by powertune${data.generatedAt ? ` on ${escapeHtml(formatTimestamp(data.generatedAt, data.timeZone))}` : ''}. This file is self-contained and works offline.</footer>
</main>
</body>
</html>
`;
}

/** The statement behind the choice, the sizes it could not tell apart, and what it took. */
function confidenceHtml(output: TuningOutput): string {
  const c = output.confidence;
  const parts: string[] = [];
  if (c) {
    const verdict = c.settled
      ? '<span class="settled">Settled</span>'
      : '<span class="unsettled">Not settled</span>';
    parts.push(
      `<p class="confidence" id="confidence">${verdict} (${escapeHtml(confidenceTerms(c))}): ${escapeHtml(statementBody(c))}</p>`,
    );
  }
  if (output.equivalentSizes !== undefined) {
    const others = equivalentToChoice(output);
    const text =
      others.length > 0
        ? `Statistically indistinguishable from ${output.power} MB: ${others.map((p) => `${p} MB`).join(', ')}.`
        : `No other size is statistically indistinguishable from ${output.power} MB.`;
    parts.push(`<p class="facts" id="equivalent">${escapeHtml(text)}</p>`);
  }
  const invocations = invocationsText(output);
  if (invocations)
    parts.push(`<p class="facts" id="invocations">Invocations: ${escapeHtml(invocations)}.</p>`);
  return parts.join('\n');
}

function tableHead(statistics: boolean, level: string): string {
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
    'Rel. cost',
    'Rel. speed',
  ];
  return (
    cells.map((c) => `<th>${c}</th>`).join('') +
    (statistics ? '<th class="standing">Standing</th>' : '') +
    '<th class="notes">Notes</th>'
  );
}

function tableRow(r: ResultRow, statistics: boolean, money: (v: number | null) => string): string {
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
  const cls = r.recommended ? ' class="recommended"' : r.feasible ? '' : ' class="infeasible"';
  const notes = [
    r.recommended ? '★ recommended' : '',
    r.feasible ? '' : `infeasible: ${shortReason(s.infeasibleReason ?? 'unknown')}`,
    (s.allowedErrors ?? 0) > 0 ? `${s.allowedErrors} allowed errors counted` : '',
  ]
    .filter(Boolean)
    .join('; ');
  const errorRate =
    s.errorRate === undefined
      ? ''
      : `<br><small>${escapeHtml(
          `${formatPercent(s.errorRate)}${s.errorRateInterval ? ` (${formatRange(s.errorRateInterval, formatPercent)})` : ''}`,
        )}</small>`;
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
    r.relativeCost === undefined ? '-' : formatRatio(r.relativeCost),
    r.relativeSpeed === undefined ? '-' : formatRatio(r.relativeSpeed),
  ];
  return (
    `<tr${cls} data-power="${r.power}">${cells.map((c) => `<td>${c}</td>`).join('')}` +
    (statistics ? `<td class="standing">${escapeHtml(standingLabel(r))}</td>` : '') +
    `<td class="notes">${escapeHtml(notes)}</td></tr>`
  );
}
