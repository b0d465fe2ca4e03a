/**
 * coldStartRate (real dev server, emulator): the run measures cold invocations on fresh versions
 * beside the warm rounds, reports both, and the strategy follows the blend: a function whose
 * cold starts dwarf its handler changes its recommendation as the rate goes from 0 to 1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { COLD_SAMPLES_PER_SIZE } from '../../domain/limits.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

// 1.5 s of init against a 50 ms handler (at one vCPU): warm, 1,769 MB is fastest; cold, every
// size takes about 1.55 s, and 1,024 MB is within 2% of it for far less money.
const functions = writeTestFunctions({ 'cold-heavy': { cpuMs: 30, ioWaitMs: 20, coldStartMs: 1500 } });
const SIZES = [1024, 1769, 3008];

describe('cold-start rate', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
  });
  after(async () => h?.stop());

  const tune = (coldStartRate: number, coldInvocations?: number) =>
    h.run({
      lambdaARN: 'cold-heavy',
      num: 5,
      powerValues: SIZES,
      strategy: 'speed',
      tolerance: 0.02,
      coldStartRate,
      ...(coldInvocations !== undefined ? { coldInvocations } : {}),
    });

  it('measures cold invocations apart, blends them, and follows the blend', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 'cold-heavy');
    const warm = await tune(0);
    const cold = await tune(1, 3);
    assert.equal(warm.power, 1769);
    assert.equal(cold.power, 1024);
    assert.equal(cold.coldStartRate, 1);
    for (const [out, perSize] of [
      [warm, COLD_SAMPLES_PER_SIZE],
      [cold, 3],
    ] as const) {
      for (const row of out.results) {
        assert.ok(row.cold, `${row.power} MB has cold figures`);
        assert.equal(row.cold.invocations, perSize);
        assert.equal(row.cold.averageInitDuration, 1500);
        assert.ok((row.cold.averageDuration ?? 0) > 1500);
        // Warm rows stay warm: the first call of the warm version is its only cold start.
        assert.ok((row.averageDuration ?? Infinity) < 500, `${row.power} MB warm ${row.averageDuration}`);
        assert.ok(row.blended);
      }
      // The sizes asked for, and today's 128 MB as the baseline.
      assert.deepEqual(
        out.results.map((r) => r.power),
        [128, ...SIZES],
      );
      assert.equal(out.invocationsSpent, out.results.length * (5 + perSize));
    }
    const r1024 = cold.results.find((r) => r.power === 1024);
    assert.equal(r1024?.blended?.averageDuration, r1024?.cold?.averageDuration);
    const w1769 = warm.results.find((r) => r.power === 1769);
    assert.equal(w1769?.blended?.averageDuration, w1769?.averageDuration);
    assert.match(cold.confidence?.statement ?? '', /blended at a cold-start rate of 100%/);
    // Every cold version and alias is gone again.
    assert.deepEqual(await functionState(lambda, 'cold-heavy'), before);
  });

  it('refuses a rate outside 0..1 and a rate with onlyColdStarts before any AWS call', async () => {
    const refused = async (input: Record<string, unknown>, message: RegExp) => {
      const eventsBefore = (await h.emulator.admin.events()).length;
      const handle = await h.start({ lambdaARN: 'cold-heavy', num: 5, powerValues: [1024], ...input });
      await assert.rejects(handle.result(), (err: unknown) => {
        assert.ok(err instanceof WorkflowFailedError);
        assert.ok(err.cause instanceof ApplicationFailure);
        assert.equal(err.cause.type, 'InvalidInput');
        assert.match(err.cause.message, message);
        return true;
      });
      assert.equal((await h.emulator.admin.events()).length, eventsBefore);
    };
    await refused({ coldStartRate: 1.5 }, /Invalid input "coldStartRate": .*Accepted: a number from 0 to 1/);
    await refused(
      { coldStartRate: 0.1, onlyColdStarts: true },
      /Invalid input "coldStartRate": set with "onlyColdStarts": true/,
    );
  });
});
