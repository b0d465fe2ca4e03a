/**
 * Constraints a recommendation must meet: a latency bound at a percentile, a most cost per
 * invocation, a most memory. Each size is judged at a stated confidence: it meets a bound only when
 * its one-sided confidence bound is inside it, fails only when the opposite bound is outside, and
 * is uncertain otherwise (adaptive sampling then measures it more).
 *
 * The latency bound uses the distribution-free percentile interval (order statistics), so the
 * claim holds for any duration distribution; the cost bound uses the trimmed mean's interval of
 * the billed duration, mapped through the price as the results' priceInterval is. A size spread
 * over several execution environments, judged with the hosts' variance (`hosts`), has both bounds
 * widened by it: the percentile by domain/host-percentile.ts, the mean as decide() widens it.
 */
import { HOST_PERCENTILE_ERROR_PARTS, hostAwarePercentile } from './host-percentile.js';
import { hostAwareParts, type HostVariance } from './host-variance.js';
import { partsInterval, percentileInterval, trimmedMeanInterval } from './intervals.js';
import { groupDigits } from './describe.js';
import { callsToSettle } from './latency-need.js';
import { invocationCost } from './pricing.js';
import type { SizeSummary } from './sample-summary.js';
import { sketchEntries } from './sketch.js';
import type { ConstraintsConfig } from './types.js';

export type ConstraintVerdict = 'meets' | 'fails' | 'uncertain';
export type ConstraintName = 'latency' | 'cost' | 'memory';

export interface ConstraintCheck {
  constraint: ConstraintName;
  verdict: ConstraintVerdict;
  /** The bound, in the constraint's unit (ms, currency per invocation, MB). */
  bound: number;
  /** The size's figure: the percentile, the mean cost, the memory. */
  estimate: number;
  /** One-sided confidence bounds of the figure (both equal to it for memory). */
  lower: number;
  upper: number;
  /**
   * An uncertain latency check in the output only (planLatency): about how many calls on the size
   * (in all) would settle it, as predicted from its calls so far (latency-need.ts); null when
   * they cannot say (too few of them, or a share of calls above the bound too near the limit or
   * within the hosts' spread of it).
   */
  callsNeeded?: number | null;
}

export interface SizeConstraints {
  power: number;
  /** meets: every check meets; fails: some check fails; uncertain otherwise. */
  verdict: ConstraintVerdict;
  checks: ConstraintCheck[];
}

/** How many checks need a statistical bound (memory is known exactly). */
export function statisticalCheckCount(constraints: ConstraintsConfig): number {
  return (
    (constraints.maxDurationMs !== undefined ? 1 : 0) +
    (constraints.maxCostPerInvocation !== undefined ? 1 : 0)
  );
}

/** True when any bound is set. */
export function hasConstraints(constraints: ConstraintsConfig | undefined): constraints is ConstraintsConfig {
  return (
    constraints !== undefined &&
    (constraints.maxDurationMs !== undefined ||
      constraints.maxCostPerInvocation !== undefined ||
      constraints.maxMemoryMb !== undefined)
  );
}

function verdictOf(lower: number, upper: number, bound: number, lowerKnown = true, upperKnown = true) {
  if (upperKnown && upper <= bound) return 'meets';
  if (lowerKnown && lower > bound) return 'fails';
  return 'uncertain';
}

/** The memory bound: known exactly, so it is met or failed, never uncertain. */
export function memoryCheck(power: number, bound: number): ConstraintCheck {
  return {
    constraint: 'memory',
    verdict: power <= bound ? 'meets' : 'fails',
    bound,
    estimate: power,
    lower: power,
    upper: power,
  };
}

/**
 * A size's latency percentile with one-sided bounds at `oneSidedLevel` and whether each exists;
 * with `at` (a bound), also the share of its calls above it, pessimistic and optimistic, and the
 * error its test gets: what planning an uncertain verdict needs (latency-need.ts).
 */
function latencyFigure(
  size: JudgedSize,
  percentile: number,
  discard: number,
  oneSidedLevel: number,
  hosts: HostVariance | undefined,
  at?: number,
) {
  const spread =
    hosts &&
    size.environments &&
    hostAwarePercentile(
      size.environments.map((e) => e.durationMs),
      percentile,
      hosts,
      discard,
      oneSidedLevel,
      at,
    );
  if (spread) {
    const alpha = (1 - oneSidedLevel) / HOST_PERCENTILE_ERROR_PARTS;
    return { ...spread, share: spread.shareAbove, alpha };
  }
  // A two-sided interval at 1 − 2α puts α in each tail: each end is a one-sided bound at 1 − α.
  const sketch = size.summary.durationMs;
  const p = percentileInterval(sketch, percentile, 1 - 2 * (1 - oneSidedLevel));
  // Counted by the bins' edges, as the bounds read them: a bin straddling the bound counts
  // against the size when planning to show it meets, and for it when planning to show it fails.
  const countAbove = (edge: 'upper' | 'lower') =>
    sketchEntries(sketch).reduce((sum, e) => sum + (e[edge] > (at as number) ? e.count : 0), 0);
  const share =
    at !== undefined && p.n > 0
      ? { high: countAbove('upper') / p.n, low: countAbove('lower') / p.n }
      : undefined;
  return {
    ...p,
    lowerKnown: p.lowerRank > 0,
    upperKnown: p.upperRank <= p.n,
    share,
    alpha: 1 - oneSidedLevel,
  };
}

/** What a size is judged on: its warm calls, and per environment when it was spread. */
export interface JudgedSize {
  power: number;
  summary: SizeSummary;
  environments?: SizeSummary[];
}

/**
 * Judges one size. `oneSidedLevel` is the confidence of each single bound (e.g. 1 − α/(sizes ×
 * checks)): the caller shares the run's error among every check it makes. With `hosts` (the
 * run's hosts' variance), a size spread over several environments is judged with it.
 */
export function judgeSize(
  size: JudgedSize,
  constraints: ConstraintsConfig,
  discard: number,
  price: { perGbSecond: number; perRequest: number },
  oneSidedLevel: number,
  hosts?: HostVariance,
): SizeConstraints {
  const { power, summary } = size;
  const checks: ConstraintCheck[] = [];
  const twoSided = 1 - 2 * (1 - oneSidedLevel);
  if (constraints.maxDurationMs !== undefined) {
    const bound = constraints.maxDurationMs;
    const p = latencyFigure(size, constraints.percentile, discard, oneSidedLevel, hosts);
    const { lowerKnown, upperKnown } = p;
    checks.push({
      constraint: 'latency',
      verdict: p.n === 0 ? 'uncertain' : verdictOf(p.lower, p.upper, bound, lowerKnown, upperKnown),
      bound,
      estimate: p.estimate,
      lower: p.lower,
      upper: p.upper,
    });
  }
  if (constraints.maxCostPerInvocation !== undefined) {
    const bound = constraints.maxCostPerInvocation;
    const billed = hosts
      ? partsInterval(hostAwareParts(summary.billedMs, discard, hosts, size.environments), twoSided)
      : trimmedMeanInterval(summary.billedMs, discard, twoSided);
    const cost = (ms: number) => invocationCost(Math.ceil(Math.max(0, ms)), power, price);
    // Without a spread estimate (too few values) the interval collapses to the estimate: no claim.
    const known = billed.n >= 2 && billed.upper > billed.lower;
    const exact = billed.n >= 2 && billed.upper === billed.lower;
    checks.push({
      constraint: 'cost',
      verdict: known || exact ? verdictOf(cost(billed.lower), cost(billed.upper), bound) : 'uncertain',
      bound,
      estimate: cost(billed.estimate),
      lower: cost(billed.lower),
      upper: cost(billed.upper),
    });
  }
  if (constraints.maxMemoryMb !== undefined) checks.push(memoryCheck(power, constraints.maxMemoryMb));
  const verdict: ConstraintVerdict = checks.some((c) => c.verdict === 'fails')
    ? 'fails'
    : checks.every((c) => c.verdict === 'meets')
      ? 'meets'
      : 'uncertain';
  return { power, verdict, checks };
}

/**
 * Judges every size, sharing `1 − confidence` among every statistical check of every size
 * (Bonferroni), so all "meets" and "fails" verdicts hold together at `confidence`.
 */
export function judgeSizes(
  sizes: JudgedSize[],
  constraints: ConstraintsConfig,
  discard: number,
  price: { perGbSecond: number; perRequest: number },
  confidence: number,
  hosts?: HostVariance,
): SizeConstraints[] {
  const level = checkLevel(constraints, confidence, sizes.length);
  return sizes.map((s) => judgeSize(s, constraints, discard, price, level, hosts));
}

/** Each statistical check's one-sided level when `confidence` is shared among every check of every size. */
function checkLevel(constraints: ConstraintsConfig, confidence: number, sizeCount: number): number {
  return 1 - (1 - confidence) / Math.max(1, sizeCount * statisticalCheckCount(constraints));
}

/**
 * `judged` (judgeSizes' verdicts, at the same `confidence` and `hosts`) with every uncertain
 * latency check's `callsNeeded`: what the output tells a run that ended before settling it. Kept
 * out of judgeSizes, which the sampling loop calls at every look.
 */
export function planLatency(
  judged: SizeConstraints[],
  sizes: JudgedSize[],
  constraints: ConstraintsConfig,
  discard: number,
  confidence: number,
  hosts?: HostVariance,
): SizeConstraints[] {
  const bound = constraints.maxDurationMs;
  if (bound === undefined) return judged;
  const level = checkLevel(constraints, confidence, sizes.length);
  const limit = 1 - constraints.percentile / 100;
  return judged.map((j) => {
    const size = sizes.find((s) => s.power === j.power);
    const check = j.checks.find((c) => c.constraint === 'latency');
    if (!size || check?.verdict !== 'uncertain') return j;
    const p = latencyFigure(size, constraints.percentile, discard, level, hosts, bound);
    if (!(p.n > 0) || !p.share) return j;
    // The side the shares point to; shares on both sides of the limit leave nothing to plan.
    const above = p.share.high < limit ? p.share.high : p.share.low > limit ? p.share.low : undefined;
    const planned =
      above === undefined ? undefined : callsToSettle({ above: above * p.n, calls: p.n }, limit, p.alpha);
    const planCheck: ConstraintCheck = { ...check, callsNeeded: planned ?? null };
    return { ...j, checks: j.checks.map((c) => (c === check ? planCheck : c)) };
  });
}

/** "p95 1,240 ms > 200 ms (+520%)": what a failing or uncertain check measured against its bound. */
export function describeCheck(
  check: ConstraintCheck,
  percentile: number,
  currency = 'USD',
  /** Also say how many calls would settle an uncertain latency check, when planned (sentences, not table cells). */
  withPlan = false,
): string {
  // Only a figure is worth the words: a sentence listing every open size stays readable.
  const plan =
    withPlan && typeof check.callsNeeded === 'number'
      ? `; about ${groupDigits(check.callsNeeded)} calls would settle it`
      : '';
  const excess = check.bound > 0 ? ` (${signedPercent(check.estimate / check.bound - 1)}${plan})` : '';
  const relation = check.verdict === 'meets' ? '≤' : check.verdict === 'fails' ? '>' : 'vs';
  switch (check.constraint) {
    case 'latency':
      return `p${percentile} ${round(check.estimate)} ms ${relation} ${round(check.bound)} ms${excess}`;
    case 'cost':
      return `cost ${check.estimate.toPrecision(3)} ${currency} ${relation} ${check.bound.toPrecision(3)} ${currency}${excess}`;
    case 'memory':
      return `${check.estimate} MB ${relation} ${check.bound} MB`;
  }
}

const round = (ms: number) => (ms >= 100 ? String(Math.round(ms)) : ms.toPrecision(3));
const signedPercent = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`;

/** Share of the run's error spent on the constraint verdicts; the comparisons get the rest. */
export const CONSTRAINT_ERROR_SHARE = 0.5;

/**
 * Invocations one size needs before its latency percentile can be shown under the bound at all:
 * the upper confidence bound of a percentile exists only once (p/100)^n ≤ α for the check's α.
 * `hostAware`: judged with the hosts' variance, whose bound keeps only a share of the check's α.
 */
export function latencySamplesNeeded(
  constraints: ConstraintsConfig,
  confidence: number,
  sizeCount: number,
  looks: number,
  hostAware = false,
): number {
  if (constraints.maxDurationMs === undefined) return 0;
  const alpha = latencyCheckError(constraints, confidence, sizeCount, looks, hostAware);
  return Math.ceil(Math.log(alpha) / Math.log(constraints.percentile / 100));
}

/**
 * The error one latency check's binomial test gets at one look: the run's constraint share,
 * split over the looks, every statistical check of every size, and (judged with the hosts'
 * variance) the host-aware bound's parts.
 */
export function latencyCheckError(
  constraints: ConstraintsConfig,
  confidence: number,
  sizeCount: number,
  looks: number,
  hostAware = false,
): number {
  const perLook = 1 - ((1 - confidence) * CONSTRAINT_ERROR_SHARE) / looks;
  return (1 - checkLevel(constraints, perLook, sizeCount)) / (hostAware ? HOST_PERCENTILE_ERROR_PARTS : 1);
}
