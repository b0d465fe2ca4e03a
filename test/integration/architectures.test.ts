/**
 * Tuning over both architectures (real dev server, emulator): one pass per architecture, the
 * function switched with its own package and put back. The recommendation follows the profile's
 * arm64 speed; an arm64 that cannot run the code is reported with its reason while x86_64 is
 * still tuned; and the function ends as it was (code, architecture, memory, description,
 * versions, aliases), unless autoOptimize applied the chosen pair.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { initialSizes } from '../../domain/exploration-plan.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient, type FunctionState } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions({
  // Twice as fast on arm64: speed takes it.
  'arm-fast': { cpuMs: 400, ioWaitMs: 5, architectures: { arm64: { speedFactor: 0.5 } } },
  'arm-fast-applied': { cpuMs: 400, ioWaitMs: 5, architectures: { arm64: { speedFactor: 0.5 } } },
  // Two threads, faster on arm64: a model exploration publishes proposed sizes on both passes.
  'arm-explore': {
    cpuMs: 300,
    ioWaitMs: 5,
    threads: 2,
    relativeNoise: 0.03,
    architectures: { arm64: { speedFactor: 0.6 } },
  },
  // A native binary built for x86 only.
  'arm-broken': { cpuMs: 200, ioWaitMs: 5, architectures: { arm64: { fails: 'exec format error' } } },
});

interface Snapshot {
  state: FunctionState;
  codeSha256?: string;
  architectures?: string[];
}

describe('tuning over both architectures', () => {
  let h: Harness;
  let lambda: LambdaClient;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
    lambda = lambdaClient(h.emulator.url);
  });
  after(async () => h?.stop());

  const snapshot = async (name: string): Promise<Snapshot> => {
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    return {
      state: await functionState(lambda, name),
      codeSha256: latest.CodeSha256,
      architectures: latest.Architectures,
    };
  };

  it('recommends the faster architecture and puts the function back as it was', async () => {
    const before = await snapshot('arm-fast');
    assert.deepEqual(before.architectures, ['x86_64']);
    const out = await h.run({
      lambdaARN: 'arm-fast',
      num: 5,
      powerValues: [1024, 2048],
      strategy: 'speed',
      architectures: ['x86_64', 'arm64'],
    });
    assert.equal(out.architecture, 'arm64');
    assert.equal(out.architectures?.chosen, 'arm64');
    assert.equal(out.architectures?.current, 'x86_64');
    assert.equal(out.architectures?.difference, 'better');
    assert.deepEqual(
      out.architectures?.compared.map((c) => c.architecture),
      ['x86_64', 'arm64'],
    );
    const [x86, arm] = out.architectures?.compared ?? [];
    assert.ok(x86?.averageDuration && arm?.averageDuration, 'both measured');
    assert.ok(
      arm.averageDuration < x86.averageDuration * 0.7,
      `${arm.averageDuration} vs ${x86.averageDuration}`,
    );
    assert.match(out.architectures?.statement ?? '', /arm64 .* is faster than x86_64/);
    assert.equal(out.optimized, false);
    assert.deepEqual(await snapshot('arm-fast'), before);
  });

  it('explores the whole range on both architectures and puts the function back as it was', async () => {
    const before = await snapshot('arm-explore');
    const out = await h.run({
      lambdaARN: 'arm-explore',
      num: 5,
      powerValues: [1024, 6144],
      strategy: 'speed',
      confidence: 0.95,
      exploration: 'model',
      architectures: ['x86_64', 'arm64'],
    });
    assert.equal(out.architectures?.chosen, 'arm64', out.architectures?.statement);
    const first = initialSizes(1024, 6144);
    const measured = out.exploration?.measured ?? [];
    for (const power of first) assert.ok(measured.includes(power), `${power} MB measured on arm64`);
    // arm64's own proposals were published on arm64, between switches, and measured there.
    const proposed = measured.filter((p) => !first.includes(p) && p !== before.state.memorySize);
    assert.ok(proposed.length > 0, `arm64 measured sizes the curve proposed: ${measured.join(', ')}`);
    assert.ok(out.power !== null && measured.includes(out.power), 'the recommendation was measured');
    assert.equal(out.architecture, 'arm64', 'the output is the arm64 pass: its sizes, its curve');
    assert.deepEqual(await snapshot('arm-explore'), before);
  });

  it('reports an architecture that cannot run the code and recommends the other', async () => {
    const before = await snapshot('arm-broken');
    const out = await h.run({
      lambdaARN: 'arm-broken',
      num: 5,
      powerValues: [512, 1024],
      strategy: 'cost',
      architectures: ['arm64', 'x86_64'],
    });
    assert.equal(out.architecture, 'x86_64');
    assert.equal(out.architectures?.difference, 'only-feasible');
    const arm = out.architectures?.compared.find((c) => c.architecture === 'arm64');
    assert.equal(arm?.power, null);
    assert.match(arm?.infeasibleReason ?? '', /exec format error/);
    // The function's own size (128 MB) is measured too, as the baseline.
    assert.deepEqual(
      out.results.map((r) => [r.power, r.feasible]),
      [
        [128, true],
        [512, true],
        [1024, true],
      ],
    );
    assert.equal(out.power, 128, 'cost: the smallest size, where the waits cost least');
    assert.deepEqual(await snapshot('arm-broken'), before);
  });

  it('with autoOptimize, leaves the function on the chosen architecture and size', async () => {
    const before = await snapshot('arm-fast-applied');
    const out = await h.run({
      lambdaARN: 'arm-fast-applied',
      num: 5,
      powerValues: [1024, 2048],
      strategy: 'speed',
      architectures: ['x86_64', 'arm64'],
      autoOptimize: true,
    });
    assert.equal(out.architecture, 'arm64');
    assert.equal(out.optimized, true);
    const after = await snapshot('arm-fast-applied');
    assert.deepEqual(after.architectures, ['arm64']);
    assert.equal(after.codeSha256, before.codeSha256, 'the same code, on arm64');
    assert.equal(after.state.memorySize, out.power);
    assert.equal(after.state.description, before.state.description);
    assert.deepEqual(after.state.versions, before.state.versions);
    assert.deepEqual(after.state.aliases, before.state.aliases);
  });
});
