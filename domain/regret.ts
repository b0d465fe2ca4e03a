/**
 * How much worse each size is than the best one under a strategy, from known (or predicted)
 * durations and costs: the benchmark's ground truth and the exploration's model use the same rule.
 * - cost: cost / min cost − 1.
 * - speed: the larger of the slowdown duration / min duration − 1 and the overpay
 *   cost / cost(the cheapest size within `tolerance` of the fastest) − 1 (0 when cheaper).
 * - balanced: the original's balanced score over the sizes given, score / min score − 1.
 */
import { balancedScore } from './strategies.js';
import type { Strategy } from './types.js';

export interface SizeOutcome {
  power: number;
  duration: number;
  cost: number;
}

export function regrets(
  strategy: Strategy,
  sizes: SizeOutcome[],
  tolerance: number,
  balancedWeight: number,
): Map<number, number> {
  const out = new Map<number, number>();
  if (sizes.length === 0) return out;
  let minCost = Infinity;
  let minDuration = Infinity;
  let maxCost = 0;
  let maxDuration = 0;
  for (const s of sizes) {
    minCost = Math.min(minCost, s.cost);
    minDuration = Math.min(minDuration, s.duration);
    maxCost = Math.max(maxCost, s.cost);
    maxDuration = Math.max(maxDuration, s.duration);
  }
  if (strategy === 'cost') {
    for (const s of sizes) out.set(s.power, s.cost / minCost - 1);
  } else if (strategy === 'speed') {
    let reference = Infinity;
    for (const s of sizes)
      if (s.duration <= minDuration * (1 + tolerance)) reference = Math.min(reference, s.cost);
    for (const s of sizes) {
      out.set(s.power, Math.max(s.duration / minDuration - 1, Math.max(0, s.cost / reference - 1)));
    }
  } else {
    const score = (s: SizeOutcome) =>
      balancedScore(
        { power: s.power, averagePrice: s.cost, averageDuration: s.duration },
        maxCost,
        maxDuration,
        balancedWeight,
      );
    let minScore = Infinity;
    for (const s of sizes) minScore = Math.min(minScore, score(s));
    for (const s of sizes) out.set(s.power, score(s) / minScore - 1);
  }
  return out;
}
