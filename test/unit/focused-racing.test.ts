/**
 * Focused racing (`sticky-focused`, domain/README.md "Focused racing"): the cost law also checked
 * by pooled contrasts, and a choice that is only the best estimate sampled where it can be
 * overturned (focusedShare).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costLawContradicted, decide, type Decision, type MeasuredSize } from '../../domain/decision.js';
import { lambdaPrice } from '../../domain/pricing.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import {
  eliminations,
  focusedShare,
  lookSettings,
  type Racing,
  type SamplingSettings,
} from '../../domain/sampling-policy.js';
import { createRng, type Rng } from '../support/prng.js';
import { raceToStop } from '../support/race.js';
import { warmInvocation } from '../support/summaries.js';

const price = lambdaPrice('us-east-1', 'x86_64');
const POWERS = [128, 256, 512, 1024, 1536, 1769, 2048, 3008, 4096, 6144, 10240];
const vcpus = (power: number) => Math.min(power / 1769, 6);

/** Single-threaded CPU: duration falls as 1/memory up to one vCPU, so cost is exactly flat there. */
const flatCost = (power: number) => 400 / Math.min(vcpus(power), 1);
/** Mostly I/O: cost rises with memory everywhere. */
const risingCost = (power: number) => 150 + 5 / Math.min(vcpus(power), 1);
/** CPU-bound with memory pressure easing up to 4 GB: 128–1,536 MB are 2–11% dearer than 1,769 MB. */
const pressure = (power: number) =>
  (20 + 300 / Math.min(vcpus(power), 1)) * (power < 4096 ? 1 + 0.6 * (1 - power / 4096) : 1);

const settings = (racing: Racing, extra: Partial<SamplingSettings> = {}): SamplingSettings => ({
  policy: 'adaptive',
  racing,
  num: 10,
  maxInvocations: 330,
  maxErrorRate: 0.1,
  strategy: 'cost',
  balancedWeight: 0.5,
  discardTopBottom: 0.2,
  confidence: 0.95,
  tolerance: 0.01,
  ...extra,
});

function measure(truth: (power: number) => number, count: number, rng: Rng, sigma = 0.05): MeasuredSize[] {
  return POWERS.map((power) => ({
    power,
    summary: summariseInvocations(
      Array.from({ length: count }, () => warmInvocation(truth(power) * Math.exp(sigma * rng.normal()))),
    ),
  }));
}

describe('focused racing: the pooled cost-law check', () => {
  it('sticky-focused turns it on at the run confidence, with the model and the pooled rounding', () => {
    const at = lookSettings(settings('sticky-focused'));
    assert.equal(at.pooledLawConfidence, 0.95);
    assert.equal(at.scalingModel, true);
    assert.equal(at.pooledRounding, true);
    assert.equal(lookSettings(settings('sticky-pooled')).pooledLawConfidence, undefined);
  });

  it('sees small sizes that are all a few percent dearer long before any one pair is proven', () => {
    let pooled = 0;
    let pairwise = 0;
    const runs = 200;
    for (let seed = 0; seed < runs; seed++) {
      const sizes = measure(pressure, 10, createRng(seed));
      if (costLawContradicted(sizes, lookSettings(settings('sticky-focused')), price)) pooled++;
      if (costLawContradicted(sizes, lookSettings(settings('sticky-pooled')), price)) pairwise++;
    }
    // Measured: 74% and 17% of runs at 10 calls a size.
    assert.ok(pooled >= 0.6 * runs, `pooled check fired in ${pooled} of ${runs} runs`);
    assert.ok(pairwise <= 0.35 * runs, `pairwise check alone fired in ${pairwise} of ${runs} runs`);
  });

  for (const [name, truth] of [
    ['flat', flatCost],
    ['rising', risingCost],
  ] as const)
    for (const sigma of [0.05, 0.3])
      it(`on a lawful ${name} cost curve (noise ${sigma}) it fires in at most 5% of runs, tolerance 0`, () => {
        let fired = 0;
        const runs = 300;
        for (let seed = 0; seed < runs; seed++) {
          const count = [10, 20, 40][seed % 3] as number;
          const sizes = measure(truth, count, createRng(1000 + seed), sigma);
          const at = lookSettings(settings('sticky-focused', { tolerance: 0 }));
          if (costLawContradicted(sizes, at, price)) fired++;
        }
        assert.ok(fired <= 0.05 * runs, `fired in ${fired} of ${runs} runs`);
      });
});

/** A size with `calls` calls (their values do not matter to the split). */
const sized = (power: number, calls: number): MeasuredSize => ({
  power,
  summary: summariseInvocations(Array.from({ length: calls }, () => warmInvocation(100))),
});

/** A decision whose best is `best`; each size's estimate and standard error as given. */
function ranked(best: number, sizes: { power: number; estimate: number; se: number }[]) {
  const verdicts: Decision['verdicts'] = sizes.map((s) => ({
    power: s.power,
    standing: s.power === best ? 'best' : 'uncertain',
    metric: { estimate: s.estimate, lower: s.estimate - 5 * s.se, upper: s.estimate + 5 * s.se },
    standardError: s.se,
  }));
  return { best, verdicts };
}

describe('focused racing: focusedShare', () => {
  // 40 calls each, one call's spread 5.4 (standard error 5.4/√40 ≈ 0.85).
  const targets = [sized(128, 40), sized(1536, 40), sized(1769, 40)];
  const decision = ranked(1769, [
    { power: 128, estimate: 110.8, se: 0.85 },
    { power: 1536, estimate: 101.7, se: 0.85 },
    { power: 1769, estimate: 100, se: 0.85 },
  ]);

  it('gives a doubling round to the near-tie, little to a rival 11% dearer', () => {
    const requests = focusedShare(targets, decision, 1000, 10);
    const count = (power: number) => requests.find((r) => r.power === power)?.count ?? 0;
    const total = requests.reduce((sum, r) => sum + r.count, 0);
    assert.equal(total, 120, 'a doubling round: as many calls as the targets have');
    assert.equal(count(128), 0);
    assert.ok(count(1536) >= 55 && count(1769) >= 55, JSON.stringify(requests));
  });

  it('never asks for more than the budget, and spends the rest when another round could not be num', () => {
    const tight = focusedShare(targets, decision, 50, 10);
    assert.ok(tight.reduce((sum, r) => sum + r.count, 0) <= 50);
    const last = focusedShare(targets, decision, 125, 10);
    assert.equal(
      last.reduce((sum, r) => sum + r.count, 0),
      125,
      'the 5 calls another round could not use go in this one',
    );
  });

  it('shares evenly, doubling, when the best is not among the sizes to sample', () => {
    const requests = focusedShare([sized(128, 40), sized(1536, 40)], decision, 1000, 10);
    assert.deepEqual(requests, [
      { power: 128, count: 40 },
      { power: 1536, count: 40 },
    ]);
  });
});

describe('focused racing: races on a memory-pressure curve', () => {
  it('spends more of the budget on the two closest sizes and chooses the cheapest more often', () => {
    const runs = 40;
    const tally = (racing: Racing) => {
      let right = 0;
      let nearTieCalls = 0;
      let calls = 0;
      for (let seed = 0; seed < runs; seed++) {
        const s = settings(racing);
        const sizes = raceToStop(pressure, POWERS, s, 500 + seed, 0.05, { spread: 0, environments: 3 });
        const measured = sizes.filter((x) => x.summary.durationMs.count > 0);
        const choice = decide(measured, lookSettings(s), price, eliminations(measured)).choice;
        if (choice === 1769) right++;
        for (const x of sizes) {
          calls += x.summary.invocations;
          if (x.power === 1536 || x.power === 1769) nearTieCalls += x.summary.invocations;
        }
        assert.ok(sizes.reduce((sum, x) => sum + x.summary.invocations, 0) <= s.maxInvocations);
      }
      return { right, share: nearTieCalls / calls };
    };
    const focused = tally('sticky-focused');
    const pooled = tally('sticky-pooled');
    // Measured: 59% against 44% of the calls, right in 40 and 39 of 40 runs.
    assert.ok(focused.share > pooled.share + 0.1, `near-tie share ${focused.share} vs ${pooled.share}`);
    assert.ok(focused.right >= pooled.right, `right ${focused.right} vs ${pooled.right} of ${runs}`);
    assert.ok(focused.right >= 0.9 * runs, `right in ${focused.right} of ${runs}`);
  });
});
