/**
 * A batch of invocations for one power value. It heartbeats its progress, so a retried or resumed
 * batch continues where it stopped: no invocation is lost and none is counted twice.
 *
 * Cancelled, it starts no new invocation but lets those in flight finish before it stops, so
 * when the workflow hears that the batch is cancelled, nothing of it is still running and
 * cleanup can delete the aliases.
 */
import { Context, activityInfo, heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { PROGRESS_BEAT_MIN_MS } from '../domain/heartbeats.js';
import { isResourceFailure } from '../domain/invocation-error.js';
import { payloadForInvocation } from '../domain/payloads.js';
import {
  emptySummary,
  mergeSummaries,
  summariseInvocations,
  type SizeSummary,
} from '../domain/sample-summary.js';
import type { InvocationResult } from '../domain/types.js';
import type { AwsClients } from './aws/clients.js';
import { errorName } from './aws/errors.js';
import { invokeOnce } from './invoke-one.js';
import { withKeepalive } from './keepalive.js';
import type { PayloadSource } from './payload-source.js';
import { progressSender, type ProgressReporter } from './progress-reporter.js';
import type { InvokeBatchInput, InvokeBatchResult } from './types.js';

/** Heartbeat details of batches that return every result (older workflow code). */
interface ResultsProgress {
  done: Record<number, InvocationResult>;
  failure?: string;
}

/** Heartbeat details of batches that return a summary: bounded whatever the batch size. */
export interface SummaryProgress {
  summary: SizeSummary;
  /** Invocations 0..prefix-1 of the batch are done… */
  prefix: number;
  /** …and these beyond it (parallel lanes finish out of order). */
  ahead: number[];
  failure?: string;
  firstFailure?: string;
  /** When the last invocation ended (epoch ms), so a resumed batch still pauses between runs. */
  lastEndMs?: number;
  /** `12 of 50 invocations`: for people reading the pending activity in the Web UI. */
  progress?: string;
}

/** `report`, when given, lets long batches signal their progress to the run (progress-reporter.ts). */
export function invokeActivities(aws: AwsClients, payloads: PayloadSource, report?: ProgressReporter) {
  return {
    async invokeBatch(input: InvokeBatchInput): Promise<InvokeBatchResult> {
      const startedMs = Date.now();
      const summaryForm = input.resultForm === 'summary';
      const info = activityInfo();
      const previous = info.heartbeatDetails as (ResultsProgress & SummaryProgress) | undefined;
      const done = new Set<number>();
      const fresh: { index: number; result: InvocationResult }[] = [];
      let carried = emptySummary();
      let failure = previous?.failure;
      let firstFailure = previous?.firstFailure;
      let lastEndMs = previous?.lastEndMs;
      if (summaryForm && previous?.summary) {
        carried = previous.summary;
        for (let i = 0; i < previous.prefix; i++) done.add(i);
        for (const i of previous.ahead) done.add(i);
      } else if (!summaryForm && previous?.done) {
        for (const [i, result] of Object.entries(previous.done)) {
          done.add(Number(i));
          fresh.push({ index: Number(i), result });
        }
      }

      // Summary form: results are folded into `carried` at each beat, so a batch holds only
      // those since the last one, whatever its size. The heartbeat and the result both come from here.
      const warmOnly = input.warmOnly === true;
      const summarySoFar = (): SizeSummary => {
        if (fresh.length > 0) {
          const results = fresh.map((f) => f.result);
          carried = mergeSummaries(carried, summariseInvocations(results, { warmOnly }));
          fresh.length = 0;
        }
        return carried;
      };
      const details = (): ResultsProgress | SummaryProgress => {
        if (!summaryForm) {
          return { done: Object.fromEntries(fresh.map((f) => [f.index, f.result])), failure };
        }
        let prefix = 0;
        while (done.has(prefix)) prefix++;
        const ahead = [...done].filter((i) => i > prefix).sort((a, b) => a - b);
        const summary = summarySoFar();
        const progress = `${done.size} of ${input.count} invocations`;
        return { summary, prefix, ahead, failure, firstFailure, lastEndMs, progress };
      };
      // Only current workflow code (summary form) handles the signal.
      const workflow = info.workflowExecution;
      const signalProgress =
        report && summaryForm && workflow
          ? progressSender(
              report,
              {
                workflow,
                batch: info.activityId,
                power: input.power,
                size: input.count,
                startedMs,
                resumedDone: done.size,
              },
              warnWith(Context.current()),
            )
          : undefined;
      let lastBeat = 0;
      const beat = () => {
        lastBeat = Date.now();
        heartbeat(details());
        // After details(): `carried` holds every result so far. Checked per beat, not per invocation.
        signalProgress?.(lastBeat, done.size, carried.errors);
      };
      const beatSoon = () => {
        if (Date.now() - lastBeat >= PROGRESS_BEAT_MIN_MS) beat();
      };

      const context = Context.current();
      const cancelled = context.cancellationSignal;
      const pending: number[] = [];
      for (let i = 0; i < input.count; i++) if (!done.has(i)) pending.push(i);
      let next = 0;
      const sleepMs = input.parallel ? 0 : (input.sleepBetweenMs ?? 0);

      // First error that no per-call retry could fix; it stops every lane.
      let fatal: { error: unknown } | undefined;
      const lane = async (): Promise<void> => {
        const spec = await payloads.spec(input);
        const lambda = aws.invoker(input.target.region, input.target.role);
        while (next < pending.length && !failure && !fatal && !cancelled.aborted) {
          const i = pending[next] as number;
          const index = input.start + i;
          if (sleepMs > 0 && index > 0) {
            const wait = lastEndMs === undefined ? sleepMs : lastEndMs + sleepMs - Date.now();
            if (wait > 0) await context.sleep(wait); // rejects when cancelled
          }
          next++;
          const alias = input.aliases.length === 1 ? input.aliases[0] : input.aliases[index];
          if (alias === undefined) throw new Error(`No alias for invocation ${index} at ${input.power} MB`);
          const outcome = await invokeOnce({
            lambda,
            functionName: input.target.functionName,
            alias,
            payload: payloadForInvocation(spec, input.total, index),
            preProcessorARN: input.preProcessorARN,
            postProcessorARN: input.postProcessorARN,
            allowedExceptions: input.allowedExceptions,
            disablePayloadLogs: input.disablePayloadLogs,
            parallel: input.parallel,
            // No signal: in-flight invocations are never aborted, a cancelled batch waits for them.
          });
          done.add(i);
          fresh.push({ index: i, result: outcome.result });
          lastEndMs = Date.now();
          const fatalError =
            input.stopOn !== 'resource' || isResourceFailure(outcome.result.error?.type ?? '');
          if (outcome.failure && fatalError && !failure) failure = outcome.failure;
          if (outcome.failure) firstFailure ??= outcome.failure;
          beatSoon();
        }
      };
      const guardedLane = async (): Promise<void> => {
        try {
          await lane();
        } catch (error) {
          if (!cancelled.aborted) fatal ??= { error };
        }
      };

      // The keepalive beats the progress too, while a single slow invocation runs (up to 15 minutes).
      await withKeepalive(async () => {
        const lanes = input.parallel ? Math.max(1, Math.min(input.concurrency, pending.length)) : 1;
        await Promise.all(Array.from({ length: lanes }, guardedLane));
        if (cancelled.aborted) throw cancelled.reason;
        if (fatal) throw explainFatal(fatal.error, input);
      }, beat);

      if (summaryForm) {
        const summary = summarySoFar();
        return { summary, ...(failure ? { failure } : {}), ...(firstFailure ? { firstFailure } : {}) };
      }
      const results = fresh.sort((a, b) => a.index - b.index).map((f) => f.result);
      return failure ? { results, failure } : { results };
    },
  };
}

/** The batch's logger, taken while the batch runs (a signal may fail after it returned). */
function warnWith(context: Context): (message: string) => void {
  const { log } = context;
  return (message) => log.warn(message);
}

/** A function (or its alias) deleted during the tuning is said in those words. */
function explainFatal(error: unknown, input: InvokeBatchInput): unknown {
  const text = error instanceof Error ? error.message : String(error);
  const type = error instanceof ApplicationFailure ? error.type : errorName(error);
  if (type === 'ResourceNotFoundException' || /ResourceNotFoundException/.test(text)) {
    return ApplicationFailure.nonRetryable(
      `${input.target.functionName} (or its tuning alias for ${input.power} MB) disappeared during the ` +
        `invocations: it was deleted while being tuned (${text})`,
      'FunctionDisappeared',
    );
  }
  return error;
}
