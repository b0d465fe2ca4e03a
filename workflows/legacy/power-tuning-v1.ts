/**
 * The power-tuning workflow as it ran before the safety rework (lock after snapshot, every
 * invocation result in history, analysis as an activity). Frozen: runs started by older workers
 * replay through it; new runs never take it (see `SAFE_CORE_PATCH`). Remove once no history of
 * it can still be running or replayed (the namespace's retention after the last such run).
 *
 * The power-tuning workflow: validate → set up one version and alias per memory size → invoke
 * every size in parallel, in batches → analyze → optionally apply the choice → always clean up.
 * Deterministic: every side effect happens in an activity.
 */
import {
  CancellationScope,
  CancelledFailure,
  isCancellation,
  log,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PrepareResult, SetupResult } from '../../activities/types.js';
import { runTag } from '../../domain/naming.js';
import {
  TUNING_FUNCTION,
  TUNING_PHASE,
  TUNING_RECOMMENDED_MEMORY,
  TUNING_STRATEGY,
} from '../../domain/search-attributes.js';
import type { InvocationResult, PowerTuningInput, TuningConfig, TuningOutput } from '../../domain/types.js';
import { progressQuery } from '../../domain/workflow-api.js';
import { CONTROL_PLANE, acts, analyzeOptions, cleanupOptions, invokeOptions } from '../activity-options.js';
import { planBatches } from '../batching.js';
import { batchInput } from '../invocations.js';
import { ProgressTracker } from '../progress.js';
import { setUpSizes } from '../setup.js';
import { allOrCancelRest, uninterruptible, validateOrFail, withContext } from '../steps.js';

interface PowerValueRun {
  power: number;
  invocations: InvocationResult[];
  infeasibleReason?: string;
}

export async function legacyPowerTuning(input: PowerTuningInput): Promise<TuningOutput> {
  const config = validateOrFail(input);
  const progress = new ProgressTracker(config.lambdaARN);
  setHandler(progressQuery, () => progress.snapshot());
  const total = config.dryRun ? 1 : config.num;
  progress.start(config.powerValues, total);

  const tag = runTag(workflowInfo().runId);
  const snapshot = await withContext('Preparing the tuning', () =>
    acts.prepareTuning.executeWithOptions({ ...CONTROL_PLANE, summary: `inspect ${config.lambdaARN}` }, [
      config,
    ]),
  );
  const target = { ...config.target, region: config.target.region ?? snapshot.region };
  const original = { memorySize: snapshot.memorySize, description: snapshot.description };
  const enter = (phase: Parameters<ProgressTracker['enter']>[0]) => {
    progress.enter(phase);
    if (snapshot.searchAttributesReady) upsertSearchAttributes([{ key: TUNING_PHASE, value: phase }]);
  };
  if (snapshot.searchAttributesReady) {
    upsertSearchAttributes([
      { key: TUNING_FUNCTION, value: snapshot.functionName },
      { key: TUNING_STRATEGY, value: config.strategy },
    ]);
  }

  let optimized = false;
  // Until the lock is ours, `$LATEST` may belong to another run.
  let locked = false;
  try {
    await uninterruptible(() =>
      withContext('Locking the function', () =>
        acts.acquireTuningLock.executeWithOptions({ ...CONTROL_PLANE, summary: 'lock function' }, [
          { target, tag, workflowId: workflowInfo().workflowId },
        ]),
      ),
    );
    locked = true;
    enter('setup');
    // Shared with the current workflow: the very calls this version always made, in its order.
    const setups = await setUpSizes(config, target, tag, original, total);

    enter('invoking');
    const runs = await allOrCancelRest(
      setups.map((setup) => () => invokePowerValue(config, snapshot, target, setup, total, progress)),
    );

    enter('analyzing');
    const output = await withContext('Analyzing the results', () =>
      acts.analyzeResults.executeWithOptions({ ...analyzeOptions, summary: 'analyze results' }, [
        { config, snapshot, results: runs },
      ]),
    );
    if (snapshot.searchAttributesReady) {
      upsertSearchAttributes([{ key: TUNING_RECOMMENDED_MEMORY, value: output.power }]);
    }

    if (config.autoOptimize && !config.dryRun) {
      enter('optimizing');
      if (CancellationScope.current().consideredCancelled) throw new CancelledFailure('Workflow cancelled');
      // The commit point: once applying starts, it finishes and the run completes even if
      // cancelled meanwhile (a half-applied configuration would be worse than either).
      await CancellationScope.nonCancellable(() =>
        withContext(`Applying ${output.power} MB`, () =>
          acts.optimizeFunction.executeWithOptions(
            { ...CONTROL_PLANE, summary: `apply ${output.power} MB` },
            [
              {
                target,
                // Runs of this version had no constraints: a size was always chosen.
                power: output.power as number,
                alias: config.autoOptimizeAlias,
                originalDescription: original.description,
              },
            ],
          ),
        ),
      );
      optimized = true;
    }
    const result = { ...output, optimized };
    enter('cleanup');
    return result;
  } catch (err) {
    enter(isCancellation(err) ? 'cancelled' : 'failed');
    throw err;
  } finally {
    // Runs on success, failure and cancellation alike; a cancelled workflow still cleans up.
    const workflowScope = CancellationScope.current();
    await CancellationScope.nonCancellable(async () => {
      // Without the lock, `$LATEST` belongs to another run: delete only our own leftovers.
      const restore = locked && !optimized ? original : undefined;
      const cleaned = await acts.cleanupRun.executeWithOptions({ ...cleanupOptions, summary: 'cleanup' }, [
        { target, tag, restore },
      ]);
      log.info('cleanup finished', { ...cleaned });
      const phase = progress.currentPhase();
      if (phase === 'failed' || phase === 'cancelled') return;
      // Cancelled while cleaning up after a finished tuning: still a cancellation, now that
      // everything is put back. Once the recommendation was applied, the run stands as completed.
      enter(workflowScope.consideredCancelled && !optimized ? 'cancelled' : 'done');
    });
    if (progress.currentPhase() === 'cancelled') {
      // eslint-disable-next-line no-unsafe-finally
      throw new CancelledFailure('Workflow cancelled');
    }
  }
}

async function invokePowerValue(
  config: TuningConfig,
  snapshot: PrepareResult,
  target: TuningConfig['target'],
  setup: SetupResult,
  total: number,
  progress: ProgressTracker,
): Promise<PowerValueRun> {
  const run: PowerValueRun = { power: setup.power, invocations: [] };
  const sleeping = config.sleepBetweenRunsMs > 0 && !config.parallelInvocation;
  const batches = planBatches(total, {
    parallel: config.parallelInvocation,
    concurrency: config.maxParallelInvocations,
    sleeping,
  });
  for (const [n, batch] of batches.entries()) {
    if (n > 0 && sleeping) await sleep(config.sleepBetweenRunsMs);
    const result = await withContext(`Invoking ${setup.power} MB`, () =>
      acts.invokeBatch.executeWithOptions(
        { ...invokeOptions, summary: `invoke ${setup.power} MB, batch ${n + 1}/${batches.length}` },
        [
          batchInput(config, target, setup, batch, total, {
            payload: config.payload,
            payloadS3: config.payloadS3 ? { ...config.payloadS3, etag: snapshot.payloadS3ETag } : undefined,
          }),
        ],
      ),
    );
    run.invocations.push(...(result.results ?? []));
    progress.record(setup.power, result.results ?? []);
    if (result.failure) {
      // An error outside allowedExceptions: this size is infeasible; the others go on.
      run.infeasibleReason = result.failure;
      progress.stop(setup.power);
      break;
    }
  }
  return run;
}
