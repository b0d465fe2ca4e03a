/**
 * How many calls an uncertain latency verdict needs, so that a run which ends before settling it
 * can say by how much to raise the budget.
 *
 * A size meets "p ≤ bound" when the share of its calls above the bound is shown below
 * 1 − p/100 (the order-statistic bound and the host-aware bound are both that binomial test),
 * and fails it when that share is shown above. A percentile needs far more calls than a mean:
 * with 2% of calls over the bound against a limit of 5%, a one-sided test at 1e-4 needs about
 * a thousand.
 *
 * Two figures, both at the check's own error:
 * - `callsToDecide`: for a known share (the benchmark's truth), the calls at which the test
 *   settles with probability PLANNING_POWER;
 * - `callsToSettle`: for a measured one, the calls after which the verdict settles with
 *   probability PLANNING_POWER as predicted from the calls so far (the count of the calls still
 *   to come is beta-binomial around the measured share, Jeffreys' prior), so a share measured on
 *   few calls plans for more. A plan, not a claim about the function: how often it suffices is
 *   checked on simulated sizes in test/unit/latency-need.test.ts.
 */
import { binomialCdf, binomialSf, logGamma } from './distributions.js';
import { leastAbove as leastExpectedAbove, mostAbove as mostExpectedAbove } from './host-percentile.js';

/** The chance the planned calls settle the verdict. */
export const PLANNING_POWER = 0.8;
/** Beyond this many calls on one size a plan is not worth stating: the share is at the limit. */
export const MOST_CALLS_PLANNED = 100_000;

/** The largest whole count above the bound that shows the share below `limit` at `alpha` after n calls (−1: none). */
function mostAbove(n: number, limit: number, alpha: number): number {
  const most = mostExpectedAbove(n, limit, alpha);
  return most === undefined ? -1 : Math.floor(most);
}

/** The smallest whole count above the bound that shows the share above `limit` at `alpha` after n calls (n + 1: none). */
function leastAbove(n: number, limit: number, alpha: number): number {
  const least = leastExpectedAbove(n, limit, alpha);
  return least === undefined ? n + 1 : Math.ceil(least);
}

/**
 * The least n ≥ `from` with `enough(n)`, by doubling then bisection; undefined past
 * MOST_CALLS_PLANNED. The chance grows with n up to a sawtooth of a call or two (the critical
 * count moves in whole steps), which a plan can ignore.
 */
function leastCalls(from: number, enough: (n: number) => boolean): number | undefined {
  let low = Math.max(1, from) - 1;
  let high = Math.max(8, from);
  while (!enough(high)) {
    if (high >= MOST_CALLS_PLANNED) return undefined;
    low = high;
    high = Math.min(MOST_CALLS_PLANNED, high * 2);
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (enough(mid)) high = mid;
    else low = mid;
  }
  return high;
}

/**
 * Calls on one size after which a one-sided binomial test at `alpha` shows a known tail share
 * `share` on its side of `limit` (1 − p/100) with probability `power`; undefined when the share
 * is at the limit or the calls would pass MOST_CALLS_PLANNED.
 */
export function callsToDecide(
  share: number,
  limit: number,
  alpha: number,
  power = PLANNING_POWER,
): number | undefined {
  checkArguments(share, limit, alpha);
  if (share === limit) return undefined;
  return leastCalls(1, (n) =>
    share < limit
      ? binomialCdf(mostAbove(n, limit, alpha), n, share) >= power
      : binomialSf(leastAbove(n, limit, alpha) - 1, n, share) >= power,
  );
}

/**
 * P(Y ≤ k) for Y beta-binomial over m calls with shape (a, b), summed from 0 by the ratio of
 * successive terms (k ≤ m).
 */
function betaBinomialCdf(k: number, m: number, a: number, b: number): number {
  if (k < 0) return 0;
  if (k >= m) return 1;
  let term = Math.exp(logGamma(m + b) + logGamma(a + b) - logGamma(b) - logGamma(m + a + b));
  let sum = term;
  for (let y = 0; y < k; y++) {
    term *= ((m - y) / (y + 1)) * ((y + a) / (m - y - 1 + b));
    sum += term;
  }
  return Math.min(1, sum);
}

/**
 * Calls on one size (in all) after which its latency verdict settles with probability `power`,
 * predicted from `above` of its `calls` so far over the bound (a whole or an expected count), on
 * the side of `limit` the measured share points to; undefined when no number of calls up to
 * MOST_CALLS_PLANNED gets there (too few calls so far, or a share too near the limit, to say).
 */
export function callsToSettle(
  measured: { above: number; calls: number },
  limit: number,
  alpha: number,
  power = PLANNING_POWER,
): number | undefined {
  const { above, calls } = measured;
  if (!(calls > 0) || !(above >= 0 && above <= calls)) {
    throw new RangeError(`callsToSettle needs calls > 0 and 0 ≤ above ≤ calls, got ${above} of ${calls}`);
  }
  checkArguments(above / calls, limit, alpha);
  const share = above / calls;
  if (share === limit) return undefined;
  // Jeffreys' posterior of the share; the calls to come are beta-binomial under it.
  const a = above + 0.5;
  const b = calls - above + 0.5;
  const below = share < limit;
  // Calls that already pass the plan's test leave the verdict open for a reason more calls of the
  // same kind do not plan for (the hosts' spread, a bin straddling the bound): nothing to say.
  const passes = below ? above <= mostAbove(calls, limit, alpha) : above >= leastAbove(calls, limit, alpha);
  if (passes) return undefined;
  return leastCalls(calls + 1, (n) => {
    const more = n - calls;
    if (below) return betaBinomialCdf(Math.floor(mostAbove(n, limit, alpha) - above), more, a, b) >= power;
    return 1 - betaBinomialCdf(Math.ceil(leastAbove(n, limit, alpha) - above) - 1, more, a, b) >= power;
  });
}

function checkArguments(share: number, limit: number, alpha: number): void {
  if (!(share >= 0 && share <= 1) || !(limit > 0 && limit < 1) || !(alpha > 0 && alpha < 1)) {
    throw new RangeError(`a latency plan needs a share in [0, 1], limit and alpha in (0, 1)`);
  }
}
