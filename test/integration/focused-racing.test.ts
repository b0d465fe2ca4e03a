/**
 * Focused racing end to end (real dev server, emulator): on a function whose garbage collection
 * makes its small sizes dearer, against Lambda's cost law, an adaptive cost run sees the law
 * broken, spends its calls on the sizes that decide the answer, recommends the truly cheapest
 * size, and leaves the function as it found it (domain/README.md "Focused racing").
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TuningOutput } from '../../domain/types.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const PRESSURE = { belowMb: 4096, extra: 1.2 };
const functions = writeTestFunctions(
  { pressure: { cpuMs: 300, ioWaitMs: 20, relativeNoise: 0.05, memoryPressure: PRESSURE } },
  {},
  { pressure: { memorySize: 1024 } },
);
const SIZES = [512, 1024, 1536, 1769, 2048];
const NUM = 10;

/** The noise-free cost of a call, up to the price per GB-second: memory × duration. */
const trueCost = (mb: number) =>
  mb * (20 + 300 / Math.min(mb / 1769, 1)) * (1 + PRESSURE.extra * Math.max(0, 1 - mb / PRESSURE.belowMb));

describe('focused racing', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
  });
  after(async () => h?.stop());

  it('finds the cheapest size of a memory-pressure function, sampling the near-tie most', async () => {
    const cheapest = [...SIZES].sort((a, b) => trueCost(a) - trueCost(b))[0];
    assert.equal(cheapest, 1769, 'the test function: 1,769 MB is the cheapest in truth');
    assert.ok(trueCost(512) > trueCost(1769) * 1.1, 'and the smallest size is clearly dearer');
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 'pressure');
    const handle = await h.start({
      lambdaARN: 'pressure',
      num: NUM,
      powerValues: SIZES,
      strategy: 'cost',
      confidence: 0.95,
    });
    const out = (await handle.result()) as TuningOutput;
    assert.equal(out.power, 1769);

    const calls = new Map(out.results.map((r) => [r.power, r.invocations]));
    const spent = [...calls.values()].reduce((a, b) => a + b, 0);
    assert.ok(spent <= 3 * NUM * SIZES.length, `${spent} invocations, within the default budget`);
    // Beyond the first round, the calls went to the two sizes closest to the best estimate, not
    // to the sizes 10% and more dearer (doubling every contender gave those 43% as many).
    const extra = (power: number) => (calls.get(power) ?? 0) - NUM;
    const nearTie = extra(1536) + extra(1769);
    const dearer = SIZES.filter((p) => trueCost(p) > 1.05 * trueCost(1769)).reduce(
      (sum, p) => sum + extra(p),
      0,
    );
    assert.ok(
      dearer < 0.25 * nearTie,
      `${dearer} more calls on the dearer sizes, ${nearTie} on the near-tie`,
    );

    assert.deepEqual(await functionState(lambda, 'pressure'), before);
  });
});
