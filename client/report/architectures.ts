/** The report's section for a tuning over several architectures (absent otherwise). */
import type { TuningOutput } from '../../domain/types.js';
import { ARCHITECTURE_SCOPE_NOTE, architectureRows } from '../format/architectures.js';
import { escapeHtml } from './escape.js';

export function architecturesSection(output: TuningOutput): string {
  const report = output.architectures;
  if (!report) return '';
  const rows = architectureRows(output)
    .map(
      (r) =>
        `<tr${r.notes.includes('chosen') ? ' class="chosen"' : ''}><td>${escapeHtml(r.architecture)}</td>` +
        `<td>${escapeHtml(r.size)}</td><td>${escapeHtml(r.cost)}</td><td>${escapeHtml(r.duration)}</td>` +
        `<td>${escapeHtml(r.reason ? `could not run the code: ${r.reason}` : r.notes)}</td></tr>`,
    )
    .join('\n');
  return `<h2>Architectures</h2>
<p class="lead" id="architectures-statement">${escapeHtml(report.statement)}</p>
<div class="table-wrap">
<table id="architectures">
<thead><tr><th>Architecture</th><th>Its recommendation</th><th>Cost per invocation</th><th>Mean duration</th><th></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>
<p class="caption">Each architecture was tuned on its own, with its own prices. ${escapeHtml(ARCHITECTURE_SCOPE_NOTE)}</p>

`;
}
