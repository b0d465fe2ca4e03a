/**
 * The power-tuning workflow: validate → lock the function (saving its settings) → inspect →
 * set up one version and alias per memory size, each size invoking as soon as it is set up →
 * sample: invoke rounds of the sizes the policy asks for, in parallel, in batches, until it
 * stops → analyze → optionally apply the choice → always clean up → with a price per action,
 * count the run's Temporal Cloud actions.
 * Deterministic: every side effect happens in an activity.
 */
import { isCancellation, patched, workflowInfo } from '@temporalio/workflow';
import type { LockResult } from '../activities/types.js';
import { runTag } from '../domain/naming.js';
import { switchesArchitecture } from '../domain/architectures.js';
import { withBaseline } from '../domain/baseline.js';
import type { PowerTuningInput, TuningConfig, TuningOutput } from '../domain/types.js';
import { applyRecommendation } from './apply.js';
import { tuneArchitectures } from './architectures.js';
import { cleanUpRun } from './cleanup-run.js';
import { legacyPowerTuning } from './legacy/power-tuning-v1.js';
import { withOrchestrationCost } from './orchestration.js';
import { RunStatus } from './run-status.js';
import { setUpAndSample } from './pipeline.js';
import { analyze } from './sampling.js';
import { inspectFunction, lockFunction } from './setup.js';
import { validateOrFail } from './steps.js';

/**
 * Runs started before the safety rework replay through the frozen legacy code; every new run
 * records this marker and takes the path below.
 */
export const SAFE_CORE_PATCH = 'lock-first-compact-results';

/** Runs started before it test only the sizes given; newer runs also measure the current one. */
export const BASELINE_PATCH = 'baseline-size';

export async function powerTuning(input: PowerTuningInput): Promise<TuningOutput> {
  if (!patched(SAFE_CORE_PATCH)) return legacyPowerTuning(input);

  const config = validateOrFail(input);
  const output = await tuneAndCleanUp(config);
  // Last, so the count covers the whole run; runs without a price schedule nothing more.
  return config.pricePerMillionActions === undefined
    ? output
    : withOrchestrationCost(output, config.pricePerMillionActions);
}

/** Lock, inspect, set up and sample, analyze, apply; cleanup always. */
async function tuneAndCleanUp(config: TuningConfig): Promise<TuningOutput> {
  const invocationsPerSize = config.dryRun ? 1 : config.num;
  const status = new RunStatus(config, invocationsPerSize);
  const tag = runTag(workflowInfo().runId);
  let target = config.target;
  let lock: LockResult | undefined;
  let optimized = false;
  /** The run may switch `$LATEST`'s architecture: cleanup puts the original one back. */
  let switching = false;
  let failure: unknown;
  try {
    lock = await lockFunction(target, tag, workflowInfo().workflowId, (held) => (lock = held));
    const { facts, workerHasSearchAttributes } = await inspectFunction(config);
    target = { ...config.target, region: config.target.region ?? facts.region };
    status.identify(facts, config, workerHasSearchAttributes);
    // The current size joins the candidates, so the output can say what the choice changes.
    const plan = patched(BASELINE_PATCH) ? withBaseline(config, facts.memorySize) : config;
    status.progress.start(
      plan.powerValues.filter((p) => !config.powerValues.includes(p)),
      invocationsPerSize,
    );

    let output: TuningOutput;
    if (config.architectures && switchesArchitecture(config.architectures, facts.architecture)) {
      // Input added after every recorded history: no run replays through here without it.
      switching = true;
      output = await tuneArchitectures({
        config: plan,
        architectures: config.architectures,
        facts,
        target,
        tag,
        lock,
        total: invocationsPerSize,
        status,
      });
    } else {
      status.enter('setup');
      const sampled = await setUpAndSample({
        config: plan,
        facts,
        target,
        tag,
        original: lock.original,
        total: invocationsPerSize,
        status,
      });
      status.enter('analyzing');
      output = analyze(plan, facts, sampled);
    }
    status.recommend(output);

    // No recommendation (no size met the constraints): nothing to apply.
    if (config.autoOptimize && !config.dryRun && output.power !== null) {
      status.enter('optimizing');
      await applyRecommendation(
        config,
        target,
        output.power,
        lock,
        switching ? { tag, architecture: output.architecture } : undefined,
      );
      optimized = true;
    }
    status.enter('cleanup');
    return { ...output, optimized };
  } catch (err) {
    failure = err;
    status.enter(isCancellation(err) ? 'cancelled' : 'failed');
    throw err;
  } finally {
    // Runs on success, failure and cancellation alike; a cancelled workflow still cleans up.
    await cleanUpRun({ target, tag, lock, optimized, failure, ...(switching ? { switching } : {}) }, status);
  }
}
