/**
 * Decisions under Lambda's scaling laws (DecisionSettings.scalingLaws, racing 'sticky-laws'):
 * more memory never makes a function slower, and lowers its cost only with a more than
 * proportional speed-up. Each rule is checked against the same data without the laws.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decide, type DecisionSettings, type MeasuredSize } from '../../domain/decision.js';
import { pointEstimates } from '../../domain/estimates.js';
import { lambdaPrice } from '../../domain/pricing.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import {
  eliminations,
  isSticky,
  lookSettings,
  MAX_LOOKS,
  type SamplingSettings,
} from '../../domain/sampling-policy.js';
import { chooseOptimal } from '../../domain/strategies.js';
import type { Strategy } from '../../domain/types.js';
import { createRng } from '../support/prng.js';
import { raceToStop } from '../support/race.js';
import { warmInvocation as ok } from '../support/summaries.js';

const price = lambdaPrice('us-east-1', 'x86_64');
const decisionSettings = (strategy: Strategy, extra: Partial<DecisionSettings> = {}): DecisionSettings => ({
  strategy,
  balancedWeight: 0.5,
  discardTopBottom: 0.2,
  confidence: 0.95,
  tolerance: 0.01,
  ...extra,
});
const measured = (power: number, durations: number[]): MeasuredSize => ({
  power,
  summary: summariseInvocations(durations.map(ok)),
});
/** n values around `centre`, ±2% in a fixed pattern: a small, known spread. */
const spread = (centre: number, n: number) =>
  Array.from({ length: n }, (_, i) => centre * (1 + ((i % 5) - 2) * 0.01));

/** Single-threaded CPU-bound code with a little I/O: cost nearly flat up to 1,769 MB. */
const cpuBound = (power: number) => 10 + 400 / Math.min(1, power / 1769);
const POWERS = [128, 256, 512, 1024, 1536, 1769, 2048, 3008];

function noisyRun(truth: (power: number) => number, seed: number, n: number, noise: number) {
  const rng = createRng(seed);
  return POWERS.map((power) =>
    measured(
      power,
      Array.from({ length: n }, () => truth(power) * Math.exp(noise * rng.normal())),
    ),
  );
}

describe('scaling laws: noise-free data that obeys them', () => {
  it('gives the original’s answer when durations never grow with memory (tolerance 0)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 128, max: 10240 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 8, maxLength: 8 }),
        fc.constantFrom<Strategy>('cost', 'speed', 'balanced'),
        (powers, durations, strategy) => {
          const ascending = [...powers].sort((a, b) => a - b);
          const descending = [...durations].sort((a, b) => b - a);
          const sizes = ascending.map((p, i) => measured(p, Array(10).fill(descending[i] as number)));
          const candidates = sizes.map((s) => ({
            power: s.power,
            ...pointEstimates(s.summary, s.power, 0.2, price),
          }));
          const expected = chooseOptimal(candidates, strategy, 0.5).power;
          const lawful = decisionSettings(strategy, { tolerance: 0, scalingLaws: true });
          assert.equal(decide(sizes, lawful, price).choice, expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('scaling laws: speed', () => {
  it('a size below one proven slower is slower too, however little it was measured', () => {
    // 128 MB has two wildly spread values: no comparison can prove it slower, so without the
    // laws it is the cheapest size "not proven slower". 512 MB is proven slower than 2048 MB.
    const sizes = [
      measured(128, [50, 5000]),
      measured(512, spread(800, 20)),
      measured(2048, spread(200, 20)),
    ];
    const plain = decide(sizes, decisionSettings('speed'), price);
    assert.equal(plain.choice, 128);
    assert.equal(plain.verdicts.find((v) => v.power === 128)?.standing, 'uncertain');
    const lawful = decide(sizes, decisionSettings('speed', { scalingLaws: true }), price);
    assert.equal(lawful.choice, 2048);
    assert.equal(lawful.verdicts.find((v) => v.power === 128)?.standing, 'worse');
  });

  it('samples only the choice and the best when nothing else can take the choice’s place', () => {
    const sizes = [
      measured(512, spread(800, 20)),
      measured(1024, [180, 260, 200, 240, 210, 230, 190, 250, 220, 220]),
      measured(1536, [170, 250, 190, 230, 200, 220, 180, 240, 210, 210]),
      measured(2048, spread(200, 20)),
      measured(3008, [150, 260, 190, 230, 200, 220, 205, 215, 210, 210]),
    ];
    const lawful = decide(sizes, decisionSettings('speed', { scalingLaws: true }), price);
    assert.equal(lawful.choice, 1024);
    assert.notEqual(lawful.best, 1024);
    assert.deepEqual(
      lawful.decisive,
      [1024, lawful.best].sort((a, b) => a - b),
    );
    // Without the laws every uncertain size between the choice and the best is sampled too.
    const plain = decide(sizes, decisionSettings('speed'), price);
    assert.ok(plain.decisive.includes(1536), JSON.stringify(plain.decisive));
  });
});

describe('scaling laws: cost', () => {
  it('takes the smallest size on a cost-flat function where the best estimate is luck', () => {
    // CPU-bound up to 1,769 MB: the sizes up to 1,769 MB cost within about 2% of each other, far
    // inside 5% noise at n = 10, so the cheapest estimate changes from run to run.
    const plainChoices = new Set<number>();
    for (let seed = 1; seed <= 40; seed++) {
      const sizes = noisyRun(cpuBound, seed, 10, 0.05);
      plainChoices.add(decide(sizes, decisionSettings('cost'), price).choice);
      const lawful = decide(sizes, decisionSettings('cost', { scalingLaws: true }), price);
      assert.equal(lawful.choice, 128, `seed ${seed}`);
      assert.ok(!lawful.settled, 'a near-tie cannot be settled at n = 10');
    }
    assert.ok(plainChoices.size > 1, 'without the laws the choice follows the noise');
  });

  it('does not apply the law when the data contradicts it (memory pressure)', () => {
    // 128 and 256 MB are slowed down by garbage collection: proven dearer than 1024 MB.
    const pressured = (power: number) => (power < 1024 ? 3 : 1) * cpuBound(power);
    for (let seed = 1; seed <= 20; seed++) {
      const sizes = noisyRun(pressured, seed, 20, 0.03);
      const plain = decide(sizes, decisionSettings('cost'), price);
      const lawful = decide(sizes, decisionSettings('cost', { scalingLaws: true }), price);
      assert.equal(lawful.choice, plain.choice, `seed ${seed}`);
      assert.ok(lawful.choice >= 1024, `seed ${seed}: ${lawful.choice}`);
    }
  });
});

describe('scaling laws in the sampling policy', () => {
  const base: SamplingSettings = {
    ...decisionSettings('cost'),
    policy: 'adaptive',
    num: 10,
    maxInvocations: 240,
    maxErrorRate: 0.1,
    racing: 'sticky-laws',
  };

  it('sticky-laws racing is sticky, splits the error over the looks and turns the laws on', () => {
    assert.ok(isSticky('sticky-laws') && isSticky('sticky') && !isSticky('per-look'));
    const at = lookSettings(base);
    assert.equal(at.scalingLaws, true);
    assert.ok(Math.abs(at.confidence - (1 - 0.05 / MAX_LOOKS)) < 1e-12);
    assert.equal(lookSettings({ ...base, racing: 'sticky' }).scalingLaws, undefined);
  });

  it('the stated confidence holds: identical sizes lose a race at most 5% of the time', () => {
    // Tolerance 0: any elimination is an error, and under the laws one wrong verdict would also
    // take every smaller size with it; the family-wise error must stay within 1 − confidence.
    const same = { 1024: 100, 1536: 100, 2048: 100, 3008: 100, 4096: 100 } as Record<number, number>;
    const races = 400;
    let wrong = 0;
    for (let seed = 1; seed <= races; seed++) {
      const s: SamplingSettings = { ...base, strategy: 'speed', tolerance: 0, maxInvocations: 600 };
      const sizes = raceToStop((p) => same[p] as number, Object.keys(same).map(Number), s, seed, 0.2);
      if (sizes.some((x) => x.eliminatedBy !== undefined)) wrong++;
    }
    assert.ok(wrong / races <= 0.05 + 3 * Math.sqrt((0.05 * 0.95) / races), `${wrong} of ${races}`);
  });

  it('repeated races on a cost-flat function agree, within the tolerance of the cheapest', () => {
    const choices = new Map<number, number>();
    for (let seed = 1; seed <= 40; seed++) {
      const sizes = raceToStop(cpuBound, POWERS, base, 1000 + seed, 0.05);
      const choice = decide(sizes, lookSettings(base), price, eliminations(sizes)).choice;
      choices.set(choice, (choices.get(choice) ?? 0) + 1);
    }
    const [modal, count] = [...choices].sort((a, b) => b[1] - a[1])[0]!;
    assert.ok(count / 40 >= 0.95, JSON.stringify([...choices]));
    // The true cost of the modal choice is within the tolerance of the truly cheapest size.
    const trueCost = (power: number) => power * Math.ceil(cpuBound(power));
    const cheapest = Math.min(...POWERS.map(trueCost));
    assert.ok(trueCost(modal) <= cheapest * 1.01, `${modal} MB`);
  });
});
