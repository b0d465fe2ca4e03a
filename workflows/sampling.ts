/**
 * Sampling and analysis: the policy (domain/sampling-policy.ts) asks for rounds of invocations,
 * the workflow runs them and merges the summaries until the policy stops; the recommendation is
 * then computed here from the summaries (pure domain code, so no activity is needed).
 */
import { ApplicationFailure, patched } from '@temporalio/workflow';
import type { FunctionFacts, SetupResult } from '../activities/types.js';
import { NoFeasiblePowerError, analyzeTuning, type PowerValueSummary } from '../domain/analysis.js';
import { lambdaPrice } from '../domain/pricing.js';
import { splitAcross } from '../domain/environments.js';
import { growthCap } from '../domain/environment-growth.js';
import { COLD_SAMPLES_PER_SIZE } from '../domain/limits.js';
import { emptySummary, mergeSummaries } from '../domain/sample-summary.js';
import type { PriceRate } from '../domain/decision.js';
import {
  firstRound,
  MAX_LOOKS,
  nextRound,
  usesModel,
  unwarmedSizes,
  type Racing,
  type RoundRequest,
  type SamplingSettings,
  type SizeProgress,
  type StopReason,
} from '../domain/sampling-policy.js';
import type { FunctionTarget, TuningConfig, TuningOutput } from '../domain/types.js';
import { invokePowerValue } from './invocations.js';
import { growEnvironments, type LateSetup } from './late-setup.js';
import type { ProgressTracker } from './progress.js';
import { allOrCancelRest } from './steps.js';

/** Adaptive runs started since sticky racing take it; older ones replay with per-look racing. */
export const STICKY_RACING_PATCH = 'sticky-racing';
/** Adaptive runs started since then also decide with Lambda's scaling laws (domain/decision.ts). */
export const SCALING_LAWS_PATCH = 'scaling-laws';
/** Adaptive runs started since then let Lambda's scaling model pick among the contenders (domain/model-choice.ts). */
export const SCALING_MODEL_PATCH = 'scaling-model';
/** Adaptive runs started since then bill the model's sizes at the rounding pooled over all sizes. */
export const POOLED_ROUNDING_PATCH = 'pooled-rounding';
/**
 * Adaptive runs started since then race `sticky-focused`: the cost law is also checked by pooled
 * contrasts, and a choice that is only the best estimate is sampled where it can be overturned
 * (domain/sampling-policy.ts focusedShare). Older ones replay with the racing they started with.
 */
export const FOCUSED_RACING_PATCH = 'focused-racing';
/**
 * Runs started since then publish each size `config.environments` times and share its calls
 * among them (domain/environments.ts); older ones replay with one version per size.
 */
export const ENVIRONMENT_SPREAD_PATCH = 'environment-spread';
/**
 * Runs started since then judge constraints with the hosts' variance when their sizes are spread
 * (domain/host-percentile.ts); older ones replay with the pooled percentile interval.
 */
export const HOST_AWARE_CONSTRAINTS_PATCH = 'host-aware-constraints';
/**
 * Runs started since then take the larger default of environments that a latency bound brings
 * (domain/validate.ts); older ones replay with the default they started with.
 */
export const LATENCY_ENVIRONMENTS_PATCH = 'latency-environments';
/**
 * Runs started since then give sizes whose every call was a cold start a round of their own
 * (SamplingSettings.warmUnmeasured); older ones ended with "nothing feasible". Checked only when
 * such a size appears, so other runs record no marker.
 */
export const WARM_UNMEASURED_PATCH = 'warm-unmeasured';
/**
 * Adaptive runs started since then take the scaling model's pick for speed or balanced only
 * where its extra cost buys a proven speed-up (DecisionSettings.provenSpeedup); older ones replay
 * without the guard. Checked only when the run races with the model.
 */
export const PROVEN_SPEEDUP_PATCH = 'proven-speedup';
/**
 * Runs started since then, with constraints judged with the hosts' variance, sample first the
 * uncertain sizes likely to meet them (DecisionSettings.likelyFirst), keep an uncertain size in
 * contention until shown no better than the choice (contendUntilShown), and spread a contested
 * size over more environments (domain/environment-growth.ts); older ones replay without these.
 * Checked only in such runs, so others record no marker.
 */
export const LATENCY_GROWTH_PATCH = 'latency-growth';
/**
 * Adaptive runs started since then spend what is left of the budget in their last round
 * (SamplingSettings.lastRoundTakesRest); older ones replay doubling it. Checked only when a run
 * reaches that round's look, so others record no marker.
 */
export const LAST_ROUND_PATCH = 'last-round-takes-rest';

export interface Sampled {
  sizes: SizeProgress[];
  stop: StopReason;
  racing?: Racing;
  /** Constraints were judged with the hosts' variance (SamplingSettings.hostAwareConstraints). */
  hostAwareConstraints?: boolean;
  /** The model's pick was guarded (DecisionSettings.provenSpeedup): the analysis guards it too. */
  provenSpeedup?: boolean;
  /** Contenders were kept until shown no better (DecisionSettings.contendUntilShown): the analysis too. */
  contendUntilShown?: boolean;
}

/** What every round of one run shares; `sizes` gathers the merged summaries. */
export interface SamplingRun {
  config: TuningConfig;
  facts: FunctionFacts;
  target: FunctionTarget;
  progress: ProgressTracker;
  settings: SamplingSettings;
  price: PriceRate;
  sizes: SizeProgress[];
  /** Warm versions per size, decided once: setup publishes this many and sampling spreads over them. */
  environments: number;
}

/**
 * `total`: the first round's invocations per size (the whole grid with the fixed policy).
 * `preset.environments`: a path that predates spreading says how many it sets up (1).
 */
export function startSampling(
  config: TuningConfig,
  facts: FunctionFacts,
  target: FunctionTarget,
  total: number,
  progress: ProgressTracker,
  preset: { environments?: number } = {},
): SamplingRun {
  const sizes: SizeProgress[] = config.powerValues.map((power) => ({ power, summary: emptySummary() }));
  const settings: SamplingSettings = {
    ...config.sampling,
    num: total,
    strategy: config.strategy,
    balancedWeight: config.balancedWeight,
    discardTopBottom: config.discardTopBottom,
    racing: adaptiveRacing(config),
    ...(config.coldStartRate !== undefined ? { coldStartRate: config.coldStartRate } : {}),
  };
  // After racing's patches, in the order older runs met them. Checked only when spreading, so
  // runs with one environment record no marker.
  const spread = config.environments > 1 && patched(ENVIRONMENT_SPREAD_PATCH);
  const before = config.environmentsBeforeLatencyDefault;
  const environments =
    preset.environments ??
    (!spread
      ? 1
      : before !== undefined && !patched(LATENCY_ENVIRONMENTS_PATCH)
        ? before
        : config.environments);
  // Checked only with constraints on spread sizes, the only runs it changes.
  const hostAware =
    config.sampling.constraints !== undefined && environments > 1 && patched(HOST_AWARE_CONSTRAINTS_PATCH);
  if (hostAware) settings.hostAwareConstraints = true;
  // Last, after every patch older runs met.
  if (usesModel(settings.racing) && patched(PROVEN_SPEEDUP_PATCH)) settings.provenSpeedup = true;
  if (hostAware && settings.policy === 'adaptive' && patched(LATENCY_GROWTH_PATCH)) {
    settings.likelyFirst = true;
    settings.contendUntilShown = true;
    // Growing is for a percentile's bound, whose calls a size gets at once; a cost bound alone
    // would grow after its first round.
    if (config.sampling.constraints?.maxDurationMs !== undefined) {
      const coldPerSize =
        config.coldStartRate !== undefined ? (config.coldInvocations ?? COLD_SAMPLES_PER_SIZE) : 0;
      settings.growEnvironmentsTo = growthCap(config.powerValues.length, coldPerSize);
    }
  }
  const price = lambdaPrice(facts.region, facts.architecture, config.prices);
  return { config, facts, target, progress, settings, price, sizes, environments };
}

/** The newest racing a run may take; a replayed run gets the one it started with. */
function adaptiveRacing(config: TuningConfig): Racing {
  if (config.sampling.policy !== 'adaptive') return 'per-look';
  if (patched(FOCUSED_RACING_PATCH)) return 'sticky-focused';
  if (patched(POOLED_ROUNDING_PATCH)) return 'sticky-pooled';
  if (patched(SCALING_MODEL_PATCH)) return 'sticky-model';
  if (patched(SCALING_LAWS_PATCH)) return 'sticky-laws';
  return patched(STICKY_RACING_PATCH) ? 'sticky' : 'per-look';
}

/**
 * The sampling loop as it ran before pipelining (workflows/pipeline.ts): every size of a round
 * invoked side by side, the summaries merged, until the policy stops. The fixed grid is a single
 * round of `num` per size.
 */
export async function sample(run: SamplingRun, setups: SetupResult[], total: number): Promise<Sampled> {
  const first = firstRound(
    setups.map((s) => s.power),
    total,
  );
  await runRound(run, setups, first.requests, 1);
  return sampleFrom(run, setups, 1);
}

/**
 * Looks at the data after `look` rounds and runs the rounds the policy asks for, until it stops.
 * `late`: how to publish between rounds, when the policy spreads a size over more environments.
 */
export async function sampleFrom(
  run: SamplingRun,
  setups: SetupResult[],
  look: number,
  late?: LateSetup,
): Promise<Sampled> {
  for (let n = look; ; n++) {
    if (
      run.settings.policy === 'adaptive' &&
      run.settings.warmUnmeasured === undefined &&
      unwarmedSizes(run.sizes, run.settings).length > 0
    )
      run.settings.warmUnmeasured = patched(WARM_UNMEASURED_PATCH);
    if (
      run.settings.policy === 'adaptive' &&
      n === MAX_LOOKS - 1 &&
      run.settings.lastRoundTakesRest === undefined
    )
      run.settings.lastRoundTakesRest = patched(LAST_ROUND_PATCH);
    const round = nextRound(run.settings, run.sizes, run.price, n);
    for (const { power, by } of round.eliminated ?? []) sizeOf(run, power).eliminatedBy ??= by;
    if (round.stop) return sampledAt(run, round.stop);
    if (late) await growEnvironments(run, setups, late, round.requests);
    for (const request of round.requests) run.progress.extend(request.power, request.count);
    await runRound(run, setups, round.requests, n + 1);
  }
}

/** What the rounds left when the policy stopped: the summaries and how they were decided on. */
export function sampledAt(run: SamplingRun, stop: StopReason, racing = run.settings.racing): Sampled {
  const { hostAwareConstraints, provenSpeedup, contendUntilShown } = run.settings;
  return {
    sizes: run.sizes,
    stop,
    racing,
    ...(hostAwareConstraints ? { hostAwareConstraints } : {}),
    ...(provenSpeedup ? { provenSpeedup } : {}),
    ...(contendUntilShown ? { contendUntilShown } : {}),
  };
}

/** Every size of the round side by side. */
export async function runRound(
  run: SamplingRun,
  setups: SetupResult[],
  requests: RoundRequest[],
  round: number,
): Promise<void> {
  await allOrCancelRest(
    requests.map((request) => () => {
      const setup = setups.find((s) => s.power === request.power) as SetupResult;
      return sampleSize(run, setup, request.count, round);
    }),
  );
}

/** One size's share of a round (`count` invocations), merged into its summary. */
export async function sampleSize(
  run: SamplingRun,
  setup: SetupResult,
  count: number,
  round: number,
): Promise<void> {
  if (setup.environmentAliases) return sampleEnvironments(run, setup, setup.environmentAliases, count, round);
  const { config, facts, target, progress } = run;
  const result = await invokePowerValue({ config, facts, target, setup, total: count, round, progress });
  const size = sizeOf(run, result.power);
  size.summary = mergeSummaries(size.summary, result.summary);
  keepFailures(size, result);
}

/** The first failure and infeasible reason a size met stay its own; later ones do not replace them. */
function keepFailures(size: SizeProgress, result: PowerValueSummary): void {
  if (result.infeasibleReason) size.infeasibleReason ??= result.infeasibleReason;
  if (result.firstFailure) size.firstFailure ??= result.firstFailure;
}

/** The size's setup narrowed to `aliases` (one environment's, or its cold versions). */
function onAliases(setup: SetupResult, aliases: string[]): SetupResult {
  return {
    power: setup.power,
    aliases,
    ...(setup.architecture !== undefined ? { architecture: setup.architecture } : {}),
  };
}

/**
 * A size spread over environments: the round's calls shared so that each environment's total
 * stays as even as can be, invoked one environment after another (their batches numbered on
 * within the round), each merged into the size's summary and into its environment's.
 */
async function sampleEnvironments(
  run: SamplingRun,
  setup: SetupResult,
  aliases: string[],
  count: number,
  round: number,
): Promise<void> {
  const { config, facts, target, progress } = run;
  const size = sizeOf(run, setup.power);
  const perEnvironment = (size.environments ??= []);
  // Environments published since the last round (domain/environment-growth.ts) start empty.
  while (perEnvironment.length < aliases.length) perEnvironment.push(emptySummary());
  const shares = splitAcross(
    count,
    perEnvironment.map((summary) => summary.invocations),
  );
  let nextBatch = 1;
  let offset = 0;
  for (const [index, alias] of aliases.entries()) {
    const share = shares[index] ?? 0;
    if (share === 0) continue;
    const within = { offset, total: count };
    offset += share;
    const result = await invokePowerValue({
      config,
      facts,
      target,
      setup: onAliases(setup, [alias]),
      total: share,
      round,
      progress,
      firstBatch: nextBatch,
      environment: { index, count: aliases.length },
      warmOnly: true,
      within,
    });
    nextBatch += result.batches;
    size.summary = mergeSummaries(size.summary, result.summary);
    perEnvironment[index] = mergeSummaries(perEnvironment[index] ?? emptySummary(), result.summary);
    keepFailures(size, result);
    // Out of memory or timed out: no other environment of the size is invoked.
    if (result.infeasibleReason) return;
  }
}

/**
 * With a cold-start rate: one invocation on each of the size's cold versions (each a cold start),
 * kept apart from the warm rounds as the size's cold summary. Round 0 in the activity ids.
 */
export async function sampleColdStarts(run: SamplingRun, setup: SetupResult): Promise<void> {
  const coldAliases = setup.coldAliases ?? [];
  if (coldAliases.length === 0) return;
  const { config, facts, target, progress } = run;
  progress.extend(setup.power, coldAliases.length);
  const result = await invokePowerValue({
    config,
    facts,
    target,
    setup: onAliases(setup, coldAliases),
    total: coldAliases.length,
    round: 0,
    progress,
  });
  const size = sizeOf(run, setup.power);
  size.cold = result.summary;
  keepFailures(size, result);
}

export function sizeOf(run: SamplingRun, power: number): SizeProgress {
  return run.sizes.find((s) => s.power === power) as SizeProgress;
}

/** The recommendation, computed here from the per-size summaries: pure, so no activity needed. */
export function analyze(
  config: TuningConfig,
  facts: FunctionFacts,
  { sizes, stop, racing, hostAwareConstraints, provenSpeedup, contendUntilShown }: Sampled,
): TuningOutput {
  try {
    return analyzeTuning({
      config,
      ...(config.sampling.policy === 'adaptive' ? { stop, racing } : {}),
      ...(hostAwareConstraints ? { hostAwareConstraints } : {}),
      ...(provenSpeedup ? { provenSpeedup } : {}),
      ...(contendUntilShown ? { contendUntilShown } : {}),
      functionName: facts.functionName,
      region: facts.region,
      architecture: facts.architecture,
      currentPower: facts.memorySize,
      ...(facts.volume ? { volume: facts.volume } : {}),
      results: sizes satisfies PowerValueSummary[],
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const type = err instanceof NoFeasiblePowerError ? 'NoFeasiblePowerValue' : 'AnalysisFailed';
    throw ApplicationFailure.nonRetryable(`Analyzing the results: ${message}`, type);
  }
}
