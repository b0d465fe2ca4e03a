/**
 * One memory size's share of a sampling round: batches in sequence, each summarised by the
 * activity, merged here. Out of memory or a timeout makes the size infeasible (the others go on);
 * other function errors are counted in the summary and weighed by the sampling policy.
 */
import type { FunctionFacts, InvokeBatchInput, SetupResult } from '../activities/types.js';
import type { PowerValueSummary } from '../domain/analysis.js';
import { invokeActivityId } from '../domain/activity-ids.js';
import { payloadRef } from '../domain/payload-ref.js';
import { emptySummary, mergeSummaries } from '../domain/sample-summary.js';
import type { FunctionTarget, TuningConfig } from '../domain/types.js';
import { acts, invokeOptions } from './activity-options.js';
import { planRunBatches, type Batch } from './batching.js';
import type { ProgressTracker } from './progress.js';
import { withContext } from './steps.js';

export interface PowerValueRunInput {
  config: TuningConfig;
  facts: FunctionFacts;
  target: FunctionTarget;
  setup: SetupResult;
  /** Invocations of this size in this round. */
  total: number;
  /** 1 for the first round; part of the activity ids. */
  round: number;
  progress: ProgressTracker;
  /**
   * Number of the first batch in the activity ids (default 1): a size spread over environments
   * invokes each in turn within a round, their batches numbered on from the previous one's.
   */
  firstBatch?: number;
  /** A size spread over environments: which one this is, for people reading the activity summaries. */
  environment?: { index: number; count: number };
  /** Keep cold starts out of the duration sketches (InvokeBatchInput.warmOnly); sent only when set. */
  warmOnly?: boolean;
  /**
   * These calls as part of a larger share (a round spread over environments): where they start
   * in it and its size, so weighted payloads are dealt over the whole round, not each part.
   */
  within?: { offset: number; total: number };
}

/** A size's share of a round, summarised, and how many batches it took. */
export interface InvokedPowerValue extends PowerValueSummary {
  batches: number;
}

export async function invokePowerValue(run: PowerValueRunInput): Promise<InvokedPowerValue> {
  const { config, facts, target, setup, total, round, progress } = run;
  const firstBatch = run.firstBatch ?? 1;
  const within = run.within ?? { offset: 0, total };
  const environment = run.environment
    ? `environment ${run.environment.index + 1}/${run.environment.count}, `
    : '';
  const result: InvokedPowerValue = { power: setup.power, summary: emptySummary(), batches: 0 };
  const batches = planRunBatches(total, {
    parallel: config.parallelInvocation,
    concurrency: config.maxParallelInvocations,
    sleepMs: config.sleepBetweenRunsMs,
    // A size spread over environments plans each one's batches: they share the size's part of the budget.
    sizes: config.powerValues.length * (run.environment?.count ?? 1),
  });
  const payload = config.payloadS3
    ? { payloadS3: { ...config.payloadS3, etag: facts.payloadS3ETag } }
    : { payloadRef: payloadRef(config.payload) };
  for (const [n, batch] of batches.entries()) {
    const activityId = invokeActivityId(setup.power, round, firstBatch + n, setup.architecture);
    result.batches = n + 1;
    progress.begin(setup.power, activityId, batch.count);
    const batchResult = await withContext(`Invoking ${setup.power} MB`, () =>
      acts.invokeBatch.executeWithOptions(
        {
          ...invokeOptions,
          activityId,
          summary: `invoke ${setup.power} MB, ${round > 1 ? `round ${round}, ` : ''}${environment}batch ${n + 1}/${batches.length}`,
        },
        [
          {
            ...batchInput(
              config,
              target,
              setup,
              { start: within.offset + batch.start, count: batch.count },
              within.total,
              payload,
            ),
            sleepBetweenMs: config.sleepBetweenRunsMs,
            resultForm: 'summary',
            stopOn: 'resource',
            ...(run.warmOnly ? { warmOnly: true } : {}),
          },
        ],
      ),
    );
    const summary = batchResult.summary ?? emptySummary();
    result.summary = mergeSummaries(result.summary, summary);
    progress.recordSummary(setup.power, summary, activityId);
    if (batchResult.firstFailure) result.firstFailure ??= batchResult.firstFailure;
    if (batchResult.failure) {
      // Out of memory, timed out or killed: this size is infeasible; the others go on.
      result.infeasibleReason = batchResult.failure;
      progress.stop(setup.power);
      break;
    }
  }
  return result;
}

/**
 * What every workflow version's invokeBatch input holds: where to invoke, which invocations and
 * how. The payload goes where each version puts its own form of it (the legacy workflow sends it
 * inline, the current one by reference); the legacy workflow's histories hold these fields.
 */
export function batchInput(
  config: TuningConfig,
  target: FunctionTarget,
  setup: SetupResult,
  batch: Batch,
  total: number,
  payload: Pick<InvokeBatchInput, 'payload' | 'payloadRef' | 'payloadS3'>,
): InvokeBatchInput {
  return {
    target,
    power: setup.power,
    start: batch.start,
    count: batch.count,
    total,
    aliases: setup.aliases,
    ...payload,
    parallel: config.parallelInvocation,
    concurrency: config.maxParallelInvocations,
    preProcessorARN: config.preProcessorARN,
    postProcessorARN: config.postProcessorARN,
    allowedExceptions: config.allowedExceptions,
    disablePayloadLogs: config.disablePayloadLogs,
  };
}
