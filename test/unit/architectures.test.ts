/**
 * The architectures input and the choice between the passes' recommendations: the function
 * keeps its architecture unless the other is better beyond the measured noise and the tolerance.
 * The "beyond the measured noise" claim is checked on simulated runs through the real analysis:
 * between two architectures that are truly alike, the other is taken in at most 5% of runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeTuning } from '../../domain/analysis.js';
import {
  chooseArchitecture,
  passOrder,
  readArchitectures,
  reportedOutput,
  switchesArchitecture,
  type ArchitecturePass,
} from '../../domain/architectures.js';
import { InputError } from '../../domain/errors.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import type { Architecture, MeasuredStats, Strategy } from '../../domain/types.js';
import { validateInput } from '../../domain/validate.js';
import { createRng, type Rng } from '../support/prng.js';

describe('architectures input', () => {
  it('accepts one or two distinct architectures', () => {
    assert.deepEqual(readArchitectures('architectures', ['arm64', 'x86_64']), ['arm64', 'x86_64']);
    assert.deepEqual(readArchitectures('architectures', ['arm64']), ['arm64']);
    assert.equal(readArchitectures('architectures', undefined), undefined);
  });

  it('names the field and what it accepts', () => {
    for (const bad of [[], ['arm'], ['arm64', 'arm64'], 'arm64', ['x86_64', 'arm64', 'x86_64']]) {
      assert.throws(
        () => readArchitectures('architectures', bad),
        (err: unknown) =>
          err instanceof InputError &&
          /architectures/.test(err.message) &&
          /"x86_64" and "arm64"/.test(err.message),
        JSON.stringify(bad),
      );
    }
  });

  it('reaches the config through the validator, and is refused there when wrong', () => {
    const config = validateInput({ lambdaARN: 'fn', num: 10, architectures: ['x86_64', 'arm64'] });
    assert.deepEqual(config.architectures, ['x86_64', 'arm64']);
    assert.equal(validateInput({ lambdaARN: 'fn', num: 10 }).architectures, undefined);
    assert.throws(
      () => validateInput({ lambdaARN: 'fn', num: 10, architectures: ['sparc'] }),
      /architectures/,
    );
  });

  it('runs the function’s own architecture first, and switches only for another', () => {
    assert.deepEqual(passOrder(['arm64', 'x86_64'], 'x86_64'), ['x86_64', 'arm64']);
    assert.deepEqual(passOrder(['x86_64', 'arm64'], 'arm64'), ['arm64', 'x86_64']);
    assert.deepEqual(passOrder(['arm64'], 'x86_64'), ['arm64']);
    assert.equal(switchesArchitecture(['x86_64'], 'x86_64'), false);
    assert.equal(switchesArchitecture(['x86_64', 'arm64'], 'x86_64'), true);
    assert.equal(switchesArchitecture(undefined, 'x86_64'), false);
  });
});

/** A pass of two sizes, each with `n` warm calls drawn around its true mean (relative noise `cv`). */
function simulatedPass(
  rng: Rng,
  architecture: Architecture,
  strategy: Strategy,
  means: Record<number, number>,
  cv: number,
  n = 20,
): ArchitecturePass {
  const config = validateInput({
    lambdaARN: 'fn',
    num: n,
    strategy,
    powerValues: Object.keys(means).map(Number),
  });
  const results = Object.entries(means).map(([power, mean]) => ({
    power: Number(power),
    summary: summariseInvocations(
      Array.from({ length: n }, () => {
        const ms = Math.max(1, mean * (1 + cv * rng.normal()));
        return { durationMs: ms, billedMs: Math.ceil(ms), initMs: 0, coldStart: false };
      }),
    ),
  }));
  const output = analyzeTuning({
    config,
    functionName: 'fn',
    region: 'us-east-1',
    architecture,
    currentPower: 1024,
    results,
  });
  return { architecture, output };
}

const SETTINGS = { tolerance: 0, balancedWeight: 0.5 };

describe('chooseArchitecture', () => {
  it('takes the other architecture when it is clearly better, and says why', () => {
    const rng = createRng(1);
    const x86 = simulatedPass(rng, 'x86_64', 'speed', { 512: 400, 1024: 200 }, 0.02);
    const arm = simulatedPass(rng, 'arm64', 'speed', { 512: 200, 1024: 100 }, 0.02);
    const { pass, report } = chooseArchitecture([x86, arm], 'x86_64', { ...SETTINGS, strategy: 'speed' });
    assert.equal(pass, arm);
    assert.equal(report.chosen, 'arm64');
    assert.equal(report.current, 'x86_64');
    assert.equal(report.difference, 'better');
    assert.match(report.statement, /^arm64 at 1024 MB .* is faster than x86_64 at 1024 MB/);
    assert.deepEqual(
      report.compared.map((c) => [c.architecture, c.power]),
      [
        ['x86_64', 1024],
        ['arm64', 1024],
      ],
    );
  });

  it('keeps the function’s architecture when the other is not shown better', () => {
    const rng = createRng(2);
    const x86 = simulatedPass(rng, 'x86_64', 'speed', { 512: 400, 1024: 200 }, 0.3, 5);
    const arm = simulatedPass(rng, 'arm64', 'speed', { 512: 390, 1024: 195 }, 0.3, 5);
    const { pass, report } = chooseArchitecture([x86, arm], 'x86_64', { ...SETTINGS, strategy: 'speed' });
    assert.equal(pass, x86);
    assert.equal(report.difference, 'indistinguishable');
    assert.match(report.statement, /is not shown faster .* so the function stays on x86_64/);
  });

  it('a tolerance keeps the function where it is for a small proven gain', () => {
    const rng = createRng(3);
    const x86 = simulatedPass(rng, 'x86_64', 'speed', { 1024: 200 }, 0.001, 30);
    const arm = simulatedPass(rng, 'arm64', 'speed', { 1024: 196 }, 0.001, 30);
    const strict = chooseArchitecture([x86, arm], 'x86_64', { ...SETTINGS, strategy: 'speed' });
    assert.equal(strict.report.chosen, 'arm64', '2% apart with almost no noise is proven');
    const tolerant = chooseArchitecture([x86, arm], 'x86_64', {
      ...SETTINGS,
      strategy: 'speed',
      tolerance: 0.05,
    });
    assert.equal(tolerant.report.chosen, 'x86_64');
  });

  it('an architecture that could not be measured leaves the other, with its reason', () => {
    const rng = createRng(4);
    const x86 = simulatedPass(rng, 'x86_64', 'cost', { 512: 400, 1024: 200 }, 0.02);
    const arm: ArchitecturePass = { architecture: 'arm64', infeasibleReason: 'exec format error' };
    const { pass, report } = chooseArchitecture([x86, arm], 'x86_64', { ...SETTINGS, strategy: 'cost' });
    assert.equal(pass, x86);
    assert.equal(report.difference, 'only-feasible');
    assert.equal(report.compared[1]?.infeasibleReason, 'exec format error');
    assert.match(report.statement, /x86_64 is the only architecture with a recommendation \(arm64: none\)/);
    const none = chooseArchitecture([arm], 'x86_64', { ...SETTINGS, strategy: 'cost' });
    assert.equal(none.pass, undefined);
  });

  it('at equal speed, cost takes arm64 for its lower price per GB-second', () => {
    const rng = createRng(5);
    const x86 = simulatedPass(rng, 'x86_64', 'cost', { 512: 400, 1024: 200 }, 0.01, 30);
    const arm = simulatedPass(rng, 'arm64', 'cost', { 512: 400, 1024: 200 }, 0.01, 30);
    const { report } = chooseArchitecture([x86, arm], 'x86_64', { ...SETTINGS, strategy: 'cost' });
    assert.equal(report.chosen, 'arm64');
    assert.match(report.statement, /arm64 .* is cheaper than x86_64/);
  });

  it('judged by the difference’s own interval, a gain the intervals apart would miss is taken', () => {
    const rng = createRng(6);
    const x86 = simulatedPass(rng, 'x86_64', 'speed', { 1024: 200 }, 0.1, 40);
    const arm = simulatedPass(rng, 'arm64', 'speed', { 1024: 190 }, 0.1, 40);
    const [a, b] = [x86, arm].map((p) => p.output?.results[0]) as [MeasuredStats, MeasuredStats];
    // The case this is about: the intervals overlap, the difference's own interval does not.
    const gap = a.averageDuration - b.averageDuration;
    assert.ok(b.durationInterval!.upper > a.durationInterval!.lower, 'the intervals overlap');
    assert.ok(
      gap >
        Math.hypot(
          b.durationInterval!.upper - b.averageDuration,
          a.averageDuration - a.durationInterval!.lower,
        ),
      'the difference exceeds its own half-width',
    );
    const apart = chooseArchitecture([x86, arm], 'x86_64', { ...SETTINGS, strategy: 'speed' });
    const difference = chooseArchitecture([x86, arm], 'x86_64', {
      ...SETTINGS,
      strategy: 'speed',
      differenceInterval: true,
    });
    assert.equal(apart.report.chosen, 'x86_64');
    assert.equal(difference.report.chosen, 'arm64');
    assert.equal(difference.report.difference, 'better');
  });

  for (const [strategy, differenceInterval] of [
    ['speed', false],
    ['balanced', false],
    ['speed', true],
    ['balanced', true],
    ['cost', true],
  ] as const) {
    const rule = differenceInterval ? 'the difference’s interval' : 'the intervals apart';
    it(`${strategy}, ${rule}: between truly alike architectures, the other is taken in at most 5% of runs`, () => {
      const rng = createRng({ speed: 11, balanced: 12, cost: 13 }[strategy]);
      const runs = 400;
      let switched = 0;
      for (let i = 0; i < runs; i++) {
        const means = { 512: 400, 1024: 210, 2048: 200 };
        const x86 = simulatedPass(rng, 'x86_64', strategy, means, 0.15, 10);
        // Balanced and cost weigh price too: arm64's lower price is a true difference there, so
        // it is compared against the same architecture twice to keep the truth "alike".
        const other = simulatedPass(
          rng,
          strategy === 'speed' ? 'arm64' : 'x86_64',
          strategy,
          means,
          0.15,
          10,
        );
        const renamed: ArchitecturePass = { ...other, architecture: 'arm64' };
        const { report } = chooseArchitecture([x86, renamed], 'x86_64', {
          ...SETTINGS,
          strategy,
          differenceInterval,
        });
        if (report.chosen !== 'x86_64') switched++;
      }
      assert.ok(switched / runs <= 0.05, `switched in ${switched} of ${runs} runs`);
    });
  }
});

describe('reportedOutput', () => {
  const withMonthly = (architecture: Architecture): ArchitecturePass => {
    const config = validateInput({
      lambdaARN: 'fn',
      num: 10,
      strategy: 'cost',
      powerValues: [512, 1024],
      invocationsPerMonth: 1_000_000,
    });
    const rng = createRng(architecture === 'x86_64' ? 21 : 22);
    const results = [512, 1024].map((power) => ({
      power,
      summary: summariseInvocations(
        Array.from({ length: 10 }, () => {
          const ms = 100 * (1 + 0.01 * rng.normal());
          return { durationMs: ms, billedMs: Math.ceil(ms), initMs: 0, coldStart: false };
        }),
      ),
    }));
    const output = analyzeTuning({
      config,
      functionName: 'fn',
      region: 'us-east-1',
      architecture,
      currentPower: 1024,
      results,
    });
    return { architecture, output };
  };

  it('withdraws the saving against today when the chosen architecture is not today’s', () => {
    const x86 = withMonthly('x86_64');
    const arm = withMonthly('arm64');
    const { pass, report } = chooseArchitecture([x86, arm], 'x86_64', { ...SETTINGS, strategy: 'cost' });
    assert.equal(report.chosen, 'arm64');
    assert.ok(arm.output?.monthly?.saving, 'the arm64 pass compared with its own 1024 MB');
    const out = reportedOutput(pass!.output!, report);
    assert.equal(out.monthly?.saving, undefined);
    assert.match(
      out.monthly?.statement ?? '',
      /^At 1,000,000 invocations a month, 512 MB on arm64 costs \$\d+\.\d\d a month; its saving against today's 1024 MB on x86_64 is not computed across architectures\.$/,
    );
    assert.deepEqual(out.monthly?.sizes, arm.output?.monthly?.sizes);
    assert.equal(out.architectures, report);
  });

  it('keeps the saving when the function stays on its architecture', () => {
    const x86 = withMonthly('x86_64');
    const { report } = chooseArchitecture([x86], 'x86_64', { ...SETTINGS, strategy: 'cost' });
    const out = reportedOutput(x86.output!, report);
    assert.deepEqual(out.monthly, x86.output?.monthly);
  });
});
