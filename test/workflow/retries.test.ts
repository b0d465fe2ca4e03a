/**
 * Activity retries as the workflow configures them (workflows/activity-options.ts), on the
 * time-skipping test server with mocked activities: transient failures are retried with backoff
 * and the run goes on, exhausted or non-retryable failures fail the run with the step named after
 * cleanup, and a batch whose worker was lost resumes from its heartbeat. The backoffs add up to
 * minutes of server time; time skipping makes them instant.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { activityInfo, Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mergeSummaries, summariseInvocations } from '../../domain/sample-summary.js';
import type { PowerTuningInput } from '../../domain/types.js';
import {
  FUNCTION_ARN,
  ORIGINAL,
  callNames,
  inputsOf,
  mockActivities,
  mockedTuning,
  modelDuration,
  modelResult,
  runTuning,
  runToFailure,
  startTimeSkippingEnv,
  type ActivityCall,
} from '../support/time-skipping.js';

const INPUT: PowerTuningInput = { lambdaARN: FUNCTION_ARN, num: 5, powerValues: [128, 512] };

let env: TestWorkflowEnvironment;
before(async () => {
  env = await startTimeSkippingEnv();
});
after(async () => env?.teardown());

/** An attempt of a mocked activity, and the server's clock when it ran. */
interface Attempt {
  attempt: number;
  atMs: number;
}

/** Server time between consecutive attempts: the retry policy's backoff, skipped over in real time. */
function gaps(attempts: Attempt[]): number[] {
  const times = [...attempts].sort((a, b) => a.attempt - b.attempt).map((a) => a.atMs);
  return times.slice(1).map((t, i) => t - (times[i] as number));
}

void describe('activity retries', () => {
  void it('a control-plane step failing twice is retried with 1 s, then 2 s of backoff, and the run goes on', async () => {
    const attempts: Attempt[] = [];
    const normal = mockActivities([]);
    const { output, calls } = await runTuning(env, INPUT, {
      async setupPowerValue(input) {
        if (input.power === 512) {
          const info = activityInfo();
          attempts.push({ attempt: info.attempt, atMs: await env.currentTimeMs() });
          if (info.attempt < 3)
            throw ApplicationFailure.retryable('Rate exceeded', 'TooManyRequestsException');
        }
        return normal.setupPowerValue(input);
      },
    });
    assert.deepEqual(
      calls
        .filter((c) => c.name === 'setupPowerValue')
        .map((c) => [(c.input as { power: number }).power, c.attempt]),
      [
        [128, 1],
        [512, 1],
        [512, 2],
        [512, 3],
      ],
    );
    // The retry policy's backoff, in server time (initial 1 s, coefficient 2).
    const [first, second] = gaps(attempts);
    assert.ok(first !== undefined && first >= 1000, `first backoff ${first} ms`);
    assert.ok(second !== undefined && second >= 2000, `second backoff ${second} ms`);
    // Nothing else was repeated, and the tuning finished normally.
    assert.deepEqual(
      callNames(calls)
        .filter((n) => n !== 'setupPowerValue')
        .sort(),
      ['acquireTuningLock', 'cleanupRun', 'invokeBatch', 'invokeBatch', 'prepareTuning', 'restoreLatest'],
    );
    assert.equal(calls.at(-1)?.name, 'cleanupRun');
    assert.deepEqual(
      output.results.map((r) => [r.power, r.invocations]),
      [
        [128, 5],
        [512, 5],
      ],
    );
  });

  void it('a step that keeps failing fails the run after 10 attempts and 4 minutes of backoff, after cleanup', async () => {
    const attempts: Attempt[] = [];
    const tuning = await mockedTuning(env, {
      async setupPowerValue() {
        const info = activityInfo();
        attempts.push({ attempt: info.attempt, atMs: await env.currentTimeMs() });
        throw ApplicationFailure.retryable('Rate exceeded', 'TooManyRequestsException');
      },
    });
    const err = await runToFailure(tuning, INPUT);
    assert.ok(err.cause instanceof ApplicationFailure, String(err.cause));
    assert.equal(err.cause.type, 'TooManyRequestsException');
    assert.match(err.cause.message, /^Setting up 128 MB: Rate exceeded/);
    assert.deepEqual(
      attempts.map((a) => a.attempt),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    // Backoff doubles from 1 s and is capped at 1 minute.
    const expected = [1, 2, 4, 8, 16, 32, 60, 60, 60].map((s) => s * 1000);
    const observed = gaps(attempts);
    assert.equal(observed.length, expected.length);
    for (const [i, gap] of observed.entries()) {
      assert.ok(gap >= (expected[i] as number), `backoff ${i + 1}: ${gap} ms, expected ≥ ${expected[i]} ms`);
    }
    assert.deepEqual(callNames(tuning.calls).slice(0, 2), ['acquireTuningLock', 'prepareTuning']);
    assert.ok(!callNames(tuning.calls).includes('invokeBatch'));
    assert.equal(tuning.calls.at(-1)?.name, 'cleanupRun');
    assert.deepEqual(inputsOf(tuning.calls, 'cleanupRun')[0]?.restore, ORIGINAL);
  });

  void it('a non-retryable failure is not retried: the run fails at once with its type, after cleanup', async () => {
    const tuning = await mockedTuning(env, {
      async prepareTuning() {
        throw ApplicationFailure.nonRetryable('not allowed to read the function', 'AccessDeniedException');
      },
    });
    const err = await runToFailure(tuning, INPUT);
    assert.ok(err.cause instanceof ApplicationFailure, String(err));
    assert.equal(err.cause.type, 'AccessDeniedException');
    assert.match(err.cause.message, /^Preparing the tuning: not allowed to read the function/);
    assert.deepEqual(
      tuning.calls.map((c) => [c.name, c.attempt]),
      [
        ['acquireTuningLock', 1],
        ['prepareTuning', 1],
        ['cleanupRun', 1],
      ],
    );
    // The lock was taken, so cleanup puts the settings back and deletes the snapshot.
    const [cleanup] = inputsOf(tuning.calls, 'cleanupRun');
    assert.deepEqual(cleanup?.restore, ORIGINAL);
    assert.equal(cleanup?.snapshot?.created, true);
  });

  void it('a batch whose worker went silent is retried after the heartbeat timeout, from its heartbeat', async () => {
    const seen: { attempt: number; details: unknown }[] = [];
    const progress = { summary: summariseInvocations([0, 1, 2].map((i) => modelResult(512, i))), prefix: 3 };
    const normal = mockActivities([]);
    const { output, calls } = await runTuning(env, INPUT, {
      async invokeBatch(input) {
        if (input.power !== 512) return normal.invokeBatch(input);
        const info = activityInfo();
        seen.push({ attempt: info.attempt, details: info.heartbeatDetails });
        if (info.attempt === 1) {
          // Three invocations done and reported, then the worker goes silent for longer than
          // the 20 s heartbeat timeout (server time, skipped over).
          const context = Context.current();
          context.heartbeat(progress);
          await heartbeatRecorded(info.workflowExecution?.workflowId ?? '', info.activityId);
          await env.sleep('25 seconds');
          // Back again: a heartbeat learns that this attempt is over (or the worker stops).
          const beat = setInterval(() => context.heartbeat(progress), 20);
          try {
            return await context.cancelled;
          } finally {
            clearInterval(beat);
          }
        }
        // The retry carries on from the heartbeat: only the rest is invoked.
        const previous = info.heartbeatDetails as typeof progress;
        const rest = Array.from({ length: input.count - previous.prefix }, (_, i) =>
          modelResult(512, previous.prefix + i),
        );
        return { summary: mergeSummaries(previous.summary, summariseInvocations(rest)) };
      },
    });
    assert.deepEqual(
      seen.map((s) => s.attempt),
      [1, 2],
    );
    assert.equal(seen[0]?.details, undefined);
    assert.deepEqual(seen[1]?.details, progress);
    assert.deepEqual(batchAttempts(calls), [
      ['invoke-128-r1-1', 1],
      ['invoke-512-r1-1', 1],
      ['invoke-512-r1-1', 2],
    ]);
    const r512 = output.results.find((r) => r.power === 512);
    assert.equal(r512?.invocations, 5);
    assert.equal(r512?.averageDuration, modelDuration(512, 2));
  });
});

/** Waits until the server holds the heartbeat details of a running activity. */
async function heartbeatRecorded(workflowId: string, activityId: string): Promise<void> {
  const handle = env.client.workflow.getHandle(workflowId);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const pending = (await handle.describe()).raw.pendingActivities ?? [];
    const activity = pending.find((a) => a.activityId === activityId);
    if (activity?.heartbeatDetails?.payloads?.length) return;
    if (Date.now() > deadline) throw new Error(`no heartbeat of ${activityId} reached the server`);
    await sleep(20);
  }
}

const batchAttempts = (calls: ActivityCall[]) =>
  calls
    .filter((c) => c.name === 'invokeBatch')
    .map((c) => [c.activityId, c.attempt] as [string, number])
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);
