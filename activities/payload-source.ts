/**
 * Where an invocation batch gets its payload: from S3 (payloadS3), from the run itself by
 * reference (the run's `tuningPayload` query), or inline (batches scheduled by older workflow
 * code). Each worker keeps recently used payloads by digest, so a run asks once per worker.
 */
import { activityInfo, Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { payloadDigest, type PayloadRef } from '../domain/payload-ref.js';
import type { PayloadSpec } from '../domain/types.js';
import { payloadQuery } from '../domain/workflow-api.js';
import type { S3PayloadCache } from './aws/s3-payload.js';
import type { InvokeBatchInput } from './types.js';

/** Payloads are at most 256 KB inline; a few dozen cover every tuning a worker runs at once. */
const CACHE_ENTRIES = 64;

export function createPayloadSource(s3Payloads: S3PayloadCache) {
  const cache = new Map<string, PayloadSpec>();

  async function fromRun(ref: PayloadRef): Promise<PayloadSpec> {
    const hit = cache.get(ref.digest);
    if (hit) {
      // Most recently used last, so the oldest goes first when full.
      cache.delete(ref.digest);
      cache.set(ref.digest, hit);
      return hit;
    }
    const { workflowExecution } = activityInfo();
    if (!workflowExecution) throw new Error('A payload reference needs the activity to run for a workflow');
    const handle = Context.current().client.workflow.getHandle(
      workflowExecution.workflowId,
      workflowExecution.runId,
    );
    const spec = await handle.query(payloadQuery);
    if (payloadDigest(spec) !== ref.digest) {
      throw ApplicationFailure.nonRetryable(
        `The payload returned by the run (digest ${payloadDigest(spec)}) is not the one this batch was given (${ref.digest})`,
        'PayloadMismatch',
      );
    }
    cache.set(ref.digest, spec);
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    return spec;
  }

  return {
    async spec(input: InvokeBatchInput): Promise<PayloadSpec> {
      if (input.payloadS3) return s3Payloads.spec(input.payloadS3, input.total);
      if (input.payloadRef) return fromRun(input.payloadRef);
      if (input.payload) return input.payload;
      return { kind: 'single', body: undefined };
    },
  };
}

export type PayloadSource = ReturnType<typeof createPayloadSource>;
