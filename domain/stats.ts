/** Descriptive statistics over per-invocation measurements. None of them mutates its input. */

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Arithmetic mean; 0 for an empty list. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * Mean after dropping k = floor(n·discard) values from each end of the sorted list
 * (discard 0.2 drops the fastest and slowest 20%). 0 for an empty list.
 */
export function trimmedMean(values: readonly number[], discard: number): number {
  if (values.length === 0) return 0;
  const k = Math.floor(values.length * discard);
  const kept = sortedCopy(values).slice(k, values.length - k);
  // discard < 0.5 always leaves something; this guards callers that pass more.
  return kept.length === 0 ? 0 : mean(kept);
}

/**
 * Nearest-rank percentile: the smallest value with at least p% of the values at or below it,
 * i.e. sorted[ceil(p/100·n) − 1] (p = 0 gives the minimum). Always one of the input values.
 * 0 for an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile p must be in 0..100, got ${p}`);
  const sorted = sortedCopy(values);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** Population standard deviation (divides by n: the invocations measured are the whole set). 0 for n < 1. */
export function stdDev(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const m = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - m) * (v - m))));
}
