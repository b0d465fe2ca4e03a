/**
 * One memory size under test: its own seeded random stream, its execution environments and the
 * summary of its invocations so far. Draws invocations like the tuner would record them; with a
 * cold-start rate also its cold invocations, each in a brand-new execution environment (as the
 * tuner measures each on a fresh version), from a stream of their own. On arm64 (the architecture
 * sweep) durations take the profile's arm64 speed factor and the streams are the architecture's own.
 */
import { hashSeed, mulberry32, type Random } from '../../emulator/invoke/prng.js';
import {
  newEnvironment,
  sampleInvocation,
  type SyntheticEnvironment,
} from '../../emulator/invoke/synthetic-executor.js';
import { splitAcross } from '../../domain/environments.js';
import {
  emptySummary,
  mergeSummaries,
  summariseInvocations,
  type SizeSummary,
} from '../../domain/sample-summary.js';
import type { SizeProgress } from '../../domain/sampling-policy.js';
import type { Architecture, InvocationResult } from '../../domain/types.js';
import type { BenchProfile } from './profiles.js';

/** Which function errors stop a size at once (the tuner invokes it no further). */
export type StopOn = 'any-error' | 'out-of-memory';

const OUT_OF_MEMORY = 'Runtime.ExitError';

export class SizeUnderTest {
  readonly progress: SizeProgress;
  private readonly random: Random;
  /** Per alias (one, or the tuner's spread), the execution environments its calls go round. */
  private readonly aliases: { environments: SyntheticEnvironment[]; calls: number }[];
  /** The cold invocations' own stream, so the warm streams are the same with or without them. */
  private readonly coldRandom: Random;
  private calls = 0;
  private coldCalls = 0;

  /**
   * The stream depends only on the profile, the run and the size, so every mode and strategy of
   * a run sees the same invocations in the same order (common random numbers). Another
   * architecture than x86_64 has streams of its own: the two passes of a run are measured apart.
   */
  constructor(
    private readonly bench: BenchProfile,
    readonly power: number,
    run: number,
    private readonly stopOn: StopOn,
    private readonly architecture: Architecture = 'x86_64',
    /** The tuner's aliases per size (domain/environments.ts): each a version of its own. */
    spread = 1,
  ) {
    const key = `${bench.name}:${architecture === 'x86_64' ? '' : `${architecture}:`}${run}:${power}`;
    this.random = mulberry32(hashSeed(`decisions:${key}`));
    this.coldRandom = mulberry32(hashSeed(`decisions-cold:${key}`));
    this.aliases = Array.from({ length: spread }, () => ({
      environments: Array.from({ length: bench.environments }, newEnvironment),
      calls: 0,
    }));
    this.progress = { power, summary: emptySummary() };
  }

  /** Spreads the size over `total` aliases from now on: the new ones start with no calls. */
  grow(total: number): void {
    while (this.aliases.length < total) {
      this.aliases.push({
        environments: Array.from({ length: this.bench.environments }, newEnvironment),
        calls: 0,
      });
      this.progress.environments = [...(this.progress.environments ?? []), emptySummary()];
    }
  }

  /** Every invocation so far, the cold ones included. */
  get invocations(): number {
    return this.calls + this.coldCalls;
  }

  get coldInvocations(): number {
    return this.coldCalls;
  }

  /** One call as the tuner records it; `stop` is set when the error stops the size. */
  private call(
    random: Random,
    environment: SyntheticEnvironment,
  ): { result: InvocationResult; stop?: string } {
    const call = sampleInvocation(this.bench.profile, this.power, random, environment, {
      architecture: this.architecture,
    });
    const result: InvocationResult = {
      durationMs: call.durationMs,
      billedMs: call.billedMs,
      initMs: call.initMs,
      coldStart: call.coldStart,
    };
    if (!call.error) return { result };
    result.error = { ...call.error, allowed: false };
    const stops = this.stopOn === 'any-error' || call.error.type === OUT_OF_MEMORY;
    return { result, ...(stops ? { stop: `${call.error.type}: ${call.error.message}` } : {}) };
  }

  /**
   * Makes up to `count` invocations (fewer when an error stops the size) and merges them. Spread
   * over several aliases, as the workflow does: shared by splitAcross, one alias after another,
   * each alias's cold first calls kept out of the durations, a summary per alias.
   */
  invoke(count: number): void {
    if (this.progress.infeasibleReason) return;
    const spread = this.aliases.length > 1;
    const shares = splitAcross(
      count,
      this.aliases.map((a) => a.calls),
    );
    let stopped: string | undefined;
    for (const [slot, alias] of this.aliases.entries()) {
      const results: InvocationResult[] = [];
      for (let i = 0; i < (shares[slot] as number) && !stopped; i++) {
        const environment = alias.environments[
          alias.calls % alias.environments.length
        ] as SyntheticEnvironment;
        const { result, stop } = this.call(this.random, environment);
        this.calls += 1;
        alias.calls += 1;
        stopped = stop;
        results.push(result);
      }
      const summary = summariseInvocations(results, { warmOnly: spread });
      this.progress.summary = mergeSummaries(this.progress.summary, summary);
      if (spread) {
        const perAlias: SizeSummary[] = this.progress.environments ?? this.aliases.map(() => emptySummary());
        perAlias[slot] = mergeSummaries(perAlias[slot] as SizeSummary, summary);
        this.progress.environments = perAlias;
      }
      if (stopped) break;
    }
    const { summary } = this.progress;
    if (stopped) this.progress.infeasibleReason = stopped;
    else if (summary.invocations > 0 && summary.errors === summary.invocations)
      this.progress.infeasibleReason = `all ${summary.invocations} invocations failed`;
  }

  /**
   * Makes up to `count` cold invocations, each in a new execution environment (so each is a cold
   * start: Duration and Billed Duration include the Init Duration), into `progress.cold`. An error
   * that stops the size stops them too.
   */
  invokeCold(count: number): void {
    if (this.progress.infeasibleReason) return;
    const results: InvocationResult[] = [];
    let stopped: string | undefined;
    for (let i = 0; i < count && !stopped; i++) {
      const { result, stop } = this.call(this.coldRandom, newEnvironment());
      this.coldCalls += 1;
      stopped = stop;
      results.push(result);
    }
    const cold = summariseInvocations(results);
    this.progress.cold = this.progress.cold ? mergeSummaries(this.progress.cold, cold) : cold;
    if (stopped) this.progress.infeasibleReason = stopped;
  }
}
