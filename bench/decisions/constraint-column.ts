/**
 * The constraints column of one profile: its true percentiles (once), the two bounds placed on
 * them (constraint-cases.ts), `runs` adaptive tunings under each bound, and their scores.
 */
import { constraintCases } from './constraint-cases.js';
import {
  constraintMisses,
  scoreMeets,
  scoreNoneMeets,
  type MeetsScore,
  type NoneMeetsScore,
} from './constraint-score.js';
import type { BenchProfile } from './profiles.js';
import { CONFIDENCE, CONSTRAINT_PERCENTILE, constrainedSettings, SIZES } from './settings.js';
import { simulateConstrained } from './simulate.js';
import { truePercentiles, trueShareAbove } from './true-percentiles.js';
import { latencyCheckError } from '../../domain/constraints.js';
import { callsToDecide } from '../../domain/latency-need.js';
import { MAX_LOOKS } from '../../domain/sampling-policy.js';
import type { Truth } from './truth.js';

export interface ConstraintRow {
  profile: string;
  percentile: number;
  /** Each size's true percentile (ms, Monte Carlo); null when every call fails. */
  truePercentiles: Record<string, number | null>;
  /** The adaptive budget the runs had: maxInvocations as validation defaults it, × budgetFactor. */
  budget: number;
  budgetFactor: number;
  /** Null when every size has the same true percentile (no bound can split them). */
  meets: MeetsScore | null;
  /**
   * How hard the meets case is for any distribution-free verdict: the true share of warm calls
   * above the bound of the slowest size meeting it and of the fastest failing it, and the calls
   * each verdict takes at one check's error (latencyCheckError) to settle 4 times in 5
   * (callsToDecide); null without a meets case, a calls figure null past 100,000.
   */
  resolvability: {
    meeting: { power: number; shareAbove: number; callsToDecide: number | null };
    failing: { power: number; shareAbove: number; callsToDecide: number | null };
  } | null;
  noneMeets: NoneMeetsScore;
  /** Targets missed, in words; empty when every one is met. */
  misses: string[];
}

/** `costTruth`: the profile's ground truth under the cost strategy (true cost per size). */
export function constraintRow(
  bench: BenchProfile,
  costTruth: Truth,
  runs: number,
  budgetFactor = 1,
): ConstraintRow {
  const percentiles = truePercentiles(bench, SIZES, CONSTRAINT_PERCENTILE);
  const cases = constraintCases(costTruth, percentiles, CONSTRAINT_PERCENTILE);
  const play = (maxDurationMs: number) =>
    Array.from({ length: runs }, (_, run) => simulateConstrained(bench, maxDurationMs, run, budgetFactor));
  const meetsCase = cases.find((c) => c.kind === 'meets');
  const noneCase = cases.find((c) => c.kind === 'none-meets');
  if (!noneCase) throw new Error('every profile has a none-meets case');
  const meets = meetsCase ? scoreMeets(meetsCase, costTruth, play(meetsCase.maxDurationMs)) : null;
  const resolvability = meetsCase?.neighbours
    ? resolve(bench, meetsCase.maxDurationMs, meetsCase.neighbours)
    : null;
  const noneMeets = scoreNoneMeets(noneCase, play(noneCase.maxDurationMs));
  return {
    profile: bench.name,
    percentile: CONSTRAINT_PERCENTILE,
    truePercentiles: Object.fromEntries(SIZES.map((p) => [p, percentiles.get(p)?.estimate ?? null])),
    budget: constrainedSettings(noneCase.maxDurationMs, budgetFactor).maxInvocations,
    budgetFactor,
    meets,
    resolvability,
    noneMeets,
    misses: constraintMisses(meets, noneMeets),
  };
}

function resolve(bench: BenchProfile, bound: number, sizes: { meeting: number; failing: number }) {
  const constraints = { percentile: CONSTRAINT_PERCENTILE, maxDurationMs: bound };
  const alpha = latencyCheckError(constraints, CONFIDENCE, SIZES.length, MAX_LOOKS, true);
  const limit = 1 - CONSTRAINT_PERCENTILE / 100;
  const side = (power: number) => {
    const shareAbove = trueShareAbove(bench, power, bound);
    return { power, shareAbove, callsToDecide: callsToDecide(shareAbove, limit, alpha) ?? null };
  };
  return { meeting: side(sizes.meeting), failing: side(sizes.failing) };
}
