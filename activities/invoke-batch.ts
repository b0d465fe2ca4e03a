/**
 * A batch of invocations for one power value. It heartbeats after every invocation with the
 * results so far, so a retried or resumed batch continues where it stopped: no invocation is
 * lost and none is counted twice.
 */
import { Context, activityInfo, heartbeat } from '@temporalio/activity';
import { payloadForInvocation } from '../domain/payloads.js';
import type { InvocationResult } from '../domain/types.js';
import type { AwsClients } from './aws-clients.js';
import { invokeOnce } from './invoke-one.js';
import type { S3PayloadCache } from './s3-payload.js';
import type { InvokeBatchInput, InvokeBatchResult } from './types.js';

/** Heartbeat details: results keyed by invocation index within the batch. */
interface BatchProgress {
  done: Record<number, InvocationResult>;
  failure?: string;
}

/** Keeps the heartbeat alive while a single slow invocation runs (Lambda allows 15 minutes). */
const KEEPALIVE_MS = 5_000;
/**
 * Heartbeat details carry every result so far; encoding them after each of hundreds of fast
 * invocations cost more CPU than the invocations themselves (bench scenario 2), and the SDK
 * sends them to the server only every few seconds anyway.
 */
const MIN_BEAT_INTERVAL_MS = 1_000;

export function invokeActivities(aws: AwsClients, s3Payloads: S3PayloadCache) {
  return {
    async invokeBatch(input: InvokeBatchInput): Promise<InvokeBatchResult> {
      const signal = Context.current().cancellationSignal;
      const previous = activityInfo().heartbeatDetails as BatchProgress | undefined;
      const progress: BatchProgress = { done: { ...(previous?.done ?? {}) }, failure: previous?.failure };
      const beat = () => heartbeat(progress);
      let lastBeat = 0;
      const beatSoon = () => {
        const now = Date.now();
        if (now - lastBeat < MIN_BEAT_INTERVAL_MS) return;
        lastBeat = now;
        beat();
      };
      const keepalive = setInterval(beat, KEEPALIVE_MS);

      const spec = input.payloadS3 ? await s3Payloads.spec(input.payloadS3, input.total) : input.payload;
      const lambda = aws.invoker(input.target.region);

      const pending: number[] = [];
      for (let i = 0; i < input.count; i++) if (!(i in progress.done)) pending.push(i);

      // First error that no per-call retry could fix; it stops every lane.
      let fatal: { error: unknown } | undefined;
      const lane = async (): Promise<void> => {
        while (pending.length > 0 && !progress.failure && !fatal && !signal.aborted) {
          const i = pending.shift() as number;
          const index = input.start + i;
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
            signal,
          });
          progress.done[i] = outcome.result;
          if (outcome.failure && !progress.failure) progress.failure = outcome.failure;
          beatSoon();
        }
      };
      const guardedLane = async (): Promise<void> => {
        try {
          await lane();
        } catch (error) {
          fatal ??= { error };
        }
      };

      try {
        const lanes = input.parallel ? Math.max(1, Math.min(input.concurrency, pending.length)) : 1;
        await Promise.all(Array.from({ length: lanes }, guardedLane));
        if (signal.aborted) throw signal.reason;
        if (fatal) throw fatal.error;
      } finally {
        clearInterval(keepalive);
      }

      const results = Object.keys(progress.done)
        .map(Number)
        .sort((a, b) => a - b)
        .map((i) => progress.done[i] as InvocationResult);
      return progress.failure ? { results, failure: progress.failure } : { results };
    },
  };
}
