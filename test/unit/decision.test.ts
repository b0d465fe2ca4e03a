/**
 * The statistical decision: the original's answers on noise-free data, no overpaying for speed
 * that is not there, and a stated confidence backed by simulation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decide, type DecisionSettings, type MeasuredSize } from '../../domain/decision.js';
import { pointEstimates } from '../../domain/estimates.js';
import { lambdaPrice } from '../../domain/pricing.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import { chooseOptimal } from '../../domain/strategies.js';
import type { Strategy } from '../../domain/types.js';
import { createRng } from '../support/prng.js';

const price = lambdaPrice('us-east-1', 'x86_64');
const settings = (strategy: Strategy, extra: Partial<DecisionSettings> = {}): DecisionSettings => ({
  strategy,
  balancedWeight: 0.5,
  discardTopBottom: 0.2,
  confidence: 0.95,
  tolerance: 0,
  ...extra,
});

const measured = (power: number, durations: number[]): MeasuredSize => ({
  power,
  summary: summariseInvocations(
    durations.map((d) => ({
      durationMs: d,
      billedMs: Math.max(1, Math.ceil(d)),
      initMs: 0,
      coldStart: false,
    })),
  ),
});

/** Single-threaded CPU-bound code: faster up to one vCPU at 1769 MB, flat beyond. */
const singleThreaded = (power: number) => 20 + 2000 / Math.min(1, power / 1769);
const POWERS = [128, 256, 512, 1024, 1536, 1769, 2048, 3008, 4096, 6144, 10240];

describe('decide', () => {
  it('gives the original’s answer on noise-free measurements (tolerance 0)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 128, max: 10240 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 8, maxLength: 8 }),
        fc.constantFrom<Strategy>('cost', 'speed', 'balanced'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (powers, durations, strategy, weight) => {
          const sizes = powers.map((p, i) => measured(p, Array(10).fill(durations[i] as number)));
          const candidates = sizes.map((s) => ({
            power: s.power,
            ...pointEstimates(s.summary, s.power, 0.2, price),
          }));
          const expected = chooseOptimal(candidates, strategy, weight).power;
          assert.equal(decide(sizes, settings(strategy, { balancedWeight: weight }), price).choice, expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('speed: among sizes equally fast within the noise, picks the cheapest', () => {
    const rng = createRng(7);
    const sizes = POWERS.map((p) =>
      measured(
        p,
        Array.from({ length: 20 }, () => singleThreaded(p) * Math.exp(0.05 * rng.normal())),
      ),
    );
    const decision = decide(sizes, settings('speed'), price);
    // Everything from 1769 MB up is equally fast; 1769 MB is the cheapest of them.
    assert.equal(decision.choice, 1769);
    for (const p of [2048, 3008, 4096, 6144, 10240]) assert.ok(decision.equivalentSizes.includes(p), `${p}`);
    for (const p of [128, 256, 512, 1024]) assert.ok(!decision.equivalentSizes.includes(p), `${p}`);
  });

  it('a clear winner is chosen and settled', () => {
    const rng = createRng(11);
    const sizes = [128, 1024, 3008].map((p) =>
      measured(
        p,
        Array.from({ length: 20 }, () => (p === 1024 ? 100 : 300) * Math.exp(0.03 * rng.normal())),
      ),
    );
    const decision = decide(sizes, settings('speed', { tolerance: 0.01 }), price);
    assert.equal(decision.choice, 1024);
    assert.equal(decision.settled, true);
    assert.deepEqual(decision.equivalentSizes, [1024]);
  });

  it('with too few values for a spread, makes no claim and is not settled', () => {
    const sizes = [measured(128, [100]), measured(256, [101])];
    const decision = decide(sizes, settings('speed'), price);
    assert.deepEqual(decision.equivalentSizes, [128, 256]);
    assert.equal(decision.verdicts.find((v) => v.power === 256)?.standing, 'uncertain');
    assert.equal(decision.settled, false);
  });

  it('the stated confidence holds: identical sizes are called worse at most 5% of the time', () => {
    // Five sizes with the same true duration (the comparison is on duration): any "worse" verdict
    // is a false claim; the Bonferroni bound over ordered pairs keeps the family's error at 1 − confidence.
    const rng = createRng(2024);
    const runs = 1000;
    let falseClaims = 0;
    for (let r = 0; r < runs; r++) {
      const sizes = [1769, 2048, 3008, 4096, 6144].map((p) =>
        measured(
          p,
          Array.from(
            { length: 15 },
            () => 50 * Math.exp(0.1 * rng.normal()) * (rng.uniform() < 0.05 ? 3 : 1),
          ),
        ),
      );
      const decision = decide(sizes, settings('speed'), price);
      if (decision.verdicts.some((v) => v.standing === 'worse')) falseClaims++;
    }
    // 5% plus three Monte-Carlo standard errors (sqrt(0.05·0.95/1000) ≈ 0.7%).
    assert.ok(falseClaims / runs <= 0.071, `${falseClaims} of ${runs}`);
  });

  it('the stated confidence holds: a size truly 5% slower is called equivalent at 1% tolerance at most 5% of the time', () => {
    const rng = createRng(99);
    const runs = 1000;
    let falseClaims = 0;
    for (let r = 0; r < runs; r++) {
      const sizes = [2048, 3008].map((p) =>
        measured(
          p,
          Array.from({ length: 60 }, () => (p === 3008 ? 105 : 100) * Math.exp(0.05 * rng.normal())),
        ),
      );
      const decision = decide(sizes, settings('speed', { tolerance: 0.01 }), price);
      if (decision.verdicts.some((v) => v.power === 3008 && v.standing === 'equivalent')) falseClaims++;
    }
    assert.ok(falseClaims / runs <= 0.071, `${falseClaims} of ${runs}`);
  });
});
