/**
 * One memory size under test: its own seeded random stream, its execution environments and the
 * summary of its invocations so far. Draws invocations like the tuner would record them.
 */
import { hashSeed, mulberry32, type Random } from '../../emulator/invoke/prng.js';
import {
  newEnvironment,
  sampleInvocation,
  type SyntheticEnvironment,
} from '../../emulator/invoke/synthetic-executor.js';
import { emptySummary, mergeSummaries, summariseInvocations } from '../../domain/sample-summary.js';
import type { SizeProgress } from '../../domain/sampling-policy.js';
import type { InvocationResult } from '../../domain/types.js';
import type { BenchProfile } from './profiles.js';

/** Which function errors stop a size at once (the tuner invokes it no further). */
export type StopOn = 'any-error' | 'out-of-memory';

const OUT_OF_MEMORY = 'Runtime.ExitError';

export class SizeUnderTest {
  readonly progress: SizeProgress;
  private readonly random: Random;
  private readonly environments: SyntheticEnvironment[];
  private calls = 0;

  /**
   * The stream depends only on the profile, the run and the size, so every mode and strategy of
   * a run sees the same invocations in the same order (common random numbers).
   */
  constructor(
    private readonly bench: BenchProfile,
    readonly power: number,
    run: number,
    private readonly stopOn: StopOn,
  ) {
    this.random = mulberry32(hashSeed(`decisions:${bench.name}:${run}:${power}`));
    this.environments = Array.from({ length: bench.environments }, newEnvironment);
    this.progress = { power, summary: emptySummary() };
  }

  get invocations(): number {
    return this.calls;
  }

  /** Makes up to `count` invocations (fewer when an error stops the size) and merges them. */
  invoke(count: number): void {
    if (this.progress.infeasibleReason) return;
    const results: InvocationResult[] = [];
    let stopped: string | undefined;
    for (let i = 0; i < count && !stopped; i++) {
      const environment = this.environments[this.calls % this.environments.length] as SyntheticEnvironment;
      const call = sampleInvocation(this.bench.profile, this.power, this.random, environment);
      this.calls += 1;
      const result: InvocationResult = {
        durationMs: call.durationMs,
        billedMs: call.billedMs,
        initMs: call.initMs,
        coldStart: call.coldStart,
      };
      if (call.error) {
        result.error = { ...call.error, allowed: false };
        if (this.stopOn === 'any-error' || call.error.type === OUT_OF_MEMORY)
          stopped = `${call.error.type}: ${call.error.message}`;
      }
      results.push(result);
    }
    this.progress.summary = mergeSummaries(this.progress.summary, summariseInvocations(results));
    const { summary } = this.progress;
    if (stopped) this.progress.infeasibleReason = stopped;
    else if (summary.invocations > 0 && summary.errors === summary.invocations)
      this.progress.infeasibleReason = `all ${summary.invocations} invocations failed`;
  }
}
