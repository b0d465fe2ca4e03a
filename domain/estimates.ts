/** The point estimates of one size that the output reports and the strategies compare. */
import { invocationCost } from './pricing.js';
import type { SizeSummary } from './sample-summary.js';
import { sketchTrimmedMean } from './sketch.js';

export interface PointEstimates {
  /** Trimmed mean of the measured durations (ms). */
  averageDuration: number;
  /** Cost of one invocation at the trimmed-mean billed duration, rounded up to whole ms as upstream. */
  averagePrice: number;
}

export function pointEstimates(
  summary: SizeSummary,
  power: number,
  discard: number,
  price: { perGbSecond: number; perRequest: number },
): PointEstimates {
  return {
    averageDuration: sketchTrimmedMean(summary.durationMs, discard),
    averagePrice: invocationCost(Math.ceil(sketchTrimmedMean(summary.billedMs, discard)), power, price),
  };
}

/**
 * A size's cold invocations: every one counts (none is an outlier: cold starts are what is
 * measured), so plain means. Duration and billed time include the Init Duration.
 */
export function coldEstimates(
  cold: SizeSummary,
  power: number,
  price: { perGbSecond: number; perRequest: number },
): { averageDuration: number; averageInitDuration: number | null; averagePrice: number } | undefined {
  if (cold.durationMs.count === 0) return undefined;
  return {
    averageDuration: sketchTrimmedMean(cold.durationMs, 0),
    averageInitDuration: cold.initMs.count > 0 ? sketchTrimmedMean(cold.initMs, 0) : null,
    averagePrice: invocationCost(Math.ceil(sketchTrimmedMean(cold.billedMs, 0)), power, price),
  };
}

/** Warm and cold figures blended at the share of cold invocations. */
export function blend(warm: number, cold: number, coldStartRate: number): number {
  return (1 - coldStartRate) * warm + coldStartRate * cold;
}
