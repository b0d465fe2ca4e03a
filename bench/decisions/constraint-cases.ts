/**
 * Where the constraints column puts its latency bounds, and the truth each bound implies. Two
 * cases per profile:
 *
 * - meets: the bound lies between two sizes adjacent in their true percentile, as near the middle
 *   of the ranking as a gap allows, at the geometric midpoint of the gap's Monte Carlo interval
 *   ends, so some sizes meet it and the others do not, each by at least BOUND_MARGIN; where it
 *   can, the bound binds (the cheapest size overall fails it). The right answer is the cheapest
 *   size (true cost) among those that meet it.
 * - none-meets: the bound lies BOUND_MARGIN below every size's true percentile (its interval's
 *   lower end): the only right answer is no recommendation.
 */
import type { TruePercentile } from './true-percentiles.js';
import type { Truth } from './truth.js';

/** Least distance between a bound and any true percentile (its Monte Carlo interval), each side. */
export const BOUND_MARGIN = 0.05;

export interface ConstraintCase {
  kind: 'meets' | 'none-meets';
  percentile: number;
  maxDurationMs: number;
  /** Sizes feasible in truth whose true percentile is under the bound, by power. */
  meeting: number[];
  /** The cheapest of them in true cost (ties: lower power); absent when none meets. */
  truthChoice?: number;
  /**
   * bound / (upper end of the slowest meeting size's percentile) − 1; absent when none meets.
   * At least BOUND_MARGIN, unless no gap in the profile's percentiles is that wide.
   */
  marginBelow?: number;
  /** (lower end of the fastest failing size's percentile) / bound − 1. */
  marginAbove: number;
  /** The two sizes the bound lies between: the slowest meeting it and the fastest failing it. */
  neighbours?: { meeting: number; failing: number };
}

type Known = TruePercentile;

/** The two cases of one profile; the meets case is absent when every size has the same percentile. */
export function constraintCases(
  truth: Truth,
  percentiles: ReadonlyMap<number, TruePercentile | undefined>,
  percentile: number,
): ConstraintCase[] {
  const known = truth.feasible.flatMap((power) => percentiles.get(power) ?? []);
  if (known.length === 0) throw new Error('no feasible size has a true percentile');
  const meets = meetsCase(truth, known, percentile);
  return [...(meets ? [meets] : []), noneMeetsCase(known, percentile)];
}

/** Clear gap between the sizes ranked k − 1 and k (slowest first): lower / upper of the two ends. */
const gapAt = (ranked: Known[], k: number): number =>
  (ranked[k - 1] as Known).lower / (ranked[k] as Known).upper;

function meetsCase(truth: Truth, known: Known[], percentile: number): ConstraintCase | undefined {
  const ranked = [...known].sort((a, b) => b.estimate - a.estimate || a.power - b.power);
  const middle = ranked.length / 2;
  const cuts = Array.from({ length: ranked.length - 1 }, (_, i) => i + 1).filter((k) => gapAt(ranked, k) > 1);
  if (cuts.length === 0) return undefined;
  const cost = (power: number) => truth.cost.get(power) ?? Infinity;
  const cheapest = (powers: number[]) => [...powers].sort((a, b) => cost(a) - cost(b) || a - b)[0] as number;
  const cheapestOverall = cheapest(ranked.map((p) => p.power));
  const wide = cuts.filter((k) => gapAt(ranked, k) >= (1 + BOUND_MARGIN) ** 2);
  // A bound the unconstrained choice already meets tests nothing the plain decision does not.
  const binding = wide.filter((k) => ranked.slice(0, k).some((p) => p.power === cheapestOverall));
  // Nearest the middle among the gaps wide enough; without one, the widest gap there is.
  const nearMiddle = (a: number, b: number) =>
    Math.abs(a - middle) - Math.abs(b - middle) || gapAt(ranked, b) - gapAt(ranked, a);
  const k = (
    binding.length > 0
      ? binding.sort(nearMiddle)
      : wide.length > 0
        ? wide.sort(nearMiddle)
        : cuts.sort((a, b) => gapAt(ranked, b) - gapAt(ranked, a))
  )[0] as number;
  const failing = ranked[k - 1] as Known;
  const slowestMeeting = ranked[k] as Known;
  const bound = Math.sqrt(failing.lower * slowestMeeting.upper);
  const meeting = ranked
    .slice(k)
    .map((p) => p.power)
    .sort((a, b) => a - b);
  const truthChoice = cheapest(meeting);
  return {
    kind: 'meets',
    percentile,
    maxDurationMs: bound,
    meeting,
    truthChoice,
    marginBelow: bound / slowestMeeting.upper - 1,
    marginAbove: failing.lower / bound - 1,
    neighbours: { meeting: slowestMeeting.power, failing: failing.power },
  };
}

function noneMeetsCase(known: Known[], percentile: number): ConstraintCase {
  const fastest = Math.min(...known.map((p) => p.lower));
  return {
    kind: 'none-meets',
    percentile,
    maxDurationMs: fastest / (1 + BOUND_MARGIN),
    meeting: [],
    marginAbove: BOUND_MARGIN,
  };
}
