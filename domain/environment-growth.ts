/**
 * Growing a contested size's environments under a latency bound. A percentile's bound carries the
 * hosts' variance (host-percentile.ts), and the bound on a size's mean host rests on how many hosts
 * it was measured on: with 5, a p95 can stay 20% above its estimate however many calls are added
 * (bench/README.md "Constraints"). So a size whose verdict is still open once it has the calls a
 * percentile's bound needs is spread over twice as many environments for its next calls, up to a
 * cap within the versions one run may publish.
 */
import { MAX_COLD_START_VERSIONS } from './limits.js';
import type { SizeConstraints } from './constraints.js';
import type { RoundRequest, SizeProgress } from './sampling-policy.js';

/** The most environments a contested size is spread over. */
export const MAX_GROWN_ENVIRONMENTS = 40;

/**
 * How far a run's sizes may grow: MAX_GROWN_ENVIRONMENTS, or less when every size growing that far
 * would publish more than MAX_COLD_START_VERSIONS versions (with `coldPerSize` cold versions each).
 */
export function growthCap(sizeCount: number, coldPerSize: number): number {
  const room = Math.floor(MAX_COLD_START_VERSIONS / Math.max(1, sizeCount)) - coldPerSize;
  return Math.max(1, Math.min(MAX_GROWN_ENVIRONMENTS, room));
}

/**
 * The round's requests, each contested size's spread over twice its environments (at most `cap`):
 * sizes whose verdict is uncertain, already spread over several, and with at least `least` calls,
 * the count at which a percentile's bound exists, so growing is what is left to narrow it.
 */
export function growContested(
  requests: RoundRequest[],
  sizes: SizeProgress[],
  judged: SizeConstraints[],
  least: number,
  cap: number,
): RoundRequest[] {
  return requests.map((request) => {
    const size = sizes.find((s) => s.power === request.power);
    const verdict = judged.find((j) => j.power === request.power)?.verdict;
    const have = size?.environments?.length ?? 1;
    const calls = size?.summary.invocations ?? 0;
    if (verdict !== 'uncertain' || have < 2 || have >= cap || calls < least) return request;
    return { ...request, environments: Math.min(cap, have * 2) };
  });
}
