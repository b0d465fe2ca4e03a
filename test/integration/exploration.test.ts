/**
 * `exploration: "model"` end to end (real dev server, emulator): a run over the whole range
 * measures a few sizes, publishes the ones the fitted curve points at while it runs, recommends a
 * measured size, reports what it measured against what it only predicted, spends about a tenth of
 * the 64-MB grid, and leaves the function exactly as it found it. A refused input changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { gridInvocations64, initialSizes } from '../../domain/exploration-plan.js';
import type { TuningOutput } from '../../domain/types.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

// Two busy threads: faster up to two vCPUs (3,538 MB), a size none of the first ones is.
const functions = writeTestFunctions(
  { twoThreads: { cpuMs: 400, ioWaitMs: 10, threads: 2, coldStartMs: 300, relativeNoise: 0.03 } },
  {},
  { twoThreads: { memorySize: 1769 } },
);
const KNEE_MB = 2 * 1769;
const NUM = 10;

describe('exploration "model"', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
  });
  after(async () => h?.stop());

  it('finds the two-thread knee among every MB, measuring a few sizes, and cleans all of them up', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 'twoThreads');
    await h.emulator.admin.clearEvents();
    const handle = await h.start({
      lambdaARN: 'twoThreads',
      num: NUM,
      powerValues: 'ALL',
      strategy: 'speed',
      confidence: 0.95,
      exploration: 'model',
    });
    const out = (await handle.result()) as TuningOutput;
    const first = initialSizes(128, 10240);
    assert.ok(!first.includes(KNEE_MB), 'the knee is not among the first sizes');

    const exploration = out.exploration;
    assert.ok(exploration, 'the output reports the exploration');
    assert.deepEqual(exploration.range, { lowestMb: 128, highestMb: 10240 });
    // Only measured sizes have results, and the report names the same ones.
    assert.deepEqual(
      out.results.map((r) => r.power),
      exploration.measured,
    );
    for (const power of first) assert.ok(exploration.measured.includes(power), `${power} MB measured first`);
    // Speed: the cheapest size within the tolerance (1%) of the fastest, so at or just below the knee.
    const power = out.power as number;
    const trueMs = (mb: number) => 400 / Math.min(mb / 1769, 2) + 10;
    assert.ok(power <= KNEE_MB, `${power} MB pays for no speed beyond the knee`);
    assert.ok(trueMs(power) <= 1.01 * trueMs(KNEE_MB), `${power} MB is within 1% of the fastest`);
    const proposed = exploration.measured.filter((p) => !first.includes(p));
    assert.ok(proposed.length > 0, 'the model proposed sizes of its own');
    assert.ok(exploration.measured.includes(out.power as number), 'the recommendation was measured');

    // About a tenth of the exhaustive 64-MB grid, and never past the budget.
    const grid = gridInvocations64({ lowestMb: 128, highestMb: 10240 }, NUM);
    assert.equal(exploration.grid64Invocations, grid);
    assert.equal(out.gridInvocations, grid);
    assert.ok(out.invocationsSpent !== undefined && out.invocationsSpent <= Math.floor(grid / 10));
    assert.equal(exploration.shareOfGrid64, (out.invocationsSpent as number) / grid);

    // The curve: predictions on the 64-MB grid, the measured sizes marked as such, bands around them.
    const curve = exploration.curve;
    assert.ok(curve, 'a curve was fitted');
    assert.ok(curve.parallelism > 1.5 && curve.parallelism < 2.5, `parallelism ${curve.parallelism}`);
    assert.deepEqual(
      curve.points.filter((p) => p.measured).map((p) => p.power),
      exploration.measured,
    );
    assert.ok(curve.points.length > 150, 'the whole range, at least every 64 MB');
    for (const p of curve.points)
      assert.ok(p.lower <= p.duration && p.duration <= p.upper, `${p.power} MB band`);
    assert.match(exploration.statement, /^Measured \d+ of the 10,113 sizes from 128 to 10,240 MB/);
    assert.match(exploration.statement, /is a prediction/);

    // The proposed sizes were published while the run went on: after the first sizes had been invoked.
    const scheduled = ((await handle.fetchHistory()).events ?? []).flatMap((e) => {
      const a = e.activityTaskScheduledEventAttributes;
      return a ? [{ type: a.activityType?.name, payload: a.input?.payloads?.[0] }] : [];
    });
    const firstInvoke = scheduled.findIndex((a) => a.type === 'invokeBatch');
    const setUpAt = (power: number) =>
      scheduled.findIndex(
        (a) =>
          a.type === 'setupPowerValue' &&
          a.payload !== undefined &&
          defaultPayloadConverter.fromPayload<{ power: number }>(a.payload).power === power,
      );
    assert.ok(firstInvoke >= 0);
    for (const p of proposed)
      assert.ok(setUpAt(p) > firstInvoke, `${p} MB was set up after invoking had begun`);
    for (const p of first) assert.ok(setUpAt(p) >= 0, `${p} MB was set up`);

    // Nothing of the run is left: memory, description, versions and aliases as before.
    assert.deepEqual(await functionState(lambda, 'twoThreads'), before);
  });

  it('refuses "model" without confidence before any AWS call', async () => {
    const eventsBefore = (await h.emulator.admin.events()).length;
    const handle = await h.start({ lambdaARN: 'twoThreads', num: NUM, exploration: 'model' });
    await assert.rejects(handle.result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof ApplicationFailure);
      assert.equal(err.cause.type, 'InvalidInput');
      assert.match(err.cause.message, /Invalid input "exploration": "model" decides among the sizes/);
      return true;
    });
    assert.equal((await h.emulator.admin.events()).length, eventsBefore);
  });
});
