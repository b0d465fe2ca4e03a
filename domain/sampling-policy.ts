/**
 * How many more invocations each size gets, decided from the measurements so far. Pure and
 * deterministic: the workflow runs "while the policy asks for samples: invoke a round; merge".
 *
 * - fixed: the original's grid, `num` per size in one round.
 * - adaptive (racing / successive elimination with fixed confidence): `num` per size first, then
 *   only the sizes still in contention (not proven worse than the best) get more, doubling their
 *   samples each round, until the decision is settled or the invocation budget is spent.
 */
import { decide, type DecisionSettings, type MeasuredSize, type PriceRate } from './decision.js';
import { proportionInterval } from './intervals.js';
import type { SizeSummary } from './sample-summary.js';

export interface SamplingSettings extends DecisionSettings {
  /** A size is infeasible when its error rate is proven above this (lower Wilson bound). */
  maxErrorRate: number;
  policy: 'fixed' | 'adaptive';
  /** First round per size (the whole grid with the fixed policy). */
  num: number;
  /** Most invocations of the whole run, first round included (adaptive only). */
  maxInvocations: number;
}

export interface SizeProgress {
  power: number;
  summary: SizeSummary;
  /** Set once the size cannot be measured (e.g. out of memory): it gets no more samples. */
  infeasibleReason?: string;
  /** The first function error as the run reports it, for the infeasible reason. */
  firstFailure?: string;
}

export interface RoundRequest {
  power: number;
  count: number;
}

export type StopReason = 'grid-complete' | 'settled' | 'budget-spent' | 'nothing-feasible';

export interface Round {
  requests: RoundRequest[];
  /** Set when no more rounds are needed, with why. */
  stop?: StopReason;
}

/**
 * Errors outside allowedExceptions are measured, not fatal: a size is out only when its error
 * rate is proven (at the run's confidence) to exceed maxErrorRate, or when nothing succeeded.
 */
export function errorInfeasibility(
  summary: SizeSummary,
  settings: Pick<SamplingSettings, 'maxErrorRate' | 'confidence'>,
  /** The first failure as the run reports it (the original's wording), when known. */
  firstFailure?: string,
  /** How many sizes are judged together: the confidence is shared among them (Bonferroni). */
  sizeCount = 1,
): string | undefined {
  if (summary.errors === 0) return undefined;
  const first = firstFailure
    ? `: ${firstFailure}`
    : summary.firstError
      ? ` (first error ${summary.firstError.type}: ${summary.firstError.message})`
      : '';
  if (summary.errors === summary.invocations) return `all ${summary.invocations} invocations failed${first}`;
  const level = 1 - (1 - settings.confidence) / Math.max(1, sizeCount);
  const rate = proportionInterval(summary.errors, summary.invocations, level);
  if (rate.lower > settings.maxErrorRate) {
    return (
      `${summary.errors} of ${summary.invocations} invocations failed (error rate ${(rate.estimate * 100).toFixed(1)}%, ` +
      `at least ${(rate.lower * 100).toFixed(1)}% at ${+(level * 100).toFixed(2)}% confidence, above the ${(settings.maxErrorRate * 100).toFixed(1)}% allowed)${first}`
    );
  }
  return undefined;
}

/** Not ruled out: no resource failure, and no error rate proven too high. */
function stillFeasible(size: SizeProgress, settings: SamplingSettings, sizeCount: number): boolean {
  return !size.infeasibleReason && !errorInfeasibility(size.summary, settings, undefined, sizeCount);
}

/** The sizes the decision is made among: still feasible, with at least one measurement. */
export function feasibleSizes(sizes: SizeProgress[], settings: SamplingSettings): MeasuredSize[] {
  return sizes.filter((s) => stillFeasible(s, settings, sizes.length) && s.summary.durationMs.count > 0);
}

/** The first round: `num` for every size, under both policies. */
export function firstRound(powers: number[], num: number): Round {
  return { requests: powers.map((power) => ({ power, count: num })) };
}

export function spentInvocations(sizes: SizeProgress[]): number {
  return sizes.reduce((sum, s) => sum + s.summary.invocations, 0);
}

/** The next round after the first, or why there is none. */
export function nextRound(settings: SamplingSettings, sizes: SizeProgress[], price: PriceRate): Round {
  if (settings.policy === 'fixed') {
    // Failed invocations are replaced, up to half the grid again, so a sporadic error costs a
    // size a measurement, not its place.
    const requests = sizes
      .filter((s) => stillFeasible(s, settings, sizes.length))
      .map((s) => ({
        power: s.power,
        count: Math.min(
          settings.num - s.summary.durationMs.count,
          settings.num + Math.ceil(settings.num / 2) - s.summary.invocations,
        ),
      }))
      .filter((r) => r.count > 0);
    return requests.length > 0 ? { requests } : { requests: [], stop: 'grid-complete' };
  }
  const feasible = feasibleSizes(sizes, settings);
  if (feasible.length === 0) return { requests: [], stop: 'nothing-feasible' };
  const decision = decide(feasible, settings, price);
  if (decision.settled) return { requests: [], stop: 'settled' };

  let remaining = settings.maxInvocations - spentInvocations(sizes);
  const contenders = decision.contenders
    .map((power) => feasible.find((s) => s.power === power) as MeasuredSize)
    // The fewest-sampled first, so a tight budget goes where it narrows intervals most.
    .sort((a, b) => a.summary.invocations - b.summary.invocations || a.power - b.power);
  if (remaining < contenders.length) return { requests: [], stop: 'budget-spent' };
  const requests: RoundRequest[] = [];
  for (const [i, size] of contenders.entries()) {
    // Doubling keeps the number of rounds (and history) logarithmic in the samples needed.
    const wanted = Math.max(settings.num, size.summary.invocations);
    const fairShare = Math.floor(remaining / (contenders.length - i));
    const count = Math.min(wanted, fairShare);
    if (count <= 0) continue;
    requests.push({ power: size.power, count });
    remaining -= count;
  }
  return requests.length > 0
    ? { requests: requests.sort((a, b) => a.power - b.power) }
    : { requests: [], stop: 'budget-spent' };
}
