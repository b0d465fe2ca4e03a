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
import { CONSTRAINT_PERCENTILE, constrainedSettings, SIZES } from './settings.js';
import { simulateConstrained } from './simulate.js';
import { truePercentiles } from './true-percentiles.js';
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
  const noneMeets = scoreNoneMeets(noneCase, play(noneCase.maxDurationMs));
  return {
    profile: bench.name,
    percentile: CONSTRAINT_PERCENTILE,
    truePercentiles: Object.fromEntries(SIZES.map((p) => [p, percentiles.get(p)?.estimate ?? null])),
    budget: constrainedSettings(noneCase.maxDurationMs, budgetFactor).maxInvocations,
    budgetFactor,
    meets,
    noneMeets,
    misses: constraintMisses(meets, noneMeets),
  };
}
