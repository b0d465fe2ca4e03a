/**
 * The true percentile of each size's warm duration, by Monte Carlo from the emulator's own sampler
 * (sampleInvocation): a large seeded sample per size, spread over many execution environments so
 * that hosts of different speed (environmentSpread) are weighed as production would see them. Each
 * environment's first call is a cold start and is left out; so are failed calls (the tuner does
 * not measure them). The percentile comes with its distribution-free interval (the project's own
 * percentileInterval), so a bound can be placed clear of the Monte Carlo error too.
 */
import { hashSeed, mulberry32 } from '../../emulator/invoke/prng.js';
import { newEnvironment, sampleInvocation } from '../../emulator/invoke/synthetic-executor.js';
import { percentileInterval } from '../../domain/intervals.js';
import { sketchOf } from '../../domain/sketch.js';
import type { BenchProfile } from './profiles.js';

/** Environments per size at first, and warm calls in each: 20,000 warm calls over 1,000 hosts. */
export const TRUTH_ENVIRONMENTS = 1000;
export const TRUTH_WARM_CALLS = 20;
/** Confidence of the Monte Carlo interval around each true percentile. */
export const TRUTH_CONFIDENCE = 0.999;
/**
 * The sample doubles until the interval is within this share of the estimate on each side (the
 * binned sketch alone accounts for about 1.5%), at most MAX_DOUBLINGS times (80,000 warm calls). A
 * percentile in a sparse part of the distribution stays wide: heavy-tails' p95 falls where the
 * lognormal body thins out and the 5× outliers begin, ±15% at 80,000 calls (±10% at 320,000).
 * The bounds are placed clear of these intervals (constraint-cases.ts), so the width costs only
 * choice of placement, never correctness of the truth.
 */
export const TRUTH_PRECISION = 0.03;
export const MAX_DOUBLINGS = 2;

export interface TruePercentile {
  power: number;
  /** The percentile of the warm, successful calls. */
  estimate: number;
  /** Its interval at TRUTH_CONFIDENCE (the Monte Carlo error, binned sketch included). */
  lower: number;
  upper: number;
  /** Warm, successful calls measured. */
  n: number;
}

/**
 * The true `percentile` of every size's warm duration; undefined for a size whose calls all fail
 * (e.g. below the memory floor). Seeded by profile and size only: the same on every run.
 */
export function truePercentiles(
  bench: BenchProfile,
  sizes: readonly number[],
  percentile: number,
): Map<number, TruePercentile | undefined> {
  return new Map(sizes.map((power) => [power, truePercentile(bench, power, percentile)]));
}

/** A seeded source of warm, successful durations of one size, spread over new environments. */
function warmDurations(bench: BenchProfile, power: number, seed: string) {
  const random = mulberry32(hashSeed(`${seed}:${bench.name}:${power}`));
  const durations: number[] = [];
  const draw = (environments: number) => {
    for (let e = 0; e < environments; e++) {
      const environment = newEnvironment();
      for (let call = 0; call <= TRUTH_WARM_CALLS; call++) {
        const result = sampleInvocation(bench.profile, power, random, environment);
        if (!result.coldStart && !result.error) durations.push(result.durationMs);
      }
    }
  };
  return { durations, draw };
}

/**
 * The share of a size's warm calls above `bound` (80,000 over 4,000 environments): what a
 * latency verdict's binomial test measures, so how many calls deciding it takes.
 */
export function trueShareAbove(bench: BenchProfile, power: number, bound: number): number {
  const { durations, draw } = warmDurations(bench, power, 'true-share');
  draw(TRUTH_ENVIRONMENTS * 4);
  return durations.length === 0 ? 1 : durations.filter((d) => d > bound).length / durations.length;
}

function truePercentile(bench: BenchProfile, power: number, percentile: number): TruePercentile | undefined {
  const { durations, draw } = warmDurations(bench, power, 'true-percentile');
  draw(TRUTH_ENVIRONMENTS);
  if (durations.length === 0) return undefined;
  let interval = percentileInterval(sketchOf(durations), percentile, TRUTH_CONFIDENCE);
  for (let doubling = 0; doubling < MAX_DOUBLINGS && !precise(interval); doubling++) {
    draw(TRUTH_ENVIRONMENTS << doubling);
    interval = percentileInterval(sketchOf(durations), percentile, TRUTH_CONFIDENCE);
  }
  return { power, estimate: interval.estimate, lower: interval.lower, upper: interval.upper, n: interval.n };
}

const precise = (p: { estimate: number; lower: number; upper: number }): boolean =>
  p.lower >= p.estimate * (1 - TRUTH_PRECISION) && p.upper <= p.estimate * (1 + TRUTH_PRECISION);
