/**
 * Live progress: while one long batch runs, the client's snapshot moves with the batch's
 * heartbeats instead of jumping from 0 to the total when the batch ends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getTuningSnapshot, type TuningHandle } from '../../client/api.js';
import type { TuningOutput } from '../../domain/types.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

// About 150 ms a call at 1,769 MB, in real time: 50 sequential calls are one batch of ~8 s.
const functions = writeTestFunctions({ 'live-fn': { cpuMs: 140, ioWaitMs: 10 } });
const NUM = 50;

describe('live progress', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false, timeScale: 1 } });
  });
  after(async () => h?.stop());

  it('counts the invocations of a running batch from its heartbeats', async () => {
    const handle = (await h.start({ lambdaARN: 'live-fn', num: NUM, powerValues: [1769] })) as TuningHandle;
    const finished = handle.result() as Promise<TuningOutput>;
    let ended = false;
    void finished.finally(() => (ended = true)).catch(() => undefined);
    const seen: number[] = [];
    // Bounded by count, not time: at most 600 polls of 100 ms.
    for (let i = 0; i < 600 && !ended; i++) {
      const snapshot = await getTuningSnapshot(h.client, handle);
      const row = snapshot.progress?.sizes.find((p) => p.power === 1769);
      if (snapshot.progress?.phase === 'invoking' && row) seen.push(row.done);
      await new Promise((r) => setTimeout(r, 100));
    }
    const out = await finished;
    assert.equal(out.results[0]?.invocations, NUM);
    const between = seen.filter((d) => d > 0 && d < NUM);
    assert.ok(between.length > 0, `no count between 0 and ${NUM} while invoking: ${seen.join(',')}`);
    for (let i = 1; i < seen.length; i++)
      assert.ok((seen[i] as number) >= (seen[i - 1] as number), `went back: ${seen.join(',')}`);
    assert.ok(seen.every((d) => d <= NUM));
  });
});
