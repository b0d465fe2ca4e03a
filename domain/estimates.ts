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
