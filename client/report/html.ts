/**
 * The tuning report: one self-contained HTML file (inline CSS and SVG, no script, no network)
 * with the recommendation and why, charts drawn only at the tested sizes, every figure in a
 * table, the infeasible sizes, the input used, and the original's visualization link.
 */
import { hasAverages } from '../../domain/analysis.js';
import type { PowerTuningInput, TuningOutput } from '../../domain/types.js';
import { blendLegend, isBlended } from '../format/cold.js';
import { constraintsLead } from '../format/constraints.js';
import { monthlyCaption, monthlyRows } from '../format/monthly.js';
import { explainRecommendation } from '../format/recommendation.js';
import { confidenceTerms, equivalentToChoice, invocationsText, statementBody } from '../format/confidence.js';
import { hasStatistics, resultRows, type ResultRow } from '../format/result-rows.js';
import { formatLevel, formatMoney, formatMs, formatRange } from '../format/units.js';
import { formatTimestamp } from '../format/time.js';
import {
  chartBounds,
  constraintsLegend,
  costChartNote,
  durationChartNote,
  verdictTooltip,
} from './constraints.js';
import { escapeHtml } from './escape.js';
import { tableHead, tableRow } from './results-table.js';
import { REPORT_CSS } from './styles.js';
import { dotChart, plainTick, scatterChart, type DotPoint } from './svg-chart.js';
import { tuningCostText } from '../format/tuning-cost.js';
import { architecturesSection } from './architectures.js';
import { explorationSection } from './exploration.js';

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
  const bounds = chartBounds(output);
  const lead = constraintsLead(output);
  const recommended = output.power !== null;
  const blended = isBlended(output);
  const blend = blendLegend(output);
  /** The size's verdict on the constraints, for the charts' shading (absent without them). */
  const verdictOf = (r: ResultRow) => (r.constraints ? { verdict: r.constraints.verdict } : {});

  const durationChart = dotChart({
    id: 'duration-chart',
    title: 'Duration per invocation by memory size',
    xTitle: 'Memory (MB), tested sizes only',
    yTitle: 'Duration (ms)',
    format: formatMs,
    formatTick: plainTick,
    ...(bounds.duration ? { bound: bounds.duration } : {}),
    // With a cold-start rate, the cold invocations' duration beside each size's (warm) dot.
    ...(blended ? { secondKey: 'cold invocation, init included' } : {}),
    points: rows.map((r) => ({
      category: String(r.power),
      ...(blended ? coldMarker(r) : {}),
      ...(hasAverages(r.stats)
        ? { value: r.stats.averageDuration, low: r.stats.p50, high: r.stats.p90 }
        : {}),
      ...(r.feasible && r.stats.durationInterval
        ? { errorLow: r.stats.durationInterval.lower, errorHigh: r.stats.durationInterval.upper }
        : {}),
      highlight: r.recommended,
      ...verdictOf(r),
      tooltip: hasAverages(r.stats)
        ? `${r.power} MB: average ${formatMs(r.stats.averageDuration)} ms${ci(r.stats.durationInterval, formatMs, ' ms')}, p50 ${formatMs(r.stats.p50)} ms, p90 ${formatMs(r.stats.p90)} ms, p99 ${formatMs(r.stats.p99)} ms${verdictTooltip(r, output)}`
        : `${r.power} MB: infeasible (${r.stats.infeasibleReason ?? 'unknown'})`,
    })),
  });
  // Charts show cost per million invocations: $11.70 reads better than $0.0000117.
  const perMillion = money;
  // The cost axis of the cost chart and of the trade-off chart: the two must read alike.
  const costAxis = { title: `Cost per 1M invocations (${output.currency})`, format: perMillion };
  const costChart = dotChart({
    id: 'cost-chart',
    title: 'Average cost per million invocations by memory size',
    xTitle: 'Memory (MB), tested sizes only',
    yTitle: costAxis.title,
    format: costAxis.format,
    ...(bounds.cost ? { bound: bounds.cost } : {}),
    points: rows.map((r) => ({
      category: String(r.power),
      ...(hasAverages(r.stats) ? { value: r.stats.averagePrice * 1e6 } : {}),
      ...(r.feasible && r.stats.priceInterval
        ? { errorLow: r.stats.priceInterval.lower * 1e6, errorHigh: r.stats.priceInterval.upper * 1e6 }
        : {}),
      highlight: r.recommended,
      ...verdictOf(r),
      tooltip: hasAverages(r.stats)
        ? `${r.power} MB: ${money(r.stats.averagePrice)} per invocation${ci(r.stats.priceInterval, money)}${verdictTooltip(r, output)}`
        : `${r.power} MB: infeasible (${r.stats.infeasibleReason ?? 'unknown'})`,
    })),
  });
  const measured = rows.flatMap((r) => (hasAverages(r.stats) ? [{ row: r, stats: r.stats }] : []));
  const tradeOffChart = scatterChart({
    id: 'tradeoff-chart',
    title: 'Cost against duration (lower left is cheaper and faster)',
    xTitle: 'Average duration (ms)',
    yTitle: costAxis.title,
    formatX: plainTick,
    formatY: costAxis.format,
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
      ...verdictOf(row),
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
${
  recommended
    ? `<div class="headline">Recommended: ${escapeHtml(why.headline)}</div>\n` +
      (lead ? `<p class="lead" id="constraints">${escapeHtml(lead)}</p>\n` : '')
    : // No recommendation: the sentence saying why is the headline.
      `<div class="headline none" id="constraints">${escapeHtml(lead ?? why.headline)}</div>\n`
}<ul>${why.reasons
    // A model exploration's statement leads its own section below.
    .filter((r) => r !== output.exploration?.statement)
    .map((r) => `<li>${escapeHtml(r)}</li>`)
    .join('')}</ul>
${output.monthly ? `<p class="lead" id="monthly-statement">${escapeHtml(output.monthly.statement)}</p>\n` : ''}${confidenceHtml(output)}
</section>

${architecturesSection(output)}${explorationSection(output)}<h2>Charts</h2>
<div class="charts">
<figure>${durationChart}<figcaption class="caption">${
    statistics
      ? `Dot: trimmed mean (discardTopBottom); dark error bar: its confidence interval${level ? ` (${level})` : ''}; pale band: p50 to p90.`
      : 'Dot: trimmed mean (discardTopBottom); bar: p50 to p90.'
  }${blended ? ' Diamond beside the dot: the cold invocations’ average duration, init included (the dot is the warm invocations’).' : ''} Only the tested sizes are drawn: no line joins them, because nothing was measured in between.${escapeHtml(durationChartNote(output))}</figcaption></figure>
<figure>${costChart}<figcaption class="caption">Average cost of a million invocations at each size, request fee included (the table has the cost of one)${
    statistics ? `, with its confidence interval${level ? ` (${level})` : ''} as an error bar` : ''
  }. A cross marks a size that could not be measured.${escapeHtml(costChartNote(output))}</figcaption></figure>
<figure>${tradeOffChart}<figcaption class="caption">Each point is one tested size${
    statistics ? ', with error bars for both figures' : ''
  }. Sizes further down and to the left are both cheaper and faster${
    recommended ? '; the recommendation is highlighted' : ''
  }${output.constraints ? '; hollow markers fail the constraints' : ''}.</figcaption></figure>
</div>

<h2>Every figure</h2>
<div class="table-wrap">
<table id="results">
<thead><tr>${tableHead(statistics, level, output)}</tr></thead>
<tbody>
${rows.map((r) => tableRow(r, statistics, money, output)).join('\n')}
</tbody>
</table>
</div>
<p class="caption">${
    recommended
      ? 'Rel. cost and Rel. speed compare each size with the recommended one: 2.00× cost is twice the cost per invocation, 2.00× speed is twice as fast.'
      : 'No size was recommended, so Rel. cost and Rel. speed are empty.'
  }${blend ? ` ${escapeHtml(blend)}` : ''}${
    statistics
      ? ` Under a figure: its confidence interval${level ? ` (${level})` : ''}; a p90 interval marked * is only the measured range (too few invocations to bound p90 at this confidence).` +
        (recommended
          ? ` Standing is against the best size under the strategy: ✓ chosen; ≈ the best estimate, or shown within the tolerance of it; ? not yet shown equivalent or worse; blank: shown worse.`
          : '')
      : ''
  }${constraintsLegend(output)} ${escapeHtml(tuningCostText(output))}.</p>

${monthlySection(output)}<h2>Infeasible sizes</h2>
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

/** A size's cold invocations on the duration chart: their average duration beside the warm dot. */
function coldMarker(r: ResultRow): Pick<DotPoint, 'second'> {
  const cold = r.stats.cold;
  if (!r.feasible || !cold || cold.averageDuration === null) return {};
  return {
    second: {
      value: cold.averageDuration,
      tooltip: `${r.power} MB: cold invocation ${formatMs(cold.averageDuration)} ms on average, init ${formatMs(cold.averageInitDuration)} ms (${cold.invocations} measured)`,
    },
  };
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
  if (output.equivalentSizes !== undefined && output.power !== null) {
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

/** Each size's monthly cost with its interval, when the run knew the volume. */
function monthlySection(output: TuningOutput): string {
  const caption = monthlyCaption(output);
  if (!caption) return '';
  const rows = monthlyRows(output)
    .map(
      (r) =>
        `<tr${r.chosen ? ' class="chosen"' : ''}><td>${r.chosen ? '★ ' : ''}${r.power}</td><td>${escapeHtml(r.cost)}</td>` +
        `<td>${escapeHtml(r.interval)}</td><td>${[r.chosen ? 'recommended' : '', r.today ? 'today' : ''].filter(Boolean).join(', ')}</td></tr>`,
    )
    .join('\n');
  return `<h2>Monthly cost</h2>
<p class="caption">${escapeHtml(caption)}</p>
<div class="table-wrap">
<table id="monthly">
<thead><tr><th>Memory (MB)</th><th>Per month</th><th>Interval</th><th></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>

`;
}
