/**
 * Two tunings of the same function at once would overwrite each other's `$LATEST` settings:
 * the second is refused with a clear message, the first is unharmed, and the lock is released.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TuningOutput } from '../../domain/types.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions({ 'shared-fn': { cpuMs: 20, ioWaitMs: 20 } });

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
});
