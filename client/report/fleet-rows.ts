/**
 * A fleet's outcome in words, one row per function: today's size against the recommendation,
 * what that changes per invocation, the monthly saving where the volume is known, how sure the
 * decision is, and why a function was not tuned. The terminal table and the HTML report both
 * take their words from here.
 */
import { relativeChange } from '../../domain/fleet-summary.js';
import type { FleetFunctionResult, FleetOutput, FleetSavingTotal } from '../../domain/fleet-types.js';
import { formatChange, formatLevel, formatMoney, formatMs } from '../format/units.js';

/** A figure at today's size and at the recommended one, and the change between them. */
export interface ChangeCell {
  /** At today's size (absent when it was not measured). */
  from?: string;
  /** At the recommendation (absent when there is none). */
  to?: string;
  /** `-20.2%` when both are known. */
  change?: string;
}

export interface FleetRow {
  functionName: string;
  /** `us-east-1 · 123456789012` */
  location: string;
  status: FleetFunctionResult['status'];
  /** `tuned`, `failed`, `skipped: locked`, `cancelled`. */
  statusText: string;
  /** `256 MB` */
  current: string;
  /** `512 MB`, `keep 256 MB`, `none` (constraints unmet), `-` when not tuned. */
  recommended: string;
  /** True when the recommendation differs from today's size. */
  change: boolean;
  /** Cost of one invocation, request fee included. */
  cost: ChangeCell;
  /** Average duration of one invocation. */
  duration: ChangeCell;
  /** `$41.20 a month`, `costs $3.20 a month more`, `no change`, `volume unknown`, or `-`. */
  monthly: string;
  /** The saving's interval, `95%: $38.10 to $44.30`, when there is a saving. */
  monthlyRange?: string;
  /** `settled (95%)`, `not settled (95%)`, or `-`. */
  confidence: string;
  /** The decision's statement, or why the function was not tuned. */
  detail: string;
  childWorkflowId: string;
  childRunId?: string;
}

/** `a → b (-x%)`; `b` alone when today was not measured; `-` without a recommendation. */
export function changeText(cell: ChangeCell): string {
  if (cell.to === undefined) return '-';
  if (cell.from === undefined) return cell.to;
  return `${cell.from} → ${cell.to}${cell.change ? ` (${cell.change})` : ''}`;
}

const money = (value: number, r: FleetFunctionResult) => formatMoney(value, r.currency ?? 'USD');

function statusText(r: FleetFunctionResult): string {
  if (r.status === 'locked') return 'skipped: locked';
  if (r.status === 'tuned' && r.dryRun) return 'tuned (dry run)';
  if (r.status === 'tuned' && r.optimized) return 'tuned, applied';
  return r.status;
}

function recommendedText(r: FleetFunctionResult): string {
  if (r.status !== 'tuned' || r.recommendedPower === undefined) return '-';
  if (r.recommendedPower === null) return 'none';
  return r.recommendedPower === r.currentPower ? `keep ${r.recommendedPower} MB` : `${r.recommendedPower} MB`;
}

function changeCell(
  current: number | undefined,
  recommended: number | undefined,
  format: (v: number) => string,
): ChangeCell {
  const cell: ChangeCell = {};
  if (current !== undefined) cell.from = format(current);
  if (recommended !== undefined) cell.to = format(recommended);
  const change = relativeChange(current, recommended);
  if (change !== undefined && recommended !== undefined) cell.change = formatChange(change);
  return cell;
}

function monthlyCell(r: FleetFunctionResult): Pick<FleetRow, 'monthly' | 'monthlyRange'> {
  if (r.status !== 'tuned') return { monthly: '-' };
  if (!r.monthly) return { monthly: 'volume unknown' };
  const saving = r.monthly.saving;
  // Today's size not measured, or no recommendation: nothing to compare with.
  if (!saving) return { monthly: '-' };
  const monthlyRange = `${formatLevel(r.monthly.level)}: ${money(saving.lower, r)} to ${money(saving.upper, r)}`;
  if (Math.abs(saving.estimate) < 0.005) return { monthly: 'no change', monthlyRange };
  const monthly =
    saving.estimate > 0
      ? `${money(saving.estimate, r)} a month`
      : `costs ${money(-saving.estimate, r)} a month more`;
  return { monthly, monthlyRange };
}

function confidenceText(r: FleetFunctionResult): string {
  const c = r.confidence;
  if (!c || r.status !== 'tuned') return '-';
  return `${c.settled ? 'settled' : 'not settled'} (${formatLevel(c.level)})`;
}

function detailText(r: FleetFunctionResult): string {
  if (r.status !== 'tuned') return r.reason ?? '';
  return r.note ?? r.confidence?.statement ?? '';
}

export function fleetRow(r: FleetFunctionResult): FleetRow {
  const row: FleetRow = {
    functionName: r.functionName,
    location: `${r.region} · ${r.accountId}`,
    status: r.status,
    statusText: statusText(r),
    current: r.currentPower === undefined ? '?' : `${r.currentPower} MB`,
    recommended: recommendedText(r),
    change:
      r.status === 'tuned' &&
      r.recommendedPower !== null &&
      r.recommendedPower !== undefined &&
      r.recommendedPower !== r.currentPower,
    cost: changeCell(r.current?.averagePrice, r.recommended?.averagePrice, (v) => money(v, r)),
    duration: changeCell(
      r.current?.averageDuration,
      r.recommended?.averageDuration,
      (v) => `${formatMs(v)} ms`,
    ),
    ...monthlyCell(r),
    confidence: confidenceText(r),
    detail: detailText(r),
    childWorkflowId: r.childWorkflowId,
  };
  if (r.childRunId !== undefined) row.childRunId = r.childRunId;
  return row;
}

export function fleetRows(output: FleetOutput): FleetRow[] {
  return output.functions.map(fleetRow);
}

/** `28 tuned, 1 skipped (locked), 1 failed` */
export function countsText(output: FleetOutput): string {
  const c = output.counts;
  return [
    `${c.tuned} tuned`,
    ...(c.locked ? [`${c.locked} skipped (locked)`] : []),
    ...(c.failed ? [`${c.failed} failed`] : []),
    ...(c.cancelled ? [`${c.cancelled} cancelled`] : []),
  ].join(', ');
}

/** `$1.90 a month over 1 of 2 tuned functions (sum of their interval bounds: $1.70 to $2.10)`. */
export function savingsText(total: FleetSavingTotal, tuned: number): string {
  const m = (v: number) => formatMoney(v, total.currency);
  const of = total.functions === tuned ? `${total.functions}` : `${total.functions} of ${tuned}`;
  return (
    `${m(total.estimate)} a month over ${of} tuned functions ` +
    `(sum of their interval bounds: ${m(total.lower)} to ${m(total.upper)})`
  );
}
