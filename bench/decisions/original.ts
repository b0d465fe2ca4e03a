/**
 * The original tool's rule, as this project applied it before the statistical decision: per size
 * the trimmed mean of the durations and the price of one invocation at the trimmed-mean billed
 * duration rounded up to whole ms; any error makes a size infeasible; chooseOptimal compares the
 * point estimates as they are.
 */
import { invocationCost } from '../../domain/pricing.js';
import type { SizeProgress } from '../../domain/sampling-policy.js';
import { sketchTrimmedMean } from '../../domain/sketch.js';
import { chooseOptimal, type Candidate } from '../../domain/strategies.js';
import type { Strategy } from '../../domain/types.js';
import { BALANCED_WEIGHT, DISCARD_TOP_BOTTOM, PRICE } from './settings.js';

/** A size the original can use: measured, and not a single error. */
export function originalFeasible(progress: SizeProgress): boolean {
  const { summary } = progress;
  return !progress.infeasibleReason && summary.errors === 0 && summary.durationMs.count > 0;
}

export function originalCandidate(progress: SizeProgress): Candidate {
  const { summary, power } = progress;
  return {
    power,
    averageDuration: sketchTrimmedMean(summary.durationMs, DISCARD_TOP_BOTTOM),
    averagePrice: invocationCost(
      Math.ceil(sketchTrimmedMean(summary.billedMs, DISCARD_TOP_BOTTOM)),
      power,
      PRICE,
    ),
  };
}

/** The original's choice among the feasible sizes; undefined when none is feasible. */
export function originalChoice(sizes: SizeProgress[], strategy: Strategy): number | undefined {
  const feasible = sizes.filter(originalFeasible).map(originalCandidate);
  return feasible.length > 0 ? chooseOptimal(feasible, strategy, BALANCED_WEIGHT).power : undefined;
}
