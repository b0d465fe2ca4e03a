/**
 * invokeBatch resumes from its heartbeat: run in @temporalio/testing's MockActivityEnvironment
 * (which plays the activity context: attempt, heartbeat details of the previous attempt, the
 * heartbeats sent, cancellation) against a fake Lambda client that records every invocation.
 * Each invocation slot has its own alias (the onlyColdStarts shape), so the Qualifier of a call
 * says exactly which invocation of the batch it was.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { AwsClients } from '../../activities/aws/clients.js';
import { invokeActivities, type SummaryProgress } from '../../activities/invoke-batch.js';
import { createPayloadSource } from '../../activities/payload-source.js';
import type { S3PayloadCache } from '../../activities/aws/s3-payload.js';
import type { InvokeBatchInput, InvokeBatchResult } from '../../activities/types.js';
import { summariseInvocations, type SizeSummary } from '../../domain/sample-summary.js';
import { sketchEntries, sketchMean } from '../../domain/sketch.js';
import type { InvocationResult } from '../../domain/types.js';

const COUNT = 10;
const slot = (i: number): string => `slot-${i}`;
const ALIASES = Array.from({ length: COUNT }, (_, i) => slot(i));

/** What invocation `i` measures: its REPORT line says 100 + i ms. */
function resultOf(i: number): InvocationResult {
  return { durationMs: 100 + i, billedMs: 100 + i, initMs: 0, coldStart: false };
}
const summaryOf = (indexes: number[]): SizeSummary => summariseInvocations(indexes.map(resultOf));
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);

interface FakeLambda {
  /** The invocation index of every call, in the order they were made. */
  invoked: number[];
  aws: AwsClients;
}

/**
 * A Lambda client answering InvokeCommand as the service does (log tail with a REPORT line).
 * `fail(i)` may return an error to throw instead; `onInvoke(i)` is told of each call.
 */
function fakeLambda(
  opts: { fail?: (i: number) => Error | undefined; onInvoke?: (i: number) => void } = {},
): FakeLambda {
  const invoked: number[] = [];
  const client = {
    async send(command: unknown) {
      assert.ok(command instanceof InvokeCommand, 'only invocations are expected');
      const i = ALIASES.indexOf(command.input.Qualifier ?? '');
      assert.ok(i >= 0, `unknown alias ${command.input.Qualifier}`);
      const error = opts.fail?.(i);
      if (error) throw error;
      invoked.push(i);
      opts.onInvoke?.(i);
      const report = `REPORT RequestId: r${i}\tDuration: ${100 + i}.00 ms\tBilled Duration: ${100 + i} ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB\t`;
      return {
        StatusCode: 200,
        Payload: new TextEncoder().encode('"ok"'),
        LogResult: Buffer.from(`START RequestId: r${i}\n${report}\n`).toString('base64'),
        $metadata: { httpStatusCode: 200 },
      };
    },
  } as unknown as LambdaClient;
  const unused = (): never => {
    throw new Error('only the invoke client is expected');
  };
  return { invoked, aws: { invoker: () => client, lambda: unused, s3: unused, defaultRegion: unused } };
}

function batchInput(overrides: Partial<InvokeBatchInput> = {}): InvokeBatchInput {
  return {
    target: { functionName: 'resume-fn', region: 'us-east-1' },
    power: 512,
    start: 0,
    count: COUNT,
    total: COUNT,
    aliases: ALIASES,
    payload: { kind: 'single', body: '{"n":1}' },
    parallel: false,
    concurrency: 1,
    allowedExceptions: [],
    disablePayloadLogs: false,
    resultForm: 'summary',
    stopOn: 'resource',
    ...overrides,
  };
}

/** Runs invokeBatch as attempt `attempt`, with the previous attempt's heartbeat details. */
function attemptOf(
  lambda: FakeLambda,
  opts: { attempt: number; heartbeatDetails?: unknown },
): {
  env: MockActivityEnvironment;
  heartbeats: unknown[];
  run: (input: InvokeBatchInput) => Promise<InvokeBatchResult>;
} {
  const env = new MockActivityEnvironment(
    { attempt: opts.attempt, heartbeatDetails: opts.heartbeatDetails, heartbeatTimeoutMs: 20_000 },
    { logger: new DefaultLogger('ERROR') },
  );
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => heartbeats.push(details));
  const payloads = createPayloadSource({} as S3PayloadCache);
  const { invokeBatch } = invokeActivities(lambda.aws, payloads);
  return { env, heartbeats, run: (input) => env.run(invokeBatch, input) };
}

/** Same invocations counted: counts, billed total, and the duration values with their multiplicity. */
function assertSameSummary(actual: SizeSummary | undefined, expected: SizeSummary): void {
  assert.ok(actual, 'a summary');
  assert.equal(actual.invocations, expected.invocations);
  assert.equal(actual.errors, expected.errors);
  assert.equal(actual.billedMsTotal, expected.billedMsTotal);
  assert.deepEqual(sketchEntries(actual.durationMs), sketchEntries(expected.durationMs));
  assert.ok(Math.abs(sketchMean(actual.durationMs) - sketchMean(expected.durationMs)) < 1e-9);
}

void describe('invokeBatch resumes from the heartbeat of its previous attempt', () => {
  void it('sequential: starts after the recorded prefix, invokes each remaining slot once, keeps the carried summary', async () => {
    const lambda = fakeLambda();
    const previous: SummaryProgress = { summary: summaryOf(range(0, 4)), prefix: 4, ahead: [] };
    const { run, heartbeats } = attemptOf(lambda, { attempt: 2, heartbeatDetails: previous });
    const result = await run(batchInput());
    assert.deepEqual(lambda.invoked, range(4, COUNT));
    assertSameSummary(result.summary, summaryOf(range(0, COUNT)));
    assert.equal(result.failure, undefined);
    // What it heartbeats goes on from there: a further retry would not start over either.
    const first = heartbeats[0] as SummaryProgress | undefined;
    assert.ok(first, 'at least one heartbeat');
    assert.equal(first.prefix, 5);
    assert.deepEqual(first.ahead, []);
    assert.equal(first.summary.invocations, 5);
  });

  void it('parallel: slots finished ahead of the prefix are skipped too', async () => {
    const lambda = fakeLambda();
    const previous: SummaryProgress = { summary: summaryOf([0, 1, 4, 7]), prefix: 2, ahead: [4, 7] };
    const { run } = attemptOf(lambda, { attempt: 3, heartbeatDetails: previous });
    const result = await run(batchInput({ parallel: true, concurrency: 3 }));
    assert.deepEqual(
      [...lambda.invoked].sort((a, b) => a - b),
      [2, 3, 5, 6, 8, 9],
    );
    assertSameSummary(result.summary, summaryOf(range(0, COUNT)));
  });

  void it('an attempt failing midway, then its retry: every slot counted once, nothing the heartbeat recorded redone', async () => {
    // Attempt 1: slot 6 gets an error that the per-call retries do not fix, so the attempt fails.
    const conflict = Object.assign(new Error('The function is being updated'), {
      name: 'ResourceConflictException',
      $metadata: { httpStatusCode: 409 },
    });
    const lambda1 = fakeLambda({ fail: (i) => (i === 6 ? conflict : undefined) });
    const first = attemptOf(lambda1, { attempt: 1 });
    await assert.rejects(first.run(batchInput()), /ResourceConflictException/);
    assert.deepEqual(lambda1.invoked, range(0, 6));
    const last = first.heartbeats.at(-1) as SummaryProgress | undefined;
    assert.ok(last, 'attempt 1 heartbeated its progress');
    const recorded = [...range(0, last.prefix), ...last.ahead];
    assert.ok(recorded.length > 0 && recorded.length <= 6, `recorded ${recorded.join(',')}`);
    assert.equal(last.summary.invocations, recorded.length, 'the heartbeat counts what it records');

    // Attempt 2, given what the server kept: attempt 1's last heartbeat.
    const lambda2 = fakeLambda();
    const second = attemptOf(lambda2, { attempt: 2, heartbeatDetails: last });
    const result = await second.run(batchInput());
    assert.deepEqual(
      lambda2.invoked,
      range(0, COUNT).filter((i) => !recorded.includes(i)),
    );
    assertSameSummary(result.summary, summaryOf(range(0, COUNT)));
  });

  void it('results form (older workflow code): carried and new results come back in slot order', async () => {
    const lambda = fakeLambda();
    const previous = { done: { 0: resultOf(0), 1: resultOf(1), 3: resultOf(3) } };
    const { run } = attemptOf(lambda, { attempt: 2, heartbeatDetails: previous });
    const result = await run(batchInput({ count: 5, total: 5, resultForm: undefined, stopOn: 'any' }));
    assert.deepEqual(lambda.invoked, [2, 4]);
    assert.deepEqual(result.results, range(0, 5).map(resultOf));
  });

  void it('a previous attempt that already found the size infeasible invokes nothing more', async () => {
    const lambda = fakeLambda();
    const reason = '512 MB ran out of memory';
    const previous: SummaryProgress = {
      summary: summaryOf(range(0, 3)),
      prefix: 3,
      ahead: [],
      failure: reason,
      firstFailure: reason,
    };
    const { run } = attemptOf(lambda, { attempt: 2, heartbeatDetails: previous });
    const result = await run(batchInput());
    assert.deepEqual(lambda.invoked, []);
    assert.equal(result.failure, reason);
    assert.equal(result.firstFailure, reason);
    assertSameSummary(result.summary, summaryOf(range(0, 3)));
  });

  void it(
    'paced: a resumed batch whose pause has already passed invokes at once, then waits the next pause',
    { timeout: 60_000 },
    async () => {
      const hour = 60 * 60_000;
      // Once the first slot is invoked, the batch would pause an hour: cancel it then.
      let cancel = (): void => undefined;
      const lambda = fakeLambda({ onInvoke: () => setImmediate(() => cancel()) });
      const previous: SummaryProgress = {
        summary: summaryOf(range(0, 4)),
        prefix: 4,
        ahead: [],
        // The last invocation ended two hours ago: its pause is over.
        lastEndMs: Date.now() - 2 * hour,
      };
      const attempt = attemptOf(lambda, { attempt: 2, heartbeatDetails: previous });
      cancel = () => attempt.env.cancel();
      await assert.rejects(attempt.run(batchInput({ sleepBetweenMs: hour })), CancelledFailure);
      assert.deepEqual(lambda.invoked, [4]);
    },
  );
});
