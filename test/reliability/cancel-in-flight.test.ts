/**
 * Cancelling a tuning while invocations are in flight: cleanup deletes the aliases only after
 * every batch has stopped, so no invocation is running (or starts) once cleanup begins.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { cancelAndExpectCancelled, startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions({}, { 'slow-fn': { code: 'slow-recorder' } });

interface Recorded {
  id: string;
  phase: 'start' | 'end';
  at: number;
}

describe('cancellation with invocations in flight', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
  });
  after(async () => h?.stop());

  it('waits for running invocations before cleanup deletes anything', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 'slow-fn');
    const handle = await h.start({
      lambdaARN: 'slow-fn',
      num: 40,
      powerValues: [128, 256],
      parallelInvocation: true,
      maxParallelInvocations: 4,
      payload: { sleepMs: 1500 },
    });
    // Cancel once invocations are surely running (some started, none of the first wave ended).
    for (let i = 0; i < 600; i++) {
      const started = (functions.recorded('slow-fn') as Recorded[]).filter((r) => r.phase === 'start');
      if (started.length >= 4) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await cancelAndExpectCancelled(handle);

    const events = await h.emulator.admin.events();
    const firstDelete = events.find(
      (e) =>
        e.functionName === 'slow-fn' && (e.operation === 'DeleteAlias' || e.operation === 'DeleteFunction'),
    );
    assert.ok(firstDelete, 'cleanup deleted the run’s aliases');
    const cleanupStart = Date.parse(firstDelete.time);
    const recorded = functions.recorded('slow-fn') as Recorded[];
    const starts = recorded.filter((r) => r.phase === 'start');
    const ends = new Map(recorded.filter((r) => r.phase === 'end').map((r) => [r.id, r.at]));
    assert.ok(starts.length >= 4);
    for (const s of starts) {
      const end = ends.get(s.id);
      assert.ok(end !== undefined, `invocation ${s.id} never finished`);
      assert.ok(s.at < cleanupStart, 'no invocation starts once cleanup has begun');
      assert.ok(end <= cleanupStart, `an invocation was still running ${end - cleanupStart} ms into cleanup`);
    }
    assert.deepEqual(await functionState(lambda, 'slow-fn'), before);
  });
});
