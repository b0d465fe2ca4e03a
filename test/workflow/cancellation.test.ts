/**
 * Cancelling a tuning in each of its phases, on the time-skipping test server with mocked
 * activities: whatever the phase, cleanup runs last and puts the function back, steps that change
 * the function are never cut off halfway, and once the recommendation is being applied the run
 * completes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CleanupInput } from '../../activities/types.js';
import type { PowerTuningInput, TuningOutput } from '../../domain/types.js';
import {
  FUNCTION_ARN,
  ORIGINAL,
  SNAPSHOT_VERSION,
  callNames,
  cleanedUp,
  gate,
  heartbeatUntilCancelled,
  inputsOf,
  lingeringBatches,
  mockActivities,
  mockedTuning,
  type ActivityCall,
  startTimeSkippingEnv,
  waitUntilCancellationHandled,
  type MockActivities,
} from '../support/time-skipping.js';

const INPUT: PowerTuningInput = { lambdaARN: FUNCTION_ARN, num: 5, powerValues: [128, 512] };
const SNAPSHOT = { version: SNAPSHOT_VERSION, created: true };
/**
 * Every activity of a run of INPUT through its invocations, then its cleanup. A size invokes as
 * soon as it is set up, so the middle of the run interleaves: compared as a multiset.
 */
function assertWholeRun(calls: ActivityCall[]): void {
  const names = callNames(calls);
  assert.deepEqual(names.slice(0, 2), ['acquireTuningLock', 'prepareTuning']);
  assert.deepEqual(
    names.slice(2, -1).sort(),
    ['invokeBatch', 'invokeBatch', 'restoreLatest', 'setupPowerValue', 'setupPowerValue'],
    names.join(', '),
  );
  assert.equal(names.at(-1), 'cleanupRun');
}

let env: TestWorkflowEnvironment;
before(async () => {
  env = await startTimeSkippingEnv();
});
after(async () => env?.teardown());

/**
 * Starts a tuning with the given mocks, waits until one of them says it has `entered` the phase
 * under test, cancels the run, and lets the mocks waiting on `released` go on once the workflow
 * has handled the cancellation. Returns how the run ended and every activity call.
 */
async function cancelDuring(
  input: PowerTuningInput,
  overrides: (entered: () => void, released: Promise<void>) => Partial<MockActivities>,
): Promise<{ outcome: TuningOutput | Error; calls: ActivityCall[] }> {
  const entered = gate();
  const released = gate();
  const tuning = await mockedTuning(env, overrides(entered.open, released.promise));
  const outcome = await tuning.run(async (start) => {
    const handle: WorkflowHandle = await start(input);
    await entered.promise;
    await handle.cancel();
    await waitUntilCancellationHandled(handle);
    released.open();
    return (await handle.result().catch((err: unknown) => err as Error)) as TuningOutput | Error;
  });
  return { outcome, calls: tuning.calls };
}

function assertCancelled(outcome: unknown): void {
  assert.ok(outcome instanceof WorkflowFailedError, `expected a failed workflow, got ${String(outcome)}`);
  assert.ok(
    outcome.cause instanceof CancelledFailure,
    `expected a cancellation, got ${String(outcome.cause)}`,
  );
}

/** The single cleanup call, which must be the last activity of the run. */
function lastCleanup(calls: ActivityCall[]): CleanupInput {
  const cleanups = inputsOf(calls, 'cleanupRun');
  assert.equal(cleanups.length, 1, `one cleanup, got ${callNames(calls).join(', ')}`);
  assert.equal(calls.at(-1)?.name, 'cleanupRun', 'cleanup is the last activity');
  return cleanups[0] as CleanupInput;
}

/** The run tag every activity was given (they must agree: cleanup finds resources by it). */
function runTagOf(calls: ActivityCall[]): string {
  const tags = new Set(
    calls.flatMap((c) => {
      const tag = (c.input as { tag?: unknown }).tag;
      return typeof tag === 'string' ? [tag] : [];
    }),
  );
  assert.equal(tags.size, 1, `one run tag across activities, got ${[...tags].join(', ')}`);
  return [...tags][0] as string;
}

void describe('cancelling a tuning', () => {
  void it('while taking the lock: the lock step finishes, then cleanup releases it and its snapshot', async () => {
    const { outcome, calls } = await cancelDuring(INPUT, (entered, released) => ({
      async acquireTuningLock() {
        entered();
        await released;
        return { original: { ...ORIGINAL }, snapshotVersion: SNAPSHOT_VERSION, snapshotCreated: true };
      },
    }));
    assertCancelled(outcome);
    assert.deepEqual(callNames(calls), ['acquireTuningLock', 'cleanupRun']);
    const cleanup = lastCleanup(calls);
    assert.equal(cleanup.tag, runTagOf(calls));
    // The lock step ran to its end and published the snapshot version: it is this run's to
    // delete, and only this run knows of it (it carries the function's own description).
    assert.deepEqual(
      cleanup.snapshot,
      SNAPSHOT,
      'cleanup was not told of the snapshot version the lock step published, so that version is never deleted',
    );
  });

  void it('while inspecting the function: the inspection is cancelled, cleanup restores and unlocks', async () => {
    const { outcome, calls } = await cancelDuring(INPUT, (entered) => ({
      async prepareTuning() {
        entered();
        return heartbeatUntilCancelled();
      },
    }));
    assertCancelled(outcome);
    assert.deepEqual(callNames(calls), ['acquireTuningLock', 'prepareTuning', 'cleanupRun']);
    const cleanup = lastCleanup(calls);
    assert.deepEqual(cleanup.restore, ORIGINAL);
    assert.deepEqual(cleanup.snapshot, SNAPSHOT);
  });

  void it('during setup: the size being set up is finished, no other starts, cleanup restores $LATEST', async () => {
    const { outcome, calls } = await cancelDuring(INPUT, (entered, released) => {
      const normal = mockActivities([]);
      const invoking = gate();
      return {
        async setupPowerValue(input) {
          if (input.power === 512) {
            await invoking.promise;
            entered();
            await released;
          }
          return normal.setupPowerValue(input);
        },
        // 128 MB, set up already, is invoking meanwhile; its batch is cancelled too.
        invokeBatch: () => {
          invoking.open();
          return heartbeatUntilCancelled();
        },
      };
    });
    assertCancelled(outcome);
    const names = callNames(calls);
    assert.deepEqual(names.slice(0, 3), ['acquireTuningLock', 'prepareTuning', 'setupPowerValue']);
    assert.deepEqual(names.slice(3, -1).sort(), ['invokeBatch', 'setupPowerValue']);
    assert.equal(names.at(-1), 'cleanupRun');
    assert.deepEqual(
      inputsOf(calls, 'invokeBatch').map((b) => b.power),
      [128],
    );
    assert.deepEqual(
      inputsOf(calls, 'setupPowerValue').map((s) => s.power),
      [128, 512],
    );
    const cleanup = lastCleanup(calls);
    assert.equal(cleanup.tag, runTagOf(calls));
    // $LATEST was left at 512 MB by setup: cleanup is what puts the original back.
    assert.deepEqual(cleanup.restore, ORIGINAL);
    assert.deepEqual(cleanup.snapshot, SNAPSHOT);
  });

  void it('while invoking: every batch is cancelled and has stopped before cleanup starts', async () => {
    let batches: ReturnType<typeof lingeringBatches> | undefined;
    const { outcome, calls } = await cancelDuring(INPUT, (entered) => {
      let started = 0;
      batches = lingeringBatches(() => {
        if (++started === INPUT.powerValues!.length) entered();
      });
      return batches.activities;
    });
    assertCancelled(outcome);
    assertWholeRun(calls);
    assert.equal(batches?.inFlightAtCleanup(), 0, 'no batch was still running when cleanup began');
    const cleanup = lastCleanup(calls);
    assert.deepEqual(cleanup.restore, ORIGINAL);
    assert.deepEqual(cleanup.snapshot, SNAPSHOT);
  });

  void it('after the last batch finished: nothing is applied, cleanup restores, the run ends cancelled', async () => {
    const { outcome, calls } = await cancelDuring({ ...INPUT, autoOptimize: true }, (entered, released) => {
      const normal = mockActivities([]);
      let started = 0;
      return {
        async invokeBatch(input) {
          // Neither batch heartbeats, so neither hears of the cancellation: both finish normally.
          if (++started === INPUT.powerValues!.length) entered();
          await released;
          return normal.invokeBatch(input);
        },
      };
    });
    assertCancelled(outcome);
    assert.ok(!callNames(calls).includes('optimizeFunction'), callNames(calls).join(', '));
    assertWholeRun(calls);
    const cleanup = lastCleanup(calls);
    assert.deepEqual(cleanup.restore, ORIGINAL);
  });

  void it('while applying the recommendation: applying finishes and the run completes, optimized', async () => {
    const { outcome, calls } = await cancelDuring(
      { ...INPUT, autoOptimize: true, strategy: 'speed' },
      (entered, released) => ({
        async optimizeFunction() {
          entered();
          await released;
          return { version: '42' };
        },
      }),
    );
    assert.ok(!(outcome instanceof Error), `expected a result, got ${String(outcome)}`);
    assert.equal(outcome.optimized, true);
    assert.equal(outcome.power, 512);
    assert.deepEqual(
      inputsOf(calls, 'optimizeFunction').map((o) => [o.power, o.originalDescription]),
      [[512, ORIGINAL.description]],
    );
    const cleanup = lastCleanup(calls);
    // The applied size stays: cleanup must not put the old memory size back.
    assert.equal(cleanup.restore, undefined);
    assert.deepEqual(cleanup.snapshot, SNAPSHOT);
  });

  void it('during cleanup after a finished tuning: cleanup completes once, the run ends cancelled', async () => {
    const { outcome, calls } = await cancelDuring(INPUT, (entered, released) => ({
      async cleanupRun() {
        entered();
        await released;
        return cleanedUp();
      },
    }));
    assertCancelled(outcome);
    assertWholeRun(calls);
    assert.deepEqual(lastCleanup(calls).restore, ORIGINAL);
  });
});
