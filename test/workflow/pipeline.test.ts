/**
 * Pipelined setup (workflows/pipeline.ts), on the time-skipping test server with mocked
 * activities: a size invokes while later sizes are still being set up, a size whose next request
 * its own samples decide goes on without the others, and a failure or a cancellation in the
 * middle of the pipeline stops every batch and setup before cleanup, which runs last.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Context, activityInfo } from '@temporalio/activity';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { summariseInvocations } from '../../domain/sample-summary.js';
import type { PowerTuningInput, TuningOutput, TuningProgress } from '../../domain/types.js';
import {
  FUNCTION_ARN,
  ORIGINAL,
  callNames,
  gate,
  heartbeatUntilCancelled,
  inputsOf,
  lingeringBatches,
  mockActivities,
  mockedTuning,
  modelResult,
  runToFailure,
  startTimeSkippingEnv,
  waitUntilCancellationHandled,
  type ActivityCall,
  type MockActivities,
} from '../support/time-skipping.js';

const { EventType } = proto.temporal.api.enums.v1;

let env: TestWorkflowEnvironment;
before(async () => {
  env = await startTimeSkippingEnv();
});
after(async () => env?.teardown());

/** How long a mock waits for the workflow to reach a state before it reports that it did not. */
const PATIENCE_MS = 10_000;

/** The run a mocked activity belongs to. */
function ownRun(): WorkflowHandle {
  return env.client.workflow.getHandle(activityInfo().workflowExecution?.workflowId ?? '');
}

/**
 * From a mocked activity: polls `check` until it holds (true) or PATIENCE_MS pass (false),
 * heartbeating, so the wait never looks like a lost worker.
 */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  const context = Context.current();
  const deadline = Date.now() + PATIENCE_MS;
  while (Date.now() < deadline) {
    if (await check()) return true;
    context.heartbeat();
    await sleep(20);
  }
  return false;
}

/** Whether the run's history has an activity with this id scheduled. */
async function scheduled(handle: WorkflowHandle, activityId: string): Promise<boolean> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events.some((e) => e.activityTaskScheduledEventAttributes?.activityId === activityId);
}

/**
 * Whether the workflow has handled the failure of an activity (by id, or any of a type): its
 * failed event is followed by a completed workflow task (so what the failure causes is decided).
 */
async function failureHandled(
  handle: WorkflowHandle,
  activity: { id?: string; type?: string },
): Promise<boolean> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduledIds = events
    .filter((e) => {
      const scheduled = e.activityTaskScheduledEventAttributes;
      return scheduled?.activityId === activity.id || scheduled?.activityType?.name === activity.type;
    })
    .map((e) => Number(e.eventId));
  const failedAt = events.findIndex((e) =>
    scheduledIds.includes(Number(e.activityTaskFailedEventAttributes?.scheduledEventId ?? -1)),
  );
  return (
    failedAt >= 0 &&
    events.slice(failedAt).some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
  );
}

/** Index in `calls` of the first call of `name` (with `power`, if given). */
function firstIndex(calls: ActivityCall[], name: string, power?: number): number {
  return calls.findIndex(
    (c) => c.name === name && (power === undefined || (c.input as { power?: number }).power === power),
  );
}

const INPUT: PowerTuningInput = { lambdaARN: FUNCTION_ARN, num: 5, powerValues: [1024, 128, 512] };

void describe('pipelined setup', () => {
  void it('the first size is invoked, and done, while the last size is still being set up', async () => {
    let doneAtLastSetup: boolean | undefined;
    const normal = mockActivities([]);
    const tuning = await mockedTuning(env, {
      async setupPowerValue(input) {
        if (input.power === 1024) {
          const handle = ownRun();
          doneAtLastSetup = await eventually(async () => {
            const progress = await handle.query<TuningProgress>('progress');
            return progress.sizes.find((s) => s.power === 128)?.done === 5;
          });
        }
        return normal.setupPowerValue(input);
      },
    });
    const { output, progress } = await tuning.run(async (start) => {
      const handle = await start(INPUT);
      const result = (await handle.result()) as TuningOutput;
      return { output: result, progress: await handle.query<TuningProgress>('progress') };
    });
    assert.equal(doneAtLastSetup, true, '128 MB had not finished invoking while 1024 MB was set up');

    const calls = tuning.calls;
    // Setup is still one size at a time, smallest (slowest expected) first, then $LATEST is put back.
    assert.deepEqual(
      inputsOf(calls, 'setupPowerValue').map((s) => s.power),
      [128, 512, 1024],
    );
    assert.ok(firstIndex(calls, 'restoreLatest') > firstIndex(calls, 'setupPowerValue', 1024));
    for (const power of [128, 512, 1024])
      assert.ok(firstIndex(calls, 'invokeBatch', power) > firstIndex(calls, 'setupPowerValue', power));
    assert.equal(calls.at(-1)?.name, 'cleanupRun');
    assert.deepEqual(inputsOf(calls, 'cleanupRun')[0]?.restore, ORIGINAL);
    assert.deepEqual(
      output.results.map((r) => [r.power, r.invocations]),
      [128, 512, 1024].map((p) => [p, 5]),
    );
    assert.equal(progress.phase, 'done');
  });

  void it("fixed grid: a size's replacement round starts without waiting for a slower size", async () => {
    let replacedWhileSlowRan: boolean | undefined;
    const normal = mockActivities([]);
    const tuning = await mockedTuning(env, {
      async invokeBatch(input) {
        const { activityId } = activityInfo();
        if (activityId === 'invoke-512-r1-1') {
          // Two of five fail with an ordinary error: 512 MB needs two more.
          const results = Array.from({ length: input.count }, (_, i) =>
            i < 2
              ? { ...modelResult(512, i), error: { type: 'Error', message: 'flaky', allowed: false } }
              : modelResult(512, i),
          );
          return { summary: summariseInvocations(results), firstFailure: 'Error: flaky' };
        }
        if (activityId === 'invoke-128-r1-1') {
          // The slow size: it ends only once 512 MB's replacements were scheduled (or never).
          const handle = ownRun();
          replacedWhileSlowRan = await eventually(() => scheduled(handle, 'invoke-512-r2-1'));
        }
        return normal.invokeBatch(input);
      },
    });
    const output = await tuning.run(
      async (start) => (await (await start({ ...INPUT, powerValues: [128, 512] })).result()) as TuningOutput,
    );
    assert.equal(replacedWhileSlowRan, true, "512 MB's replacements waited for 128 MB's round");
    const r512 = output.results.find((r) => r.power === 512);
    assert.deepEqual([r512?.invocations, r512?.errors], [7, 2]);
    assert.equal(output.results.find((r) => r.power === 128)?.invocations, 5);
  });

  void it('a setup failing while a size invokes: the batch is cancelled and stopped before cleanup', async () => {
    let batchStarted = false;
    const batches = lingeringBatches(() => {
      batchStarted = true;
    });
    const normal = mockActivities([]);
    const tuning = await mockedTuning(env, {
      async setupPowerValue(input) {
        if (input.power !== 512) return normal.setupPowerValue(input);
        await eventually(async () => batchStarted);
        throw ApplicationFailure.nonRetryable('no permission to publish', 'AccessDeniedException');
      },
      ...batches.activities,
    });
    const err = await runToFailure(tuning, INPUT);
    assert.ok(err.cause instanceof ApplicationFailure, String(err));
    assert.equal(err.cause.type, 'AccessDeniedException');
    assert.match(err.cause.message, /^Setting up 512 MB: no permission to publish/);
    const calls = tuning.calls;
    assert.deepEqual(
      inputsOf(calls, 'setupPowerValue').map((s) => s.power),
      [128, 512],
      'no size is set up after the failure',
    );
    assert.deepEqual(
      inputsOf(calls, 'invokeBatch').map((b) => b.power),
      [128],
    );
    assert.equal(batches.inFlightAtCleanup(), 0, 'no batch was still running when cleanup began');
    assert.equal(calls.at(-1)?.name, 'cleanupRun');
    assert.deepEqual(inputsOf(calls, 'cleanupRun')[0]?.restore, ORIGINAL);
  });

  void it('a batch failing while a size is set up: that setup finishes, no other starts, cleanup runs last', async () => {
    let failureSeen: boolean | undefined;
    const normal = mockActivities([]);
    const tuning = await mockedTuning(env, {
      async setupPowerValue(input) {
        if (input.power === 512) {
          // Still being set up when the workflow has taken in 128 MB's failure.
          const handle = ownRun();
          failureSeen = await eventually(() => failureHandled(handle, { id: 'invoke-128-r1-1' }));
        }
        return normal.setupPowerValue(input);
      },
      async invokeBatch(input) {
        // Other sizes' batches (none are expected) end only when cancelled.
        if (input.power !== 128) return heartbeatUntilCancelled();
        throw ApplicationFailure.nonRetryable('the function was deleted', 'FunctionDisappeared');
      },
    });
    const err = await runToFailure(tuning, INPUT);
    assert.ok(err.cause instanceof ApplicationFailure, String(err));
    assert.equal(err.cause.type, 'FunctionDisappeared');
    const calls = tuning.calls;
    assert.equal(failureSeen, true, "512 MB's setup ended before the workflow took in the failure");
    assert.deepEqual(
      inputsOf(calls, 'setupPowerValue').map((s) => s.power),
      [128, 512],
      'no size is set up after the failure',
    );
    assert.ok(!callNames(calls).includes('restoreLatest'), 'cleanup restores $LATEST, not the pipeline');
    assert.deepEqual(
      inputsOf(calls, 'invokeBatch').map((b) => b.power),
      [128],
    );
    assert.equal(calls.at(-1)?.name, 'cleanupRun');
    assert.deepEqual(inputsOf(calls, 'cleanupRun')[0]?.restore, ORIGINAL);
  });

  void it('a function deleted mid-pipeline is reported by the invocations it stops, not by setup', async () => {
    let batchStarted = false;
    let setupFailureSeen: boolean | undefined;
    const normal = mockActivities([]);
    const tuning = await mockedTuning(env, {
      async setupPowerValue(input) {
        if (input.power !== 512) return normal.setupPowerValue(input);
        await eventually(async () => batchStarted);
        throw ApplicationFailure.nonRetryable('Function not found', 'ResourceNotFoundException');
      },
      async invokeBatch() {
        batchStarted = true;
        // The deletion reaches this batch only after the setup step has reported it.
        setupFailureSeen = await eventually(() => failureHandled(ownRun(), { type: 'setupPowerValue' }));
        throw ApplicationFailure.nonRetryable(
          'fast-tests disappeared during the invocations',
          'FunctionDisappeared',
        );
      },
    });
    const err = await runToFailure(tuning, INPUT);
    assert.equal(setupFailureSeen, true);
    assert.ok(err.cause instanceof ApplicationFailure, String(err));
    assert.equal(err.cause.type, 'FunctionDisappeared');
    assert.match(err.cause.message, /^Invoking 128 MB: fast-tests disappeared/);
    const calls = tuning.calls;
    assert.deepEqual(
      inputsOf(calls, 'setupPowerValue').map((s) => s.power),
      [128, 512],
    );
    assert.equal(calls.at(-1)?.name, 'cleanupRun');
  });

  void it('cancelled while a size invokes and the next is set up: both stop before cleanup', async () => {
    let batchStarted = false;
    const batches = lingeringBatches(() => {
      batchStarted = true;
    });
    const entered = gate();
    const released = gate();
    const normal = mockActivities([]);
    const overrides: Partial<MockActivities> = {
      async setupPowerValue(input) {
        if (input.power === 512) {
          await eventually(async () => batchStarted);
          entered.open();
          await released.promise;
        }
        return normal.setupPowerValue(input);
      },
      ...batches.activities,
    };
    const tuning = await mockedTuning(env, overrides);
    const outcome = await tuning.run(async (start) => {
      const handle = await start(INPUT);
      await entered.promise;
      await handle.cancel();
      await waitUntilCancellationHandled(handle);
      released.open();
      return handle.result().catch((e: unknown) => e);
    });
    assert.ok(outcome instanceof WorkflowFailedError, String(outcome));
    assert.ok(outcome.cause instanceof CancelledFailure, String(outcome.cause));
    const calls = tuning.calls;
    // The setup in progress ran to its end (it changes $LATEST); the next never started.
    assert.deepEqual(
      inputsOf(calls, 'setupPowerValue').map((s) => s.power),
      [128, 512],
    );
    assert.deepEqual(
      inputsOf(calls, 'invokeBatch').map((b) => b.power),
      [128],
    );
    assert.equal(batches.cancelled(), true, "128 MB's batch heard of the cancellation");
    assert.equal(batches.inFlightAtCleanup(), 0, 'no batch was still running when cleanup began');
    assert.equal(calls.at(-1)?.name, 'cleanupRun');
    assert.deepEqual(inputsOf(calls, 'cleanupRun')[0]?.restore, ORIGINAL);
  });
});
