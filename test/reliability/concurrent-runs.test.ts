/**
 * Two tunings of the same function at once would overwrite each other's `$LATEST` settings:
 * the second is refused with a clear message, the first is unharmed, and the lock is released.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TuningOutput } from '../../domain/types.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions({
  'shared-fn': { cpuMs: 20, ioWaitMs: 20 },
  'snapshot-fn': { cpuMs: 20 },
  'marked-fn': { cpuMs: 20 },
});

/** Gives `$LATEST` of `fn` these settings, as a user (or an earlier run) would have left them. */
async function setLatest(
  lambda: ReturnType<typeof lambdaClient>,
  fn: string,
  memorySize: number,
  description: string,
): Promise<void> {
  await lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: fn,
      MemorySize: memorySize,
      Description: description,
    }),
  );
}

describe('concurrent tunings of one function', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false, timeScale: 1 } });
  });
  after(async () => h?.stop());

  it('refuses the second run while the first holds the function, then allows a new one', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 'shared-fn');
    const input = { lambdaARN: 'shared-fn', num: 10, powerValues: [128, 256] };
    const first = await h.start(input);
    const second = await h.start(input);
    const outcomes = await Promise.allSettled([first.result(), second.result()]);

    const done = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    assert.equal(done.length, 1, 'exactly one run completes');
    assert.equal(refused.length, 1, 'exactly one run is refused');
    const err = refused[0]?.reason as unknown;
    assert.ok(err instanceof WorkflowFailedError);
    assert.ok(err.cause instanceof ApplicationFailure);
    assert.equal(err.cause.type, 'ConcurrentTuning');
    assert.match(err.cause.message, /Another power tuning is in progress on shared-fn/);
    assert.deepEqual(
      ((done[0] as PromiseFulfilledResult<TuningOutput>).value.results ?? []).map((r) => r.invocations),
      [10, 10],
    );
    assert.deepEqual(await functionState(lambda, 'shared-fn'), before);

    // The lock is gone with the first run: the next tuning starts normally.
    const next = await h.run({ ...input, num: 5 });
    assert.deepEqual(
      next.results.map((r) => r.invocations),
      [5, 5],
    );
  });

  it('takes the lock before reading what to restore, and keeps the original settings with it', async () => {
    const lambda = lambdaClient(h.emulator.url);
    await setLatest(lambda, 'snapshot-fn', 640, 'the original');
    const before = await functionState(lambda, 'snapshot-fn');
    const handle = await h.start({ lambdaARN: 'snapshot-fn', num: 20, powerValues: [128, 256, 512, 1024] });
    // During the run the lock points at a version holding the settings from before the tuning,
    // even while setup has `$LATEST` at another size.
    let seen = false;
    for (let i = 0; i < 400 && !seen; i++) {
      const lock = await lambda
        .send(new GetAliasCommand({ FunctionName: 'snapshot-fn', Name: 'power-tuning-lock' }))
        .catch(() => undefined);
      if (lock?.FunctionVersion && lock.FunctionVersion !== '$LATEST') {
        const saved = await lambda.send(
          new GetFunctionConfigurationCommand({
            FunctionName: 'snapshot-fn',
            Qualifier: lock.FunctionVersion,
          }),
        );
        assert.equal(saved.MemorySize, 640);
        assert.equal(saved.Description, 'the original');
        seen = true;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(seen, 'the lock pointed at a snapshot of the original settings during the run');
    await handle.result();
    // The lock is the run's first step: nothing is read from the function before it.
    const history = await handle.fetchHistory();
    const activities = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter((name): name is string => Boolean(name));
    assert.deepEqual(activities.slice(0, 2), ['acquireTuningLock', 'prepareTuning']);
    assert.deepEqual(await functionState(lambda, 'snapshot-fn'), before);
  });

  it('refuses to take a function whose $LATEST still carries an earlier tuning’s settings', async () => {
    const lambda = lambdaClient(h.emulator.url);
    // What a run leaves when it is terminated mid-setup and its lock is then deleted by hand.
    await setLatest(lambda, 'marked-fn', 128, '[power-tuning 0123abcd 128MB] the original');
    const before = await functionState(lambda, 'marked-fn');
    const err = await h.run({ lambdaARN: 'marked-fn', num: 5, powerValues: [256] }).then(
      () => assert.fail('the run should be refused'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError);
    assert.ok(err.cause instanceof ApplicationFailure);
    assert.equal(err.cause.type, 'StrandedTuning');
    assert.match(err.cause.message, /powertune cleanup marked-fn/);
    // Refused without touching anything, and the lock it took is released.
    assert.deepEqual(await functionState(lambda, 'marked-fn'), before);
  });
});
