/**
 * A latency percentile of a size whose calls were shared among several execution environments
 * (domain/environments.ts), bounded so that the hosts' spread counts.
 *
 * Production spreads a function's calls over many hosts, while a tuning measures each size on K
 * of them. Calls on one host share its speed, so the order-statistic interval of the pooled calls
 * (intervals.ts percentileInterval), which assumes independent calls, sees only K host draws: with
 * hosts 5% apart and K = 3 it claimed "p95 under the bound" wrongly in 10–20% of simulated runs
 * (bench/decisions `slow-hosts`). Here a call's duration is taken as size × host × rest, the host
 * factor multiplicative with the relative variance τ² pooled over every size (host-variance.ts):
 * 1. Each environment's calls are divided by its own speed factor (its trimmed mean against the
 *    size's), shrunk towards 1 as far as its calls cannot tell host from noise. What is left is
 *    the size's duration distribution at the mean speed of its K hosts.
 * 2. That mean speed is itself one draw: the upper bound scales the calls up by how much τ²/K
 *    widens the one-sided bound of the size's trimmed mean (as decide() widens it), beyond what
 *    the calls' own noise gives (the binomial step covers that).
 * 3. A production call runs on a new host: each call's chance to exceed x is averaged over the
 *    host factor's predictive distribution, log-t with τ²'s degrees of freedom and scale τ (a
 *    lognormal factor with τ² known would under-cover twofold at 99%: τ² rests on few degrees of
 *    freedom, the sizes measured at length over three hosts each).
 * 4. The sum of those chances over the n calls is judged against Binomial(n, 1 − p/100), as the
 *    order-statistic interval judges the count of calls above x (a sum of chances is less
 *    dispersed than a count, so the bound is kept).
 * A bound's error is shared in halves between the mean speed's and the binomial's. The coverage
 * is checked on simulated hosts and noise in test/unit/host-percentile.test.ts.
 */
import { normalUpperTail, regularizedBeta, studentTQuantile, studentTUpperTail } from './distributions.js';
import { withHosts, type HostVariance } from './host-variance.js';
import { yuenParts, type YuenParts } from './intervals.js';
import { mergeSketches, sketchEntries, type SketchEntry, type ValueSketch } from './sketch.js';

export interface HostPercentile {
  estimate: number;
  /** One-sided bounds at the level asked for; only meaningful when known. */
  lower: number;
  upper: number;
  /** Calls the percentile rests on. */
  n: number;
  /** False when too few calls (or hosts) for the bound to exist at this level. */
  lowerKnown: boolean;
  upperKnown: boolean;
  /**
   * With `at`: the share of calls expected above it on a new host, with the size's mean host
   * moved up (`high`) and down (`low`) by as much as the bounds allow; planning only
   * (latency-need.ts).
   */
  shareAbove?: { high: number; low: number };
}

/** The parts a bound's error is shared among: the mean host's and the calls' count. */
export const HOST_PERCENTILE_ERROR_PARTS = 2;

/** Bisection steps: the log-scale brackets here span a few e-folds, so 28 halvings leave under 0.01%. */
const STEPS = 28;

/** Every call as its count and the logarithm of its duration, normalised to the size's mean host. */
interface LogCalls {
  count: number[];
  lower: number[];
  value: number[];
  upper: number[];
}

/** Log-spread of a lognormal factor with mean 1 and relative variance v. */
const logSpread = (v: number) => Math.sqrt(Math.log1p(Math.max(0, v)));

/** Tail tables kept: a run's looks each bring a new df, the sizes of one look share it. */
const TABLES_KEPT = 4;
/** The table's reach and step in z: linear interpolation between points 0.01 apart errs under 1e-5. */
const TABLE_REACH = 40;
const TABLE_STEP = 0.01;
const tailTables = new Map<number, Float64Array>();

/**
 * P(T > z) for Student's t with df degrees of freedom, tabulated once per df: a bound sums it
 * over every call at every bisection step, and the incomplete beta behind it is too slow for that.
 */
function studentTTail(df: number): (z: number) => number {
  let table = tailTables.get(df);
  if (!table) {
    const points = Math.round((2 * TABLE_REACH) / TABLE_STEP) + 1;
    table = new Float64Array(points);
    for (let i = 0; i < points; i++) table[i] = studentTUpperTail(-TABLE_REACH + i * TABLE_STEP, df);
    if (tailTables.size >= TABLES_KEPT) tailTables.delete(tailTables.keys().next().value as number);
    tailTables.set(df, table);
  }
  const values = table;
  return (z) => {
    if (!(z > -TABLE_REACH && z < TABLE_REACH)) return studentTUpperTail(z, df);
    const at = (z + TABLE_REACH) / TABLE_STEP;
    const i = Math.floor(at);
    const a = values[i] as number;
    return a + ((values[i + 1] ?? a) - a) * (at - i);
  };
}

/**
 * Σ over every call of its chance to exceed x once moved to a random host of log-spread s (log-t
 * with df degrees of freedom, or lognormal without an estimate's df), the calls scaled by
 * exp(logShift).
 */
function expectedAbove(
  x: number,
  calls: LogCalls,
  s: number,
  df: number,
  logShift: number,
  edge: keyof LogCalls,
): number {
  const tail = df > 0 && df < Infinity ? studentTTail(df) : normalUpperTail;
  const logX = Math.log(x) - logShift;
  const values = calls[edge];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const gap = logX - (values[i] as number);
    const chance = s === 0 ? (gap < 0 ? 1 : 0) : tail((gap + (s * s) / 2) / s);
    sum += (calls.count[i] as number) * chance;
  }
  return sum;
}

function logCalls(entries: { entry: SketchEntry; factor: number }[]): LogCalls {
  const calls: LogCalls = { count: [], lower: [], value: [], upper: [] };
  for (const { entry, factor } of entries) {
    if (!(entry.lower > 0)) continue; // a zero duration never exceeds a positive bound
    calls.count.push(entry.count);
    calls.lower.push(Math.log(entry.lower / factor));
    calls.value.push(Math.log(entry.value / factor));
    calls.upper.push(Math.log(entry.upper / factor));
  }
  return calls;
}

/**
 * The largest expected count above x that still shows the tail share below `share` at level
 * 1 − alpha (P(Binomial(n, share) ≤ S) ≤ alpha, continuous in S); undefined when even 0 does not.
 * At whole counts it is the binomial test's critical count (latency-need.ts plans with it).
 */
export function mostAbove(n: number, share: number, alpha: number): number | undefined {
  const cdf = (s: number) => regularizedBeta(1 - share, n - s, s + 1, share).p;
  if (cdf(0) > alpha) return undefined;
  let lo = 0;
  let hi = n - 1e-9;
  for (let i = 0; i < STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) <= alpha) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The smallest expected count above x that shows the tail share above `share` at level 1 − alpha. */
export function leastAbove(n: number, share: number, alpha: number): number | undefined {
  // P(Binomial(n, share) ≥ S) = I_share(S, n − S + 1), decreasing in S.
  const sf = (s: number) => regularizedBeta(share, s, n - s + 1).p;
  if (sf(n) > alpha) return undefined;
  let lo = 1e-9;
  let hi = n;
  for (let i = 0; i < STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (sf(mid) <= alpha) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The x where `above(x)` (decreasing) crosses `target`, by bisection on a log scale. */
function crossing(above: (x: number) => number, target: number, from: number, to: number): number {
  let lo = Math.max(from, 1e-9);
  let hi = Math.max(to, lo * 2);
  for (let i = 0; i < STEPS; i++) {
    const mid = Math.sqrt(lo * hi);
    if (above(mid) > target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The trimmed mean of every call of the size, over its environments. */
function mergedParts(environments: ValueSketch[], discard: number): YuenParts {
  return yuenParts(environments.reduce(mergeSketches), discard);
}

/**
 * How far up (relative) the mean host of the size's K environments may sit below the hosts'
 * mean: the one-sided bound of its trimmed mean with τ²/K added (as decide() widens it), beyond
 * the bound its calls' own noise gives, which the binomial step already covers.
 */
function meanHostDrift(parts: YuenParts, hosts: HostVariance, k: number, alpha: number): number {
  if (parts.d === undefined || parts.h < 2 || !(parts.estimate > 0) || hosts.relative === 0) return 0;
  const widened = withHosts(parts, hosts, k);
  const bound = (q: YuenParts) => studentTQuantile(1 - alpha, q.h - 1) * Math.sqrt(q.d ?? 0);
  return Math.max(0, (bound(widened) - bound(parts)) / parts.estimate);
}

/**
 * The p-th percentile of a size measured in several environments, with one-sided bounds at
 * `level` each; undefined with fewer than two environments holding calls or no estimate of the
 * hosts' variance (the caller then uses the pooled order-statistic interval). With `at`, also the
 * share of calls expected above it (`shareAbove`), for planning an uncertain verdict.
 */
export function hostAwarePercentile(
  environments: ValueSketch[],
  p: number,
  hosts: HostVariance,
  discard: number,
  level: number,
  at?: number,
): HostPercentile | undefined {
  const measured = environments.filter((e) => e.count > 0);
  if (measured.length < 2 || !(hosts.df > 0)) return undefined;
  const share = 1 - p / 100;
  const alpha = (1 - level) / HOST_PERCENTILE_ERROR_PARTS;
  const k = measured.length;
  const parts = measured.map((e) => yuenParts(e, discard));
  const mean = parts.reduce((sum, x) => sum + x.estimate, 0) / k;
  if (!(mean > 0)) return undefined;
  // An environment's factor, shrunk by how much of its deviation its own calls could explain.
  const calls = logCalls(
    measured.flatMap((sketch, i) => {
      const part = parts[i] as (typeof parts)[number];
      const noise = part.d !== undefined && part.h >= 2 ? part.d / (mean * mean) : Infinity;
      const weight = hosts.relative > 0 ? hosts.relative / (hosts.relative + noise) : 0;
      const factor = 1 + weight * (part.estimate / mean - 1);
      return sketchEntries(sketch).map((entry) => ({ entry, factor }));
    }),
  );
  const n = measured.reduce((sum, e) => sum + e.count, 0);
  const spread = logSpread(hosts.relative);
  const drift = meanHostDrift(mergedParts(measured, discard), hosts, k, alpha);
  const logUp = Math.log1p(drift);
  const logDown = drift < 1 ? Math.log1p(-drift) : -Infinity;
  const smallest = Math.min(...measured.map((e) => e.min));
  const largest = Math.max(...measured.map((e) => e.max));
  const span = Math.exp(8 * spread) * (1 + drift) * 2;
  const from = Math.max(1e-9, smallest / span);
  const to = largest * span;

  const estimate = crossing(
    (x) => expectedAbove(x, calls, spread, hosts.df, 0, 'value'),
    n * share,
    from,
    to,
  );
  const most = mostAbove(n, share, alpha);
  const least = leastAbove(n, share, alpha);
  const highest = (x: number) => expectedAbove(x, calls, spread, hosts.df, logUp, 'upper');
  const lowest = (x: number) => expectedAbove(x, calls, spread, hosts.df, logDown, 'lower');
  const upper = most === undefined ? largest : crossing(highest, most, from, to);
  // The lower bound: where even the smallest expected count above x stops showing the tail.
  const lower = least === undefined || logDown === -Infinity ? smallest : crossing(lowest, least, from, to);
  return {
    estimate,
    lower: Math.min(lower, estimate),
    upper: Math.max(upper, estimate),
    n,
    lowerKnown: least !== undefined,
    upperKnown: most !== undefined,
    ...(at !== undefined && at > 0
      ? {
          shareAbove: {
            high: expectedAbove(at, calls, spread, hosts.df, logUp, 'value') / n,
            low: logDown === -Infinity ? 0 : expectedAbove(at, calls, spread, hosts.df, logDown, 'value') / n,
          },
        }
      : {}),
  };
}
