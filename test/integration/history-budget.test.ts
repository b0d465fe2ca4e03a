/**
 * History stays bounded: 10 power values × 1,000 invocations completes far below Temporal's
 * limits (51,200 events / 50 MB; warnings at 10,240 events / 10 MB), because invocations are
 * batched into activities and results are kept compact.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { writeTestFunctions } from '../support/functions-file.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions({ 'budget-fn': { cpuMs: 20, ioWaitMs: 5 } });

describe('history budget', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
  });
  after(async () => h?.stop());

  it('10 power values × 1,000 invocations stays under 0.2 events per invocation and 2 MB', async () => {
    const powerValues = [128, 256, 384, 512, 768, 1024, 1536, 2048, 3008, 4096];
    const handle = await h.start({ lambdaARN: 'budget-fn', num: 1000, powerValues });
    const out = await handle.result();
    assert.deepEqual(
      out.results.map((r: { invocations: number }) => r.invocations),
      powerValues.map(() => 1000),
    );
    const described = await handle.describe();
    const events = described.historyLength;
    const bytes = described.historySize ?? Number.POSITIVE_INFINITY;
    console.log(`history: ${events} events, ${bytes} bytes for 10,000 invocations`);
    assert.ok(events / 10_000 < 0.2, `${events} events`);
    assert.ok(bytes < 2 * 1024 * 1024, `${bytes} bytes`);
  });
});
