/**
 * The constraints in the report: the bounds drawn on the charts, each size's verdict in the table,
 * and the captions that say what the lines and shading mean. The words come from
 * client/format/constraints.ts, as in the terminal.
 */
import type { TuningOutput } from '../../domain/types.js';
import { latencyBoundLabel, verdictLegend, verdictText } from '../format/constraints.js';
import type { ResultRow } from '../format/result-rows.js';
import { formatMoney } from '../format/units.js';
import { escapeHtml } from './escape.js';
import type { BoundLine } from './svg-chart.js';

/** The latency bound on the duration chart, the cost bound (per million) on the cost chart. */
export function chartBounds(output: TuningOutput): { duration?: BoundLine; cost?: BoundLine } {
  const report = output.constraints;
  if (!report) return {};
  const { maxDurationMs, maxCostPerInvocation } = report.bounds;
  const latency = latencyBoundLabel(report);
  return {
    ...(maxDurationMs !== undefined && latency ? { duration: { value: maxDurationMs, label: latency } } : {}),
    ...(maxCostPerInvocation !== undefined
      ? {
          cost: {
            value: maxCostPerInvocation * 1e6,
            label: `cost bound ${formatMoney(maxCostPerInvocation, output.currency)} per invocation`,
          },
        }
      : {}),
  };
}

/** What the duration chart's line and shading mean: the line is a percentile, the dots averages. */
export function durationChartNote(output: TuningOutput): string {
  const report = output.constraints;
  if (!report) return '';
  const p = `p${report.bounds.percentile}`;
  const line =
    report.bounds.maxDurationMs === undefined
      ? ''
      : ` Dashed line: the ${p} latency bound. The dots are averages, not ${p}s, so a dot under the line does not mean the size meets it: the table's Constraints column says which sizes were shown to.`;
  return `${line} Shaded: sizes shown to fail the constraints (hollow markers); a dashed outline marks a size not yet shown either way.`;
}

/** The cost chart's line, when there is a cost bound. */
export function costChartNote(output: TuningOutput): string {
  return output.constraints?.bounds.maxCostPerInvocation === undefined
    ? ''
    : ' Dashed line: the cost bound, per million invocations.';
}

/** The table cell of a size's verdict (classed for colour); empty for a size not judged. */
export function constraintsCellHtml(row: ResultRow, output: TuningOutput): string {
  const report = output.constraints;
  if (!report || !row.constraints) return '<td class="constraints"></td>';
  const text = verdictText(row.constraints, report, output.currency);
  return `<td class="constraints ${row.constraints.verdict}">${escapeHtml(text)}</td>`;
}

/** `; constraints: ✗ p95 1240 ms > 200 ms (+520.0%)` after a point's tooltip; empty without. */
export function verdictTooltip(row: ResultRow, output: TuningOutput): string {
  return row.constraints && output.constraints
    ? `; constraints: ${verdictText(row.constraints, output.constraints, output.currency)}`
    : '';
}

/** The legend under the table, at the level the verdicts hold together. */
export function constraintsLegend(output: TuningOutput): string {
  return output.constraints ? ` ${escapeHtml(verdictLegend(output.constraints))}` : '';
}
