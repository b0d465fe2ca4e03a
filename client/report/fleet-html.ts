/**
 * The fleet report: one self-contained HTML file (inline CSS, no script, nothing from the
 * network) with every function's current size against the recommendation, the monthly savings
 * where the volume is known, how sure each decision is, and a link to each tuning's run.
 */
import type { FleetOutput } from '../../domain/fleet-types.js';
import { formatTimestamp } from '../format/time.js';
import { escapeHtml } from './escape.js';
import { countsText, fleetRows, savingsText, type ChangeCell, type FleetRow } from './fleet-rows.js';
import { REPORT_CSS } from './styles.js';

export interface FleetReportData {
  output: FleetOutput;
  workflowId?: string;
  startTime?: Date;
  closeTime?: Date;
  generatedAt?: Date;
  /** IANA zone the times are shown in (default: this machine's zone). */
  timeZone?: string;
  /** The Web UI page of a run, when the UI's address is known (links are left out otherwise). */
  runUrl?: (workflowId: string, runId?: string) => string | undefined;
}

/** What the fleet page adds to the report's stylesheet. */
const FLEET_CSS = `
.summary .headline { font-size: 20px; font-weight: 600; }
.summary .totals { font-size: 16px; margin: 6px 0 0; }
td.name, th.name, td.status, th.status { text-align: left; }
td.change { font-weight: 600; color: var(--best); }
tr.failed td, tr.locked td, tr.cancelled td { color: var(--bad); }
tr.reason td { text-align: left; white-space: normal; font-size: 12px; padding-top: 0; }
tr.has-reason td { border-bottom: none; }
td.confidence[title] { text-decoration: underline dotted; cursor: help; }
`;

function link(url: string | undefined, text: string, cls: string): string {
  return url ? `<a class="${cls}" href="${escapeHtml(url)}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

/** The recommendation's figure, today's under it with the change. */
function changeHtml(cell: ChangeCell): string {
  const today = cell.from === undefined ? '' : `today ${cell.from}${cell.change ? `, ${cell.change}` : ''}`;
  return `${escapeHtml(cell.to ?? '-')}${today ? `<br><small>${escapeHtml(today)}</small>` : ''}`;
}

const COLUMNS = 8;

function rowHtml(row: FleetRow, data: FleetReportData): string {
  const url = data.runUrl?.(row.childWorkflowId, row.childRunId);
  // Why a function was not tuned, or why there is no recommendation: on a line of its own.
  const reason = row.status !== 'tuned' || row.recommended === 'none' ? row.detail : '';
  const statement = row.status === 'tuned' && !reason ? row.detail : '';
  const cells = [
    `<td class="name">${link(url, row.functionName, 'run-link')}<br><small>${escapeHtml(row.location)}</small></td>`,
    `<td class="status">${escapeHtml(row.statusText)}</td>`,
    `<td>${escapeHtml(row.current)}</td>`,
    `<td${row.change ? ' class="change"' : ''}>${escapeHtml(row.recommended)}</td>`,
    `<td class="cost">${changeHtml(row.cost)}</td>`,
    `<td class="duration">${changeHtml(row.duration)}</td>`,
    `<td class="monthly">${escapeHtml(row.monthly)}${row.monthlyRange ? `<br><small>${escapeHtml(row.monthlyRange)}</small>` : ''}</td>`,
    `<td class="confidence"${statement ? ` title="${escapeHtml(statement)}"` : ''}>${escapeHtml(row.confidence)}</td>`,
  ];
  const main = `<tr class="${row.status}${reason ? ' has-reason' : ''}" data-function="${escapeHtml(row.functionName)}">${cells.join('')}</tr>`;
  return reason
    ? `${main}\n<tr class="reason ${row.status}"><td colspan="${COLUMNS}">${escapeHtml(reason)}</td></tr>`
    : main;
}

export function renderFleetReport(data: FleetReportData): string {
  const { output } = data;
  const rows = fleetRows(output);
  const title = `Fleet tuning report: ${output.selection}`;
  const fleetUrl = data.workflowId ? data.runUrl?.(data.workflowId) : undefined;
  const meta = [
    ['Functions', String(output.functions.length)],
    ['Strategy', output.strategy],
    ['Concurrency', `at most ${output.concurrency} tunings at once per account and region`],
    ...(data.startTime ? [['Started', formatTimestamp(data.startTime, data.timeZone)]] : []),
    ...(data.closeTime ? [['Finished', formatTimestamp(data.closeTime, data.timeZone)]] : []),
  ]
    .map(([k, v]) => `<span><b>${escapeHtml(k ?? '')}:</b> ${escapeHtml(v ?? '')}</span>`)
    .join(' ');
  const workflow = data.workflowId
    ? `<span><b>Workflow:</b> ${link(fleetUrl, data.workflowId, 'fleet-link')}</span>`
    : '';
  const changes = rows.filter((r) => r.change).length;
  const savings = output.savings.length
    ? output.savings
        .map(
          (t) =>
            `<p class="totals" id="savings">Known saving: ${escapeHtml(savingsText(t, output.counts.tuned))}.</p>`,
        )
        .join('\n')
    : '<p class="totals" id="savings">No monthly saving: the production volume is not known (set invocationsPerMonth, or "cloudwatch").</p>';

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}${FLEET_CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${meta} ${workflow}</p>

<section class="card summary" id="summary">
<div class="headline">${escapeHtml(countsText(output))}</div>
<p class="lead">${changes === 1 ? '1 function has' : `${changes} functions have`} a recommendation that differs from today's size.</p>
${savings}
</section>

<h2>Every function</h2>
<div class="table-wrap">
<table id="fleet">
<thead><tr><th class="name">Function</th><th class="status">Status</th><th>Today</th><th>Recommended</th><th>Cost per invocation</th><th>Duration</th><th>Monthly saving</th><th>Confidence</th></tr></thead>
<tbody>
${rows.map((r) => rowHtml(r, data)).join('\n')}
</tbody>
</table>
</div>
<p class="caption">Today is each function's memory size when its tuning started. Cost and duration are averages per invocation at the recommended size, with today's under them (absent when today's size could not be measured). The monthly saving is the recommendation's against today at the function's production volume, with its interval; one that costs more buys speed. Confidence says whether the decision is settled at that level (hover for its statement). ${
    data.runUrl
      ? 'Each name links to its tuning run in the Temporal Web UI.'
      : 'Run links need the Web UI address (--ui-url or TEMPORAL_UI_URL).'
  } Skipped functions were locked by another tuning and left untouched.</p>

<footer>Generated by powertune${data.generatedAt ? ` on ${escapeHtml(formatTimestamp(data.generatedAt, data.timeZone))}` : ''}. This file is self-contained and works offline.</footer>
</main>
</body>
</html>
`;
}
