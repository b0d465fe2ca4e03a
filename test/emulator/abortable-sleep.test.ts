/**
 * Emulated waits share the emulator's one stop signal. Many of them at once must not pile up
 * 'abort' listeners on it (Node then prints MaxListenersExceededWarning), and stopping must still
 * end every one of them.
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { abortableSleep, pendingSleepCount, sleepUntil } from '../../emulator/abortable-sleep.js';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { functionsFile, lambdaClient } from './helpers.js';

/**
 * Collects the MaxListenersExceededWarnings emitted while `work` runs (they arrive on a later
 * tick). Other warnings, such as the AWS SDK's note about Node versions, are not this test's.
 */
async function listenerWarningsDuring(work: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const onWarning = (w: Error): void => {
    if (w.name === 'MaxListenersExceededWarning') seen.push(w.message);
  };
  process.on('warning', onWarning);
  try {
    await work();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  return seen;
}

void describe('abortableSleep', () => {
  void it('keeps one abort listener on the signal however many sleeps wait on it', async () => {
    const controller = new AbortController();
    const warnings = await listenerWarningsDuring(async () => {
      const sleeps = Array.from({ length: 50 }, () => abortableSleep(5, controller.signal));
      assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
      assert.equal(pendingSleepCount(controller.signal), 50);
      await Promise.all(sleeps);
    });
    assert.deepEqual(warnings, []);
    assert.equal(pendingSleepCount(controller.signal), 0);
    assert.ok(getEventListeners(controller.signal, 'abort').length <= 1);
  });

  void it('rejects every waiting sleep with an AbortError when the signal aborts', async () => {
    const controller = new AbortController();
    // Long enough that only the abort can end them before the test's own timeout.
    const sleeps = Array.from({ length: 20 }, () => abortableSleep(120_000, controller.signal));
    controller.abort(new Error('emulator stopping'));
    const results = await Promise.allSettled(sleeps);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      const reason = (r as PromiseRejectedResult).reason as Error;
      assert.equal(reason.name, 'AbortError');
      assert.equal((reason.cause as Error).message, 'emulator stopping');
    }
    assert.equal(pendingSleepCount(controller.signal), 0);
  });

  void it('rejects at once on a signal that is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(abortableSleep(120_000, controller.signal), { name: 'AbortError' });
    assert.equal(pendingSleepCount(controller.signal), 0);
  });
});

void describe('sleepUntil', () => {
  void it('never resolves before its deadline, though timers may fire early', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 40; i++) {
      // Work before the wait makes the event loop's clock stale, which makes a plain timer early.
      const start = performance.now();
      while (performance.now() - start < (i % 5) * 0.2) {
        /* busy */
      }
      const deadline = start + 1 + (i % 7) * 0.7;
      await sleepUntil(deadline, controller.signal);
      const now = performance.now();
      assert.ok(now >= deadline, `resolved ${(deadline - now).toFixed(3)} ms before its deadline`);
    }
    assert.equal(pendingSleepCount(controller.signal), 0);
  });

  void it('resolves at once for a deadline already passed, and rejects when aborted', async () => {
    const controller = new AbortController();
    await sleepUntil(performance.now() - 1, controller.signal);
    assert.equal(pendingSleepCount(controller.signal), 0);
    const waiting = sleepUntil(performance.now() + 120_000, controller.signal);
    controller.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    assert.equal(pendingSleepCount(controller.signal), 0);
  });
});

void describe('emulator with many invocations in flight', () => {
  let emu: RunningEmulator;
  let lambda: LambdaClient;
  before(async () => {
    const file = functionsFile([{ name: 'waits', synthetic: { cpuMs: 0, ioWaitMs: 50 } }]);
    // Real time, so every answer waits out its emulated duration on the emulator's stop signal.
    emu = await startEmulator({ port: 0, timeScale: 1, loadSamples: false, functionsFile: file });
    lambda = lambdaClient(emu.url);
  });
  after(async () => {
    lambda?.destroy();
    await emu?.stop();
  });

  void it('answers 30 parallel invocations without a MaxListenersExceededWarning', async () => {
    const warnings = await listenerWarningsDuring(async () => {
      const outs = await Promise.all(
        Array.from({ length: 30 }, () => lambda.send(new InvokeCommand({ FunctionName: 'waits' }))),
      );
      for (const out of outs) assert.equal(out.StatusCode, 200);
    });
    assert.deepEqual(warnings, []);
  });
});
