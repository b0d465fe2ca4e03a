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
