/**
 * Confidence intervals a user can read and defend, computed from a size's ValueSketch: the
 * trimmed mean (Yuen's t interval), the difference of two trimmed means (Yuen–Welch) with the
 * one-sided "meaningfully greater" tests built on it, an error rate (Wilson score interval) and a
 * percentile (distribution-free order statistics). Each is checked for coverage on simulated
 * data by test/unit/intervals.coverage.test.ts. Methods: domain/README.md, "Intervals".
 */
import { binomialCdf, binomialSf, normalQuantile, studentTQuantile } from './distributions.js';
import {
  sketchEntries,
  sketchPercentile,
  sketchTrimmedMean,
  type SketchEntry,
  type ValueSketch,
} from './sketch.js';

export interface TrimmedMeanInterval {
  /** sketchTrimmedMean(sketch, discard): stats.ts trimmedMean for the exact form. */
  estimate: number;
  lower: number;
  upper: number;
  /** Values in the sketch. */
  n: number;
  /** Values kept after trimming: n − 2·floor(n·discard). */
  h: number;
  /** √((n−1)·s_w² / (h(h−1))), s_w² the winsorized variance; 0 when it cannot be estimated. */
  standardError: number;
  /** h − 1; 0 when h < 2. */
  df: number;
}

export interface DifferenceInterval {
  /** trimmedMean(a) − trimmedMean(b). */
  estimate: number;
  lower: number;
  upper: number;
  standardError: number;
  /** Welch–Satterthwaite degrees of freedom; 0 when the spread cannot be estimated. */
  df: number;
}

export interface ComparisonOptions {
  /** Fraction trimmed from each end, as discardTopBottom. */
  discard: number;
  /** One-sided: the claim is wrong with probability at most 1 − confidence. */
  confidence: number;
  /** Relative margin, ≥ 0: 0.05 means "by more than 5% of b's trimmed mean". */
  tolerance: number;
}

export interface ProportionInterval {
  /** successes / n (0 when n = 0). */
  estimate: number;
  lower: number;
  upper: number;
  n: number;
}

export interface PercentileInterval {
  /** sketchPercentile: the nearest-rank percentile, as stats.ts percentile. */
  estimate: number;
  lower: number;
  upper: number;
  n: number;
  /**
   * False when n is too small for the confidence (see percentileMinimumCount): an end that no
   * rank can back is reported as the sample min or max, and the interval is then no guarantee.
   */
  bounded: boolean;
  /** 1-based ranks of the ends (0 and n + 1 stand for an end no rank backs). */
  lowerRank: number;
  upperRank: number;
}

function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
}

function checkDiscard(discard: number): void {
  if (!(discard >= 0 && discard < 0.5)) throw new RangeError(`discard must be in [0, 0.5), got ${discard}`);
}

/** What Yuen's method needs from one sample (also used by domain/decision.ts for scaled contrasts). */
export interface YuenParts {
  estimate: number;
  n: number;
  h: number;
  /** Squared standard error of the trimmed mean; undefined when h < 2 (no spread to estimate). */
  d: number | undefined;
}

export function yuenParts(sketch: ValueSketch, discard: number): YuenParts {
  const n = sketch.count;
  const k = Math.floor(n * discard);
  const h = n - 2 * k;
  const estimate = sketchTrimmedMean(sketch, discard);
  if (h < 2) return { estimate, n, h: Math.max(h, 0), d: undefined };
  // Nothing trimmed: the winsorized variance is the ordinary one, and the sketch's M2 is exact.
  if (k === 0) return { estimate, n, h, d: Math.max(0, sketch.m2) / (h * (h - 1)) };
  // Winsorizing replaces the k lowest values by the (k+1)-th and the k highest by the (n−k)-th;
  // in sorted order that is clamping every value to those two.
  const low = entryAtRank(sketch, k + 1).value;
  const high = entryAtRank(sketch, n - k).value;
  const entries = sketchEntries(sketch);
  const clamp = (v: number) => Math.min(high, Math.max(low, v));
  let sum = 0;
  for (const { value, count } of entries) sum += clamp(value) * count;
  const mean = sum / n;
  let squares = 0;
  for (const { value, count } of entries) squares += count * (clamp(value) - mean) ** 2;
  // (n−1)·s_w² / (h(h−1)) with s_w² = squares / (n−1).
  return { estimate, n, h, d: squares / (h * (h - 1)) };
}

/**
 * Yuen's confidence interval for the population trimmed mean: estimate ± t_{(1+c)/2, h−1}·SE.
 * Degenerate cases give lower = upper = estimate with standardError 0: n < 2 or h < 2 (no spread
 * can be estimated: df 0), or every kept value equal (zero winsorized variance).
 */
export function trimmedMeanInterval(
  sketch: ValueSketch,
  discard: number,
  confidence: number,
): TrimmedMeanInterval {
  checkDiscard(discard);
  return partsInterval(yuenParts(sketch, discard), confidence);
}

/** As trimmedMeanInterval, from a trimmed mean's parts (e.g. with the hosts' variance added). */
export function partsInterval(parts: YuenParts, confidence: number): TrimmedMeanInterval {
  checkConfidence(confidence);
  const { estimate, n, h, d } = parts;
  const df = h >= 2 ? h - 1 : 0;
  if (d === undefined || d === 0)
    return { estimate, lower: estimate, upper: estimate, n, h, standardError: 0, df };
  const standardError = Math.sqrt(d);
  const half = studentTQuantile((1 + confidence) / 2, df) * standardError;
  return { estimate, lower: estimate - half, upper: estimate + half, n, h, standardError, df };
}

/**
 * trimmedMean(a) − scale·trimmedMean(b) with its squared standard error and Welch–Satterthwaite
 * df; undefined when either sample has h < 2. df is Infinity when both spreads are zero.
 */
function contrast(
  a: YuenParts,
  b: YuenParts,
  scale: number,
): { estimate: number; variance: number; df: number } | undefined {
  if (a.d === undefined || b.d === undefined) return undefined;
  const da = a.d;
  const db = scale * scale * b.d;
  const variance = da + db;
  const df =
    variance === 0 ? Infinity : (variance * variance) / ((da * da) / (a.h - 1) + (db * db) / (b.h - 1));
  return { estimate: a.estimate - scale * b.estimate, variance, df };
}

/**
 * Yuen–Welch interval for trimmedMean(a) − trimmedMean(b): the two squared standard errors add,
 * df by Welch–Satterthwaite. Degenerate (lower = upper = estimate, standardError 0, df 0) when
 * either sample has h < 2, and with zero spread in both.
 */
export function trimmedMeanDifference(
  a: ValueSketch,
  b: ValueSketch,
  discard: number,
  confidence: number,
): DifferenceInterval {
  return scaledTrimmedMeanDifference(a, b, 1, discard, confidence);
}

/**
 * Yuen–Welch interval for trimmedMean(a) − scale·trimmedMean(b) (e.g. two sizes' costs, whose
 * prices per billed ms differ). Degenerate as trimmedMeanDifference.
 */
export function scaledTrimmedMeanDifference(
  a: ValueSketch,
  b: ValueSketch,
  scale: number,
  discard: number,
  confidence: number,
): DifferenceInterval {
  checkDiscard(discard);
  return partsDifference(yuenParts(a, discard), yuenParts(b, discard), scale, confidence);
}

/** As scaledTrimmedMeanDifference, from the two trimmed means' parts. */
export function partsDifference(
  pa: YuenParts,
  pb: YuenParts,
  scale: number,
  confidence: number,
): DifferenceInterval {
  checkConfidence(confidence);
  const c = contrast(pa, pb, scale);
  const estimate = pa.estimate - scale * pb.estimate;
  if (c === undefined || c.variance === 0)
    return { estimate, lower: estimate, upper: estimate, standardError: 0, df: 0 };
  const standardError = Math.sqrt(c.variance);
  const half = studentTQuantile((1 + confidence) / 2, c.df) * standardError;
  return { estimate, lower: estimate - half, upper: estimate + half, standardError, df: c.df };
}

function checkOptions({ discard, confidence, tolerance }: ComparisonOptions): void {
  checkDiscard(discard);
  checkConfidence(confidence);
  if (!(tolerance >= 0 && Number.isFinite(tolerance)))
    throw new RangeError(`tolerance must be a finite number ≥ 0, got ${tolerance}`);
}

/**
 * One-sided bound at `confidence` of tm(a) − (1 + tolerance)·tm(b), the margin measured against
 * b's *estimated* trimmed mean; b's standard error is scaled with it, so the margin's own
 * uncertainty is counted. Undefined when either sample has h < 2.
 */
function marginBound(
  a: ValueSketch,
  b: ValueSketch,
  options: ComparisonOptions,
  side: 'upper' | 'lower',
): number | undefined {
  checkOptions(options);
  const c = contrast(yuenParts(a, options.discard), yuenParts(b, options.discard), 1 + options.tolerance);
  if (c === undefined) return undefined;
  const half = c.variance === 0 ? 0 : studentTQuantile(options.confidence, c.df) * Math.sqrt(c.variance);
  return side === 'upper' ? c.estimate + half : c.estimate - half;
}

/**
 * "a is not meaningfully greater than b" (TOST-style one-sided test): the upper confidence bound
 * of tm(a) − tm(b) is at most tolerance·tm(b). Wrong with probability ≤ 1 − confidence when
 * a's trimmed mean really exceeds b's by more than the tolerance. False when either sample is
 * too small to estimate its spread (h < 2): no claim without evidence.
 */
export function notMeaningfullyGreater(a: ValueSketch, b: ValueSketch, options: ComparisonOptions): boolean {
  const bound = marginBound(a, b, options, 'upper');
  return bound !== undefined && bound <= 0;
}

/**
 * "a is meaningfully greater than b": the lower confidence bound of tm(a) − tm(b) exceeds
 * tolerance·tm(b). Wrong with probability ≤ 1 − confidence when it is not so. False when either
 * sample has h < 2.
 */
export function meaningfullyGreater(a: ValueSketch, b: ValueSketch, options: ComparisonOptions): boolean {
  const bound = marginBound(a, b, options, 'lower');
  return bound !== undefined && bound > 0;
}

/**
 * Wilson score interval for a proportion (an error rate): the p where the normal score test
 * would not reject, so it stays inside [0, 1] and is not degenerate at 0 or n successes.
 * n = 0 gives [0, 1].
 */
export function proportionInterval(successes: number, n: number, confidence: number): ProportionInterval {
  checkConfidence(confidence);
  if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(successes) && successes >= 0 && successes <= n))
    throw new RangeError(`need integers 0 ≤ successes ≤ n, got ${successes} of ${n}`);
  if (n === 0) return { estimate: 0, lower: 0, upper: 1, n };
  const z = normalQuantile((1 + confidence) / 2);
  const p = successes / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  return {
    estimate: p,
    lower: successes === 0 ? 0 : Math.max(0, centre - half),
    upper: successes === n ? 1 : Math.min(1, centre + half),
    n,
  };
}

/**
 * Smallest n for which percentileInterval is bounded at this confidence: both (1 − p)^n and
 * p^n (the chance that every value falls on one side of the percentile) must be ≤ (1 − c)/2.
 * Infinity for p = 0 or 100.
 */
export function percentileMinimumCount(p: number, confidence: number): number {
  checkConfidence(confidence);
  const q = checkPercentile(p);
  if (q === 0 || q === 1) return Infinity;
  const tail = Math.log((1 - confidence) / 2);
  return Math.ceil(Math.max(tail / Math.log1p(-q), tail / Math.log(q)));
}

function checkPercentile(p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile p must be in 0..100, got ${p}`);
  return p / 100;
}

/**
 * Distribution-free interval for the p-th percentile from order statistics: with B the
 * Binomial(n, p/100) CDF, the l-th smallest value exceeds the percentile with probability
 * B(l − 1) and the u-th smallest falls below it with probability 1 − B(u − 1); l and u are the
 * tightest ranks keeping each of those ≤ (1 − confidence)/2, so coverage is at least the
 * confidence for any distribution. Binned sketches report the outer bin edges, keeping the
 * guarantee. See PercentileInterval.bounded for small n.
 */
export function percentileInterval(sketch: ValueSketch, p: number, confidence: number): PercentileInterval {
  checkConfidence(confidence);
  const q = checkPercentile(p);
  const n = sketch.count;
  if (n === 0) return { estimate: 0, lower: 0, upper: 0, n, bounded: false, lowerRank: 0, upperRank: 1 };
  const tail = (1 - confidence) / 2;
  const rank = Math.max(1, Math.ceil(q * n));
  // Largest l with B(l − 1) ≤ tail (B grows with l), never above the estimate's rank.
  let lowerRank = 0;
  for (let lo = 1, hi = n; lo <= hi;) {
    const mid = (lo + hi) >> 1;
    if (binomialCdf(mid - 1, n, q) <= tail) {
      lowerRank = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Smallest u with P(X ≥ u) = 1 − B(u − 1) ≤ tail, never below the estimate's rank.
  let upperRank = n + 1;
  for (let lo = 1, hi = n; lo <= hi;) {
    const mid = (lo + hi) >> 1;
    if (binomialSf(mid - 1, n, q) <= tail) {
      upperRank = mid;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  if (lowerRank > rank) lowerRank = rank;
  if (upperRank <= n && upperRank < rank) upperRank = rank;
  return {
    estimate: sketchPercentile(sketch, p),
    lower: lowerRank === 0 ? sketch.min : entryAtRank(sketch, lowerRank).lower,
    upper: upperRank > n ? sketch.max : entryAtRank(sketch, upperRank).upper,
    n,
    bounded: lowerRank > 0 && upperRank <= n,
    lowerRank,
    upperRank,
  };
}

/** The entry holding the 1-based rank r (1 ≤ r ≤ n); a bin's representative when binned. */
function entryAtRank(sketch: ValueSketch, r: number): SketchEntry {
  let seen = 0;
  const entries = sketchEntries(sketch);
  for (const entry of entries) {
    seen += entry.count;
    if (seen >= r) return entry;
  }
  return entries[entries.length - 1] as SketchEntry;
}

/**
 * Whether two intervals are apart: neither holds a value of the other. The conservative test of a
 * change between two runs: when two 95% intervals are apart, the difference is significant at 5%
 * or better.
 */
export function intervalsApart(
  a: { lower: number; upper: number },
  b: { lower: number; upper: number },
): boolean {
  return a.upper < b.lower || b.upper < a.lower;
}
