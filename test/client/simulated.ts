/**
 * Tuning outputs made the way the workflow makes them: seeded noisy invocations per size,
 * summarised and analysed by the domain code, so the views are tested on real intervals,
 * standings and statements rather than hand-written ones.
 */
import { analyzeTuning, type PowerValueSummary } from '../../domain/analysis.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import type { InvocationResult, PowerTuningInput, TuningOutput } from '../../domain/types.js';
import { validateInput } from '../../domain/validate.js';
import { createRng, simulateDurations } from '../support/prng.js';

export const SIM_POWERS = [128, 256, 512, 1024, 2048];

/** CPU-bound code: faster with memory up to one vCPU (1769 MB), flat beyond. */
export function cpuBound(power: number, workMs = 2000): number {
  return 20 + workMs / Math.min(1, power / 1769);
}

export interface SimulatedRun {
  seed: number;
  /** Mean duration per size, in ms; default cpuBound. */
  base?: (power: number) => number;
  num?: number;
  powers?: number[];
  /** Multiplicative noise (log-normal σ). */
  sigma?: number;
  /** Share of invocations that fail with a function error, per size. */
  errorRate?: (power: number) => number;
  input?: Partial<PowerTuningInput>;
  /** The function's memory size before the tuning (the workflow passes it; absent: unknown). */
  currentPower?: number;
}

export function simulatedOutput(run: SimulatedRun): TuningOutput {
  const rng = createRng(run.seed);
  const powers = run.powers ?? SIM_POWERS;
  const num = run.num ?? 30;
  const base = run.base ?? cpuBound;
  const config = validateInput({ lambdaARN: 'sim-fn', num, powerValues: powers, ...run.input });
  const results: PowerValueSummary[] = powers.map((power) => {
    const durations = simulateDurations(
      rng,
      { base: base(power), sigma: run.sigma ?? 0.08, outlierRate: 0.02, outlierFactor: 2 },
      num,
    );
    const invocations: InvocationResult[] = durations.map((d, i) => ({
      durationMs: d,
      billedMs: Math.ceil(d),
      initMs: i === 0 ? 150 : 0,
      coldStart: i === 0,
      ...(rng.uniform() < (run.errorRate?.(power) ?? 0)
        ? { error: { type: 'Error', message: 'flaky dependency', allowed: false } }
        : {}),
    }));
    return { power, summary: summariseInvocations(invocations) };
  });
  return analyzeTuning({
    config,
    functionName: 'sim-fn',
    region: 'us-east-1',
    architecture: 'x86_64',
    results,
    ...(run.currentPower !== undefined ? { currentPower: run.currentPower } : {}),
  });
}
