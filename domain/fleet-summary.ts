/**
 * One function's outcome in a fleet, kept compact (the fleet's history and continue-as-new carry
 * it): today's size against the recommendation, the monthly saving when the volume is known, how
 * sure the decision is; or why the function was not tuned. And the fleet's totals.
 */
import { hasAverages } from './analysis.js';
import type {
  FleetFunctionResult,
  FleetFunctionStatus,
  FleetMember,
  FleetOutput,
  FleetSavingTotal,
  FleetSizeFigures,
} from './fleet-types.js';
import { CONCURRENT_TUNING, STRANDED_TUNING } from './naming.js';
import type { TuningOutput } from './types.js';

/**
 * The failure types of a tuning refused because another tuning holds the function's lock
 * (activities/lock.ts): a running one (ConcurrentTuning) or one that ended without cleaning up
 * (StrandedTuning, whose message names `powertune cleanup`). Nothing was changed on the function.
 */
export const LOCK_FAILURE_TYPES: readonly string[] = [CONCURRENT_TUNING, STRANDED_TUNING];

export interface ChildIds {
  childWorkflowId: string;
  childRunId?: string;
}

function base(member: FleetMember, ids: ChildIds, status: FleetFunctionStatus): FleetFunctionResult {
  const result: FleetFunctionResult = {
    functionName: member.functionName,
    functionArn: member.functionArn,
    region: member.region,
    accountId: member.accountId,
    status,
    childWorkflowId: ids.childWorkflowId,
  };
  if (ids.childRunId !== undefined) result.childRunId = ids.childRunId;
  return result;
}

/** A size's figures from the output, when it was measured and feasible. */
function figuresAt(output: TuningOutput, power: number | null | undefined): FleetSizeFigures | undefined {
  if (power === null || power === undefined) return undefined;
  const stats = output.results.find((r) => r.power === power);
  if (!stats || !hasAverages(stats)) return undefined;
  return { power, averageDuration: stats.averageDuration, averagePrice: stats.averagePrice };
}

/** A completed child's output, reduced to what the fleet reports. */
export function tunedResult(member: FleetMember, ids: ChildIds, output: TuningOutput): FleetFunctionResult {
  const result = base(member, ids, 'tuned');
  result.currentPower = output.currentPower ?? member.memorySize;
  result.recommendedPower = output.power;
  result.currency = output.currency;
  const current = figuresAt(output, result.currentPower);
  const recommended = figuresAt(output, output.power);
  if (current) result.current = current;
  if (recommended) result.recommended = recommended;
  if (output.monthly) {
    result.monthly = {
      invocationsPerMonth: output.monthly.invocationsPerMonth,
      source: output.monthly.source,
      level: output.monthly.level,
      ...(output.monthly.saving ? { saving: output.monthly.saving } : {}),
    };
  }
  if (output.confidence) {
    const { level, tolerance, policy, settled, statement } = output.confidence;
    result.confidence = { level, tolerance, policy, settled, statement };
  }
  if (output.power === null && output.constraints) result.note = output.constraints.statement;
  if (output.optimized) result.optimized = true;
  if (output.dryRun) result.dryRun = true;
  return result;
}

/** A child that did not complete: locked by another tuning, cancelled, or failed for `reason`. */
export function unfinishedResult(
  member: FleetMember,
  ids: ChildIds,
  outcome: { cancelled: boolean; reason: string; errorType?: string },
): FleetFunctionResult {
  const status: FleetFunctionStatus = outcome.cancelled
    ? 'cancelled'
    : outcome.errorType !== undefined && LOCK_FAILURE_TYPES.includes(outcome.errorType)
      ? 'locked'
      : 'failed';
  const result = base(member, ids, status);
  result.currentPower = member.memorySize;
  result.reason = outcome.reason;
  if (outcome.errorType !== undefined) result.errorType = outcome.errorType;
  return result;
}

/** How many functions ended in each status. */
export function countByStatus(results: FleetFunctionResult[]): FleetOutput['counts'] {
  const counts = { tuned: 0, failed: 0, locked: 0, cancelled: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** The monthly savings of the functions whose volume is known, added up per currency. */
export function savingTotals(results: FleetFunctionResult[]): FleetSavingTotal[] {
  const totals = new Map<FleetSavingTotal['currency'], FleetSavingTotal>();
  for (const r of results) {
    const saving = r.monthly?.saving;
    if (!saving || !r.currency) continue;
    const total = totals.get(r.currency) ?? {
      currency: r.currency,
      estimate: 0,
      lower: 0,
      upper: 0,
      functions: 0,
    };
    total.estimate += saving.estimate;
    total.lower += saving.lower;
    total.upper += saving.upper;
    total.functions++;
    totals.set(r.currency, total);
  }
  return [...totals.values()];
}

/** Relative change of a figure from today's size to the recommendation (-0.25 = 25% less). */
export function relativeChange(
  current: number | undefined,
  recommended: number | undefined,
): number | undefined {
  if (current === undefined || recommended === undefined || !(current > 0)) return undefined;
  return recommended / current - 1;
}
