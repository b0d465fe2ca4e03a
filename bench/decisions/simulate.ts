/**
 * One simulated tuning, in-process: the same decision procedure as the workflow (rounds from
 * domain/sampling-policy.ts, summaries from domain/sample-summary.ts, the choice from
 * domain/constrained-decision.ts, which is domain/decision.ts without constraints, or the
 * original's rule), fed by sampleInvocation instead of Lambda.
 */
import { decideWithin } from '../../domain/constrained-decision.js';
import {
  eliminations,
  feasibleSizes,
  firstRound,
  lookSettings,
  nextRound,
  type Racing,
  type Round,
  type SamplingSettings,
  type SizeProgress,
  type StopReason,
} from '../../domain/sampling-policy.js';
import { COLD_SAMPLES_PER_SIZE } from '../../domain/limits.js';
import type { Architecture, Strategy } from '../../domain/types.js';
import { SizeUnderTest } from './measure.js';
import { originalChoice, originalFeasible } from './original.js';
import type { BenchProfile } from './profiles.js';
import { constrainedSettings, NUM, PRICE, priceOf, samplingSettings, SIZES, type Mode } from './settings.js';

export interface RunOutcome {
  /** The recommended size; undefined when no size was feasible, or none was shown to meet the constraints. */
  choice?: number;
  /** Every invocation of the run, the cold ones included. */
  invocations: number;
  /** The cold invocations among them (with a cold-start rate: COLD_SAMPLES_PER_SIZE per size); absent: none. */
  coldInvocations?: number;
  /** Sizes the run judged infeasible. */
  infeasible: number[];
  rounds: number;
  stop: StopReason | 'original';
}

/** The adaptive policy always stops (settled or budget); this only guards against a bug. */
const MAX_ROUNDS = 100;

function play(round: Round, sizes: SizeUnderTest[]): void {
  for (const request of round.requests) {
    const size = sizes.find((s) => s.power === request.power);
    if (request.environments !== undefined) size?.grow(request.environments);
    size?.invoke(request.count);
  }
}

/** What the policy's rounds leave: each size's summaries, and why and after how many rounds they stopped. */
interface Sampled {
  sizes: SizeUnderTest[];
  rounds: number;
  stop: StopReason;
}

/** The policy's rounds until it stops, on `architecture` (its durations, and its price for racing). */
function samplePolicy(
  bench: BenchProfile,
  settings: SamplingSettings,
  run: number,
  architecture: Architecture = 'x86_64',
): Sampled {
  const price = priceOf(architecture);
  const sizes = SIZES.map(
    (p) => new SizeUnderTest(bench, p, run, 'out-of-memory', architecture, settings.environments ?? 1),
  );
  // With a cold-start rate the cold invocations come first, each on a fresh version.
  if (settings.coldStartRate !== undefined) for (const size of sizes) size.invokeCold(COLD_SAMPLES_PER_SIZE);
  play(firstRound([...SIZES], settings.num), sizes);
  let rounds = 1;
  let stop: StopReason | undefined;
  while (stop === undefined && rounds < MAX_ROUNDS) {
    const round = nextRound(
      settings,
      sizes.map((s) => s.progress),
      price,
      rounds,
    );
    for (const { power, by } of round.eliminated ?? []) {
      const size = sizes.find((s) => s.power === power);
      if (size) size.progress.eliminatedBy ??= by;
    }
    if (round.stop) stop = round.stop;
    else {
      play(round, sizes);
      rounds += 1;
    }
  }
  if (stop === undefined)
    throw new Error(`${bench.name}: the policy did not stop after ${MAX_ROUNDS} rounds`);
  return { sizes, rounds, stop };
}

function runPolicy(bench: BenchProfile, settings: SamplingSettings, run: number): RunOutcome {
  const { sizes, rounds, stop } = samplePolicy(bench, settings, run);
  const feasible = feasibleSizes(
    sizes.map((s) => s.progress),
    settings,
  );
  const infeasible = SIZES.filter((p) => !feasible.some((f) => f.power === p));
  // As the analysis decides (domain/analysis.ts); without constraints this is decide() itself.
  const choice =
    feasible.length > 0
      ? decideWithin(feasible, lookSettings(settings), PRICE, eliminations(feasible), settings.constraints)
          .decision?.choice
      : undefined;
  return {
    ...(choice !== undefined ? { choice } : {}),
    invocations: sizes.reduce((sum, s) => sum + s.invocations, 0),
    coldInvocations: sizes.reduce((sum, s) => sum + s.coldInvocations, 0),
    infeasible,
    rounds,
    stop,
  };
}

/** The original: `num` per size, trimmed means compared as they are, any error = infeasible. */
function runOriginal(bench: BenchProfile, strategy: Strategy, run: number): RunOutcome {
  const sizes = SIZES.map((p) => new SizeUnderTest(bench, p, run, 'any-error'));
  for (const size of sizes) size.invoke(NUM);
  const progress = sizes.map((s) => s.progress);
  const choice = originalChoice(progress, strategy);
  return {
    ...(choice !== undefined ? { choice } : {}),
    invocations: sizes.reduce((sum, s) => sum + s.invocations, 0),
    infeasible: progress.filter((p) => !originalFeasible(p)).map((p) => p.power),
    rounds: 1,
    stop: 'original',
  };
}

export function simulateTuning(bench: BenchProfile, strategy: Strategy, mode: Mode, run: number): RunOutcome {
  return mode === 'original'
    ? runOriginal(bench, strategy, run)
    : runPolicy(bench, samplingSettings(mode, strategy), run);
}

/** The adaptive mode with a cold-start rate: cold invocations measured per size, the blend decided on. */
export function simulateColdStart(
  bench: BenchProfile,
  strategy: Strategy,
  coldStartRate: number,
  run: number,
): RunOutcome {
  return runPolicy(bench, samplingSettings('adaptive', strategy, coldStartRate), run);
}

/** The adaptive mode under the constraints column's strategy, with a p95 bound of `maxDurationMs`. */
export function simulateConstrained(
  bench: BenchProfile,
  maxDurationMs: number,
  run: number,
  budgetFactor = 1,
): RunOutcome {
  return runPolicy(bench, constrainedSettings(maxDurationMs, budgetFactor), run);
}

/** One pass of a tuning over architectures: the adaptive mode's rounds on `architecture`. */
export interface PassSample {
  /** Each size's summaries, as the workflow hands them to domain/analysis.ts. */
  sizes: SizeProgress[];
  stop: StopReason;
  /** How the run raced (the analysis takes its final verdicts at that level). */
  racing?: Racing;
  /** The model's pick was guarded (DecisionSettings.provenSpeedup): the analysis guards it too. */
  provenSpeedup?: boolean;
  invocations: number;
}

/**
 * The adaptive mode on `architecture`: its durations (the profile's speed factor there), its price
 * in the racing, its own random streams (x86_64: the same invocations as the adaptive mode).
 */
export function simulatePass(
  bench: BenchProfile,
  strategy: Strategy,
  architecture: Architecture,
  run: number,
): PassSample {
  const settings = samplingSettings('adaptive', strategy);
  const { sizes, stop } = samplePolicy(bench, settings, run, architecture);
  return {
    sizes: sizes.map((s) => s.progress),
    stop,
    ...(settings.racing ? { racing: settings.racing } : {}),
    ...(settings.provenSpeedup ? { provenSpeedup: true } : {}),
    invocations: sizes.reduce((sum, s) => sum + s.invocations, 0),
  };
}
