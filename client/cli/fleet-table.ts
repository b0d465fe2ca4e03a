/** A finished fleet in the terminal: one row per function, then the totals and the reasons. */
import Table from 'cli-table3';
import type { FleetOutput } from '../../domain/fleet-types.js';
import { shortReason } from '../format/reason.js';
import type { Style } from '../format/style.js';
import { COMPACT } from '../format/table-style.js';
import { countsText, fleetRows, savingsText, type ChangeCell } from '../report/fleet-rows.js';

const HEADERS = [
  'Function',
  'Status',
  'Today',
  'Recommended',
  'Cost vs today',
  'Duration vs today',
  'Monthly saving',
  'Confidence',
];

/** The change against today, or the recommendation's figure when today's was not measured. */
const versusToday = (cell: ChangeCell): string => cell.change ?? cell.to ?? '-';

export function renderFleetSummary(output: FleetOutput, style: Style): string {
  const rows = fleetRows(output);
  const table = new Table({
    head: HEADERS,
    style: { head: [], border: [] },
    chars: COMPACT,
    colAligns: HEADERS.map((h): 'left' | 'right' => (h === 'Function' || h === 'Status' ? 'left' : 'right')),
  });
  for (const row of rows) {
    const status =
      row.status === 'tuned'
        ? row.statusText
        : row.status === 'locked'
          ? row.statusText
          : style.bad(row.statusText);
    table.push([
      row.functionName,
      status,
      row.current,
      row.change ? style.good(row.recommended) : row.recommended,
      versusToday(row.cost),
      versusToday(row.duration),
      row.monthly,
      row.confidence,
    ]);
  }
  const lines = [
    `Fleet tuning of ${output.selection} (strategy ${output.strategy})`,
    table.toString(),
    countsText(output),
  ];
  for (const total of output.savings) lines.push(`Known saving: ${savingsText(total, output.counts.tuned)}`);
  const notTuned = rows.filter((r) => r.status !== 'tuned');
  if (notTuned.length) {
    lines.push('', 'Not tuned:');
    for (const row of notTuned)
      lines.push(`  - ${row.functionName} (${row.statusText}): ${shortReason(row.detail, 600)}`);
  }
  return lines.join('\n');
}
