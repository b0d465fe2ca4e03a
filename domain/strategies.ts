/**
 * Picking the recommended memory size among the feasible ones. Every strategy ends with a
 * deterministic tie-break, so the same measurements always give the same answer.
 */
import type { Strategy } from './types.js';

export interface Candidate {
  power: number;
  averagePrice: number;
  averageDuration: number;
}

export const STRATEGIES: readonly Strategy[] = ['cost', 'speed', 'balanced'];

/**
 * Balanced score: w·price/maxPrice + (1−w)·duration/maxDuration, lower is better. A maximum
 * of 0 (all free, or all instant) makes that term 0 for everyone instead of NaN.
 */
export function balancedScore(
  candidate: Candidate,
  maxPrice: number,
  maxDuration: number,
  weight: number,
): number {
  const price = maxPrice > 0 ? candidate.averagePrice / maxPrice : 0;
  const duration = maxDuration > 0 ? candidate.averageDuration / maxDuration : 0;
  return weight * price + (1 - weight) * duration;
}

/**
 * - cost: cheapest; ties → faster, then lower power.
 * - speed: fastest; ties → cheaper, then lower power.
 * - balanced: lowest balancedScore; ties → cheaper, then lower power.
 * Only feasible candidates may be passed; an empty list is a programming error.
 */
export function chooseOptimal<C extends Candidate>(
  candidates: readonly C[],
  strategy: Strategy,
  balancedWeight = 0.5,
): C {
  if (candidates.length === 0) throw new Error('chooseOptimal needs at least one candidate');
  const byPower = (a: C, b: C) => a.power - b.power;
  let compare: (a: C, b: C) => number;
  switch (strategy) {
    case 'cost':
      compare = (a, b) =>
        a.averagePrice - b.averagePrice || a.averageDuration - b.averageDuration || byPower(a, b);
      break;
    case 'speed':
      compare = (a, b) =>
        a.averageDuration - b.averageDuration || a.averagePrice - b.averagePrice || byPower(a, b);
      break;
    case 'balanced': {
      const maxPrice = Math.max(...candidates.map((c) => c.averagePrice));
      const maxDuration = Math.max(...candidates.map((c) => c.averageDuration));
      const score = (c: C) => balancedScore(c, maxPrice, maxDuration, balancedWeight);
      compare = (a, b) => score(a) - score(b) || a.averagePrice - b.averagePrice || byPower(a, b);
      break;
    }
    default:
      throw new Error(`Unknown strategy "${String(strategy)}". Accepted: ${STRATEGIES.join(', ')}.`);
  }
  return [...candidates].sort(compare)[0] as C;
}
