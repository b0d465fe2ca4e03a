/**
 * The power-tuning workflow: validate → lock the function (saving its settings) → inspect →
 * set up one version and alias per memory size → sample: invoke rounds of the sizes the policy
 * asks for, in parallel, in batches, until it stops → analyze → optionally apply the choice →
 * always clean up.
 * Deterministic: every side effect happens in an activity.
 */
import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  isCancellation,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { FunctionSnapshot, LockResult, SetupResult } from '../activities/types.js';
import { NoFeasiblePowerError, analyzeTuning, type PowerValueSummary } from '../domain/analysis.js';
import { runTag } from '../domain/naming.js';
import {
  TUNING_FUNCTION,
  TUNING_PHASE,
  TUNING_RECOMMENDED_MEMORY,
  TUNING_STRATEGY,
} from '../domain/search-attributes.js';
import { lambdaPrice } from '../domain/pricing.js';
import { emptySummary, mergeSummaries } from '../domain/sample-summary.js';
import {
  firstRound,
  nextRound,
  type SamplingSettings,
  type Racing,
  type SizeProgress,
  type StopReason,
} from '../domain/sampling-policy.js';
import type { FunctionTarget, PowerTuningInput, TuningConfig, TuningOutput } from '../domain/types.js';
import { CONTROL_PLANE, acts, cleanupOptions } from './activity-options.js';
import { invokePowerValue } from './invocations.js';
import { legacyPowerTuning } from './legacy/power-tuning-v1.js';
import { ProgressTracker, payloadQuery, progressQuery } from './progress.js';
import { allOrCancelRest, rootCause, uninterruptible, validateOrFail, withContext } from './steps.js';

/**
 * Runs started before the safety rework replay through the frozen legacy code; every new run
 * records this marker and takes the path below.
 */
export const SAFE_CORE_PATCH = 'lock-first-compact-results';
/** Adaptive runs started since sticky racing take it; older ones replay with per-look racing. */
export const STICKY_RACING_PATCH = 'sticky-racing';

export async function powerTuning(input: PowerTuningInput): Promise<TuningOutput> {
  if (!patched(SAFE_CORE_PATCH)) return legacyPowerTuning(input);

  const config = validateOrFail(input);
  const progress = new ProgressTracker(config.lambdaARN);
  setHandler(progressQuery, () => progress.snapshot());
  // Activities ask for the inline payload instead of carrying it (domain/payload-ref.ts).
  setHandler(payloadQuery, () => config.payload);
  const total = config.dryRun ? 1 : config.num;
  progress.start(config.powerValues, total);

  const tag = runTag(workflowInfo().runId);
  let target = config.target;
  let lock: LockResult | undefined;
  let searchAttributes = false;
  let optimized = false;
  const enter = (phase: Parameters<ProgressTracker['enter']>[0]) => {
    progress.enter(phase);
    if (searchAttributes) upsertSearchAttributes([{ key: TUNING_PHASE, value: phase }]);
  };

  // The first failure is the one reported, even if cleanup then fails too.
  let failure: unknown;
  try {
    // The lock comes first: what to restore is read only once no other run can be changing it.
    lock = await uninterruptible(() =>
      withContext('Locking the function', () =>
        acts.acquireTuningLock.executeWithOptions({ ...CONTROL_PLANE, summary: 'lock function' }, [
          { target, tag, workflowId: workflowInfo().workflowId },
        ]),
      ),
    );
    const snapshot: FunctionSnapshot = await withContext('Preparing the tuning', () =>
      acts.prepareTuning.executeWithOptions({ ...CONTROL_PLANE, summary: `inspect ${config.lambdaARN}` }, [
        { ...config, payload: { kind: 'single', body: undefined } },
      ]),
    );
    target = { ...config.target, region: config.target.region ?? snapshot.region };
    searchAttributes = snapshot.searchAttributesReady;
    if (searchAttributes) {
      upsertSearchAttributes([
        { key: TUNING_FUNCTION, value: snapshot.functionName },
        { key: TUNING_STRATEGY, value: config.strategy },
      ]);
    }
    const original = lock.original;

    enter('setup');
    const setups: SetupResult[] = [];
    // One at a time: every setup step mutates `$LATEST`.
    for (const power of config.powerValues) {
      const versions = config.onlyColdStarts ? total : 1;
      setups.push(
        await uninterruptible(() =>
          withContext(`Setting up ${power} MB`, () =>
            acts.setupPowerValue.executeWithOptions({ ...CONTROL_PLANE, summary: `setup ${power} MB` }, [
              {
                target,
                tag,
                power,
                originalDescription: original.description,
                versions,
                onlyColdStarts: config.onlyColdStarts,
              },
            ]),
          ),
        ),
      );
    }
    await uninterruptible(() =>
      withContext('Restoring $LATEST', () =>
        acts.restoreLatest.executeWithOptions({ ...CONTROL_PLANE, summary: 'restore $LATEST' }, [
          { target, ...original },
        ]),
      ),
    );

    enter('invoking');
    const { sizes, stop, racing } = await sample(config, snapshot, target, setups, total, progress);

    enter('analyzing');
    const output = analyze(config, snapshot, sizes, stop, racing);
    progress.recommend(output);
    if (searchAttributes) upsertSearchAttributes([{ key: TUNING_RECOMMENDED_MEMORY, value: output.power }]);

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
                power: output.power,
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
    failure = err;
    enter(isCancellation(err) ? 'cancelled' : 'failed');
    throw err;
  } finally {
    // Runs on success, failure and cancellation alike; a cancelled workflow still cleans up.
    const workflowScope = CancellationScope.current();
    await CancellationScope.nonCancellable(async () => {
      // Without the lock, `$LATEST` belongs to another run: delete only our own leftovers.
      const restore = lock && !optimized ? lock.original : undefined;
      const snapshotVersion = lock
        ? { version: lock.snapshotVersion, created: lock.snapshotCreated }
        : undefined;
      try {
        const cleaned = await acts.cleanupRun.executeWithOptions({ ...cleanupOptions, summary: 'cleanup' }, [
          { target, tag, restore, snapshot: snapshotVersion },
        ]);
        log.info('cleanup finished', { ...cleaned });
      } catch (cleanupErr) {
        if (failure === undefined) throw cleanupErr;
        // The run already failed: that failure is the one to report; the cleanup's goes to the log.
        log.error('cleanup failed after the run had failed', { error: rootCause(cleanupErr).message });
        return;
      }
      const phase = progress.currentPhase();
      if (phase === 'failed' || phase === 'cancelled') return;
      // Cancelled while cleaning up after a finished tuning: still a cancellation, now that
      // everything is put back. Once the recommendation was applied, the run stands as completed.
      enter(workflowScope.consideredCancelled && !optimized ? 'cancelled' : 'done');
    });
    if (progress.currentPhase() === 'cancelled' && failure === undefined) {
      // eslint-disable-next-line no-unsafe-finally
      throw new CancelledFailure('Workflow cancelled');
    }
  }
}

/**
 * The sampling loop: the policy (domain/sampling-policy.ts) asks for a round, every size in it
 * is invoked side by side, the summaries are merged, until the policy stops. The fixed grid is a
 * single round of `num` per size.
 */
async function sample(
  config: TuningConfig,
  snapshot: FunctionSnapshot,
  target: FunctionTarget,
  setups: SetupResult[],
  total: number,
  progress: ProgressTracker,
): Promise<{ sizes: SizeProgress[]; stop: StopReason; racing?: Racing }> {
  const sizes: SizeProgress[] = setups.map((s) => ({ power: s.power, summary: emptySummary() }));
  const settings: SamplingSettings = {
    ...config.sampling,
    num: total,
    strategy: config.strategy,
    balancedWeight: config.balancedWeight,
    discardTopBottom: config.discardTopBottom,
    racing: config.sampling.policy === 'adaptive' && patched(STICKY_RACING_PATCH) ? 'sticky' : 'per-look',
  };
  const price = lambdaPrice(snapshot.region, snapshot.architecture, config.prices);
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
          snapshot,
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
function analyze(
  config: TuningConfig,
  snapshot: FunctionSnapshot,
  runs: PowerValueSummary[],
  stop: StopReason,
  racing?: Racing,
): TuningOutput {
  try {
    return analyzeTuning({
      config,
      ...(config.sampling.policy === 'adaptive' ? { stop, racing } : {}),
      functionName: snapshot.functionName,
      region: snapshot.region,
      architecture: snapshot.architecture,
      results: runs,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const type = err instanceof NoFeasiblePowerError ? 'NoFeasiblePowerValue' : 'AnalysisFailed';
    throw ApplicationFailure.nonRetryable(`Analyzing the results: ${message}`, type);
  }
}
