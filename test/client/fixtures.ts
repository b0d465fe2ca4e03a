/** Sample tuning outputs for the formatting, report and comparison tests. */
import type { PowerValueStats, TuningOutput } from '../../domain/types.js';

export function stats(
  power: number,
  averageDuration: number,
  averagePrice: number,
  extra: Partial<PowerValueStats> = {},
): PowerValueStats {
  return {
    power,
    invocations: 10,
    errors: 0,
    coldStarts: 1,
    averageDuration,
    averagePrice,
    p50: averageDuration * 0.95,
    p90: averageDuration * 1.2,
    p99: averageDuration * 1.4,
    stdDev: averageDuration * 0.1,
    totalCost: averagePrice * 10,
    feasible: true,
    allowedErrors: 0,
    ...extra,
  };
}

/** 128 MB infeasible (out of memory), 256 MB recommended by cost, 512 close on cost, 1024 fastest. */
export function sampleOutput(overrides: Partial<TuningOutput> = {}): TuningOutput {
  return {
    power: 256,
    cost: 2.1e-6,
    duration: 800,
    stateMachine: {
      executionCost: 0,
      lambdaCost: 0.0001234,
      visualization: 'https://lambda-power-tuning.show/#AAEC;AAAA;AAAA',
    },
    strategy: 'cost',
    functionName: 'my-function',
    region: 'us-east-1',
    architecture: 'x86_64',
    currency: 'USD',
    dryRun: false,
    optimized: false,
    results: [
      stats(128, 0, 0, {
        // As the analysis reports an infeasible size: no averages.
        averageDuration: null,
        averagePrice: null,
        feasible: false,
        infeasibleReason:
          'all 10 invocations failed (first error Runtime.OutOfMemory: "killed", out of memory)',
        errors: 10,
      }),
      stats(256, 800, 2.1e-6),
      stats(512, 410, 2.15e-6),
      stats(1024, 220, 4.0e-6),
    ],
    ...overrides,
  };
}

/** ±rel around a value, as the intervals of a run with statistics. */
export function around(value: number, rel: number): { lower: number; upper: number } {
  return { lower: value * (1 - rel), upper: value * (1 + rel) };
}

/**
 * A feasible size of a run with statistics: its average duration and cost known within ±`spread`,
 * and no failed invocation, unless `extra` says otherwise.
 */
function statisticalStats(
  power: number,
  averageDuration: number,
  averagePrice: number,
  spread: number,
  extra: Partial<PowerValueStats>,
): PowerValueStats {
  return stats(power, averageDuration, averagePrice, {
    durationInterval: around(averageDuration, spread),
    priceInterval: around(averagePrice, spread),
    errorRate: 0,
    errorRateInterval: { lower: 0, upper: 0.28 },
    ...extra,
  });
}

/**
 * sampleOutput as a run with the decision's statistics reports it: intervals on every figure,
 * 512 MB shown within the 5% tolerance of 256 MB on cost, 1024 MB shown dearer, one failed
 * invocation at 512 MB, and an adaptive run that stopped once settled.
 */
export function statisticalOutput(overrides: Partial<TuningOutput> = {}): TuningOutput {
  const base = sampleOutput();
  const infeasible = base.results[0] as PowerValueStats;
  return sampleOutput({
    results: [
      { ...infeasible, errorRate: 1, errorRateInterval: { lower: 0.72, upper: 1 } },
      statisticalStats(256, 800, 2.1e-6, 0.031, {
        priceInterval: around(2.1e-6, 0.03),
        p90Interval: { lower: 900, upper: 1100, bounded: false },
        standing: 'best',
      }),
      statisticalStats(512, 410, 2.15e-6, 0.02, {
        errors: 1,
        errorRate: 0.1,
        errorRateInterval: { lower: 0.018, upper: 0.4 },
        p90Interval: { lower: 450, upper: 560, bounded: false },
        standing: 'equivalent',
      }),
      statisticalStats(1024, 220, 4e-6, 0.015, {
        p90Interval: { lower: 240, upper: 300, bounded: false },
        standing: 'worse',
      }),
    ],
    confidence: {
      level: 0.95,
      tolerance: 0.05,
      policy: 'adaptive',
      settled: true,
      stop: 'settled',
      statement:
        'With 95% confidence, 256 MB is not dearer by more than 5% than the best size; 512 MB could not be told apart from it, and 256 MB is preferred among them.',
    },
    equivalentSizes: [256, 512],
    invocationsSpent: 37,
    gridInvocations: 40,
    ...overrides,
  });
}

/**
 * statisticalOutput as a run with coldStartRate 0.1 reports it: 5 cold invocations per size (one
 * failed at 512 MB, all at the infeasible 128 MB), and the figures blended at 10% cold. Blended,
 * 512 MB is cheaper than 256 MB (warm, it is not), so the strategy "cost" chose 512 MB.
 */
export function coldOutput(overrides: Partial<TuningOutput> = {}): TuningOutput {
  const cold: Record<number, PowerValueStats['cold']> = {
    128: { invocations: 5, errors: 5, averageDuration: null, averageInitDuration: null, averagePrice: null },
    256: {
      invocations: 5,
      errors: 0,
      averageDuration: 2400,
      averageInitDuration: 900,
      averagePrice: 1.02e-5,
    },
    512: {
      invocations: 5,
      errors: 1,
      averageDuration: 1100,
      averageInitDuration: 500,
      averagePrice: 9.37e-6,
    },
    1024: {
      invocations: 5,
      errors: 0,
      averageDuration: 600,
      averageInitDuration: 300,
      averagePrice: 1.02e-5,
    },
  };
  const standing: Record<number, PowerValueStats['standing']> = {
    256: 'equivalent',
    512: 'best',
    1024: 'worse',
  };
  const blend = (warm: number, c: number) => 0.9 * warm + 0.1 * c;
  return statisticalOutput({
    power: 512,
    cost: 2.15e-6,
    duration: 410,
    coldStartRate: 0.1,
    results: statisticalOutput().results.map((r) => {
      const c = cold[r.power];
      const sized: PowerValueStats = { ...r, cold: c };
      if (!r.feasible || !c || r.averageDuration === null || r.averagePrice === null) return sized;
      return {
        ...sized,
        standing: standing[r.power],
        blended: {
          averageDuration: blend(r.averageDuration, c.averageDuration ?? 0),
          averagePrice: blend(r.averagePrice, c.averagePrice ?? 0),
        },
      };
    }),
    confidence: {
      level: 0.95,
      tolerance: 0.05,
      policy: 'adaptive',
      settled: true,
      stop: 'settled',
      statement:
        'With 95% confidence, 512 MB is not dearer by more than 5% than the best size; 256 MB could not be told apart from it, and 512 MB is preferred among them.',
    },
    ...overrides,
  });
}
