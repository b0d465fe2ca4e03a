/**
 * Lambda faults from the emulator's fault injection: throttling, 5xx, latency spikes and dropped
 * connections, on invocations and on the control plane. The run completes with exact counts and
 * leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions({ 'faulty-fn': { cpuMs: 30, ioWaitMs: 5 } });

describe('Lambda faults', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false, seed: 7 } });
  });
  after(async () => h?.stop());

  it('completes with exact counts under 30% throttling, 5% 5xx, drops and latency', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 'faulty-fn');
    await h.emulator.admin.resetCounters();
    await h.emulator.admin.setFaults({
      functionName: 'faulty-fn',
      throttleRate: 0.3,
      errorRate: 0.05,
      dropRate: 0.02,
      latencyMs: 5,
    });
    try {
      const out = await h.run({
        lambdaARN: 'faulty-fn',
        num: 10,
        powerValues: [128, 256, 512],
        parallelInvocation: true,
        maxParallelInvocations: 5,
      });
      assert.deepEqual(
        out.results.map((r) => r.invocations),
        [10, 10, 10],
      );
      assert.ok(out.results.every((r) => r.feasible));
    } finally {
      await h.emulator.admin.clearFaults('faulty-fn');
    }
    assert.deepEqual(await functionState(lambda, 'faulty-fn'), before);
    // Faults were really injected on the control plane too, and the run got past them.
    const faults = (await h.emulator.admin.events()).filter((e) => e.functionName === 'faulty-fn' && e.fault);
    assert.ok(faults.length > 0, 'expected injected control-plane faults');
  });
});
