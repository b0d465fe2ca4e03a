/**
 * Sampling and analysis: the policy (domain/sampling-policy.ts) asks for rounds of invocations,
 * the workflow runs them and merges the summaries until the policy stops; the recommendation is
 * then computed here from the summaries (pure domain code, so no activity is needed).
 */
import { ApplicationFailure, patched } from '@temporalio/workflow';
import type { FunctionFacts, SetupResult } from '../activities/types.js';
import { NoFeasiblePowerError, analyzeTuning, type PowerValueSummary } from '../domain/analysis.js';
import { lambdaPrice } from '../domain/pricing.js';
import { emptySummary, mergeSummaries } from '../domain/sample-summary.js';
import {
  firstRound,
  nextRound,
  type Racing,
  type SamplingSettings,
  type SizeProgress,
  type StopReason,
} from '../domain/sampling-policy.js';
import type { FunctionTarget, TuningConfig, TuningOutput } from '../domain/types.js';
import { invokePowerValue } from './invocations.js';
import type { ProgressTracker } from './progress.js';
import { allOrCancelRest } from './steps.js';

/** Adaptive runs started since sticky racing take it; older ones replay with per-look racing. */
export const STICKY_RACING_PATCH = 'sticky-racing';
/** Adaptive runs started since then also decide with Lambda's scaling laws (domain/decision.ts). */
export const SCALING_LAWS_PATCH = 'scaling-laws';

export interface Sampled {
  sizes: SizeProgress[];
  stop: StopReason;
  racing?: Racing;
}

/**
 * The sampling loop: the policy (domain/sampling-policy.ts) asks for a round, every size in it
 * is invoked side by side, the summaries are merged, until the policy stops. The fixed grid is a
 * single round of `num` per size.
 */
export async function sample(
  config: TuningConfig,
  facts: FunctionFacts,
  target: FunctionTarget,
  setups: SetupResult[],
  total: number,
  progress: ProgressTracker,
): Promise<Sampled> {
  const sizes: SizeProgress[] = setups.map((s) => ({ power: s.power, summary: emptySummary() }));
  const settings: SamplingSettings = {
    ...config.sampling,
    num: total,
    strategy: config.strategy,
    balancedWeight: config.balancedWeight,
    discardTopBottom: config.discardTopBottom,
    racing: adaptiveRacing(config),
  };
  const price = lambdaPrice(facts.region, facts.architecture, config.prices);
  let round = firstRound(
    setups.map((s) => s.power),
    total,
  );
  for (let n = 1; ; n++) {
    if (n > 1) for (const request of round.requests) progress.extend(request.power, request.count);
    const results = await allOrCancelRest(
      round.requests.map((request) => () => {
        const setup = setups.find((s) => s.power === request.power) as SetupResult;
        return invokePowerValue({
          config,
          facts,
          target,
          setup,
          total: request.count,
          round: n,
          progress,
        });
      }),
    );
    for (const result of results) {
      const size = sizes.find((s) => s.power === result.power) as SizeProgress;
      size.summary = mergeSummaries(size.summary, result.summary);
      if (result.infeasibleReason) size.infeasibleReason ??= result.infeasibleReason;
      if (result.firstFailure) size.firstFailure ??= result.firstFailure;
    }
    round = nextRound(settings, sizes, price, n);
    for (const { power, by } of round.eliminated ?? []) {
      (sizes.find((s) => s.power === power) as SizeProgress).eliminatedBy ??= by;
    }
    if (round.stop) return { sizes, stop: round.stop, racing: settings.racing };
  }
}

/** The recommendation, computed here from the per-size summaries: pure, so no activity needed. */
export function analyze(
  config: TuningConfig,
  facts: FunctionFacts,
  { sizes, stop, racing }: Sampled,
): TuningOutput {
  try {
    return analyzeTuning({
      config,
      ...(config.sampling.policy === 'adaptive' ? { stop, racing } : {}),
      functionName: facts.functionName,
      region: facts.region,
      architecture: facts.architecture,
      currentPower: facts.memorySize,
      results: sizes satisfies PowerValueSummary[],
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const type = err instanceof NoFeasiblePowerError ? 'NoFeasiblePowerValue' : 'AnalysisFailed';
    throw ApplicationFailure.nonRetryable(`Analyzing the results: ${message}`, type);
  }
}

/** The newest racing a run may take; a replayed run gets the one it started with. */
function adaptiveRacing(config: TuningConfig): Racing {
  if (config.sampling.policy !== 'adaptive') return 'per-look';
  if (patched(SCALING_LAWS_PATCH)) return 'sticky-laws';
  return patched(STICKY_RACING_PATCH) ? 'sticky' : 'per-look';
}
