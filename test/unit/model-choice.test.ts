/**
 * Decisions guided by Lambda's scaling model (DecisionSettings.scalingModel, racing
 * 'sticky-model'): the fitted curve picks among the sizes still in the race, unless the
 * measurements prove another size meaningfully better.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkChoice, decide, type DecisionSettings, type MeasuredSize } from '../../domain/decision.js';
import { fitDurationModel } from '../../domain/duration-model.js';
import { billingOffsets, modelCandidate, modelRegretsAt } from '../../domain/model-choice.js';
import { invocationCost, lambdaPrice } from '../../domain/pricing.js';
import { regrets } from '../../domain/regret.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import { eliminations, isSticky, lookSettings, type SamplingSettings } from '../../domain/sampling-policy.js';
import type { Strategy } from '../../domain/types.js';
import { createRng } from '../support/prng.js';
import { raceToStop } from '../support/race.js';
import { warmInvocation } from '../support/summaries.js';

const price = lambdaPrice('us-east-1', 'x86_64');
const POWERS = [128, 256, 512, 1024, 1536, 1769, 2048, 3008, 4096, 6144, 10240];
const TOLERANCE = 0.01;

const settings = (strategy: Strategy, extra: Partial<SamplingSettings> = {}): SamplingSettings => ({
  strategy,
  balancedWeight: 0.5,
  discardTopBottom: 0.2,
  confidence: 0.95,
  tolerance: TOLERANCE,
  policy: 'adaptive',
  num: 10,
  maxInvocations: 3 * 10 * POWERS.length,
  maxErrorRate: 0.1,
  racing: 'sticky-model',
  ...extra,
});
const decisionSettings = (strategy: Strategy, extra: Partial<DecisionSettings> = {}): DecisionSettings => ({
  strategy,
  balancedWeight: 0.5,
  discardTopBottom: 0.2,
  confidence: 0.95,
  tolerance: TOLERANCE,
  scalingLaws: true,
  ...extra,
});
const vcpus = (power: number, threads: number) => Math.min(power / 1769, threads);
/** Waits on I/O: 1,024 MB is 2.3% slower than the fastest sizes, 1,536 MB 0.5%. */
const ioBound = (power: number) => 150 + 5 / vcpus(power, 1);
/** Single-threaded CPU: no faster above 1,769 MB. */
const cpuBound = (power: number) => 10 + 300 / vcpus(power, 1);

/** The size a strategy should choose on noise-free durations (domain/regret.ts: the bench's truth). */
function truthBest(truth: (power: number) => number, strategy: Strategy): number {
  const regret = regrets(
    strategy,
    POWERS.map((power) => ({
      power,
      duration: truth(power),
      cost: (power / 1024) * Math.ceil(truth(power)) * price.perGbSecond + price.perRequest,
    })),
    TOLERANCE,
    0.5,
  );
  return [...regret].sort((a, b) => a[1] - b[1] || a[0] - b[0])[0]![0];
}

const measured = (power: number, durations: number[]): MeasuredSize => ({
  power,
  summary: summariseInvocations(durations.map(warmInvocation)),
});

describe('scaling model: the fit', () => {
  it('prefers a whole number of threads the data cannot rule out', () => {
    const rng = createRng(7);
    const points = POWERS.map((power) => ({
      power,
      mean: cpuBound(power) * (1 + 0.01 * rng.normal()),
      variance: (0.01 * cpuBound(power)) ** 2,
    }));
    const fit = fitDurationModel(points);
    assert.ok(fit);
    assert.equal(fit.wholeThreadAlternatives[0]?.parallelism, 1);
    assert.ok(fit.wholeThreadAlternatives.every((c) => Number.isInteger(c.parallelism)));
  });

  it('keeps no whole-thread curve when the data rule them all out', () => {
    // 2.5 vCPUs' worth of parallel work, measured precisely: 2 and 3 threads both fit badly.
    const halfway = (power: number) => 20 + 3000 / vcpus(power, 2.5);
    const fit = fitDurationModel(
      POWERS.map((power) => ({ power, mean: halfway(power), variance: (0.001 * halfway(power)) ** 2 })),
    );
    assert.ok(fit);
    assert.deepEqual(fit.wholeThreadAlternatives, []);
    assert.ok(Math.abs(fit.parallelism - 2.5) < 1e-9);
  });
});

describe('scaling model: choosing', () => {
  it('sticky-model racing is sticky and turns on both the laws and the model', () => {
    assert.ok(isSticky('sticky-model'));
    const at = lookSettings(settings('speed'));
    assert.equal(at.scalingLaws, true);
    assert.equal(at.scalingModel, true);
    assert.equal(lookSettings(settings('speed', { racing: 'sticky-laws' })).scalingModel, undefined);
    assert.equal(at.pooledRounding, undefined, 'sticky-model runs replay with their own rounding');
  });

  it('sticky-pooled racing is sticky-model with the pooled rounding', () => {
    assert.ok(isSticky('sticky-pooled'));
    const at = lookSettings(settings('balanced', { racing: 'sticky-pooled' }));
    assert.deepEqual([at.scalingLaws, at.scalingModel, at.pooledRounding], [true, true, true]);
  });

  it('tells a 2% slowdown from the 1% tolerance where each size alone cannot (I/O-bound, speed)', () => {
    const expected = truthBest(ioBound, 'speed');
    assert.equal(expected, 1536);
    const choices: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const s = settings('speed');
      const sizes = raceToStop(ioBound, POWERS, s, 500 + seed, 0.08);
      const decision = decide(sizes, lookSettings(s), price, eliminations(sizes));
      choices.push(decision.choice);
    }
    const right = choices.filter((c) => c === expected).length;
    assert.ok(right >= 19, JSON.stringify(choices));
  });

  it('the stated confidence holds: a settled choice is within the tolerance of the fastest', () => {
    // Speed with a 5% tolerance, on single-threaded code (the model's whole-thread curve is
    // right) and on code using 1.3 vCPUs (no whole-thread curve is): a settled choice must be
    // within 5% of the fastest size in at least 95% of the races, whatever the model ranked first.
    const partlyParallel = (power: number) => 10 + 300 / vcpus(power, 1.3);
    const races = 150;
    for (const truth of [cpuBound, partlyParallel]) {
      let settled = 0;
      let wrong = 0;
      const fastest = Math.min(...POWERS.map(truth));
      for (let seed = 1; seed <= races; seed++) {
        const s = settings('speed', { tolerance: 0.05 });
        const sizes = raceToStop(truth, POWERS, s, 9000 + seed, 0.05);
        const decision = decide(sizes, lookSettings(s), price, eliminations(sizes));
        if (!decision.settled) continue;
        settled++;
        if (truth(decision.choice) > fastest * 1.05) wrong++;
      }
      assert.ok(settled >= 30, `only ${settled} of ${races} races settled`);
      const limit = 0.05 + 3 * Math.sqrt((0.05 * 0.95) / settled);
      assert.ok(wrong / settled <= limit, `${wrong} of ${settled}`);
    }
  });

  it('is never taken over a size the measurements prove meaningfully better', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.double({ min: 0.6, max: 1.6, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.constantFrom<Strategy>('cost', 'speed', 'balanced'),
        (seed, bias, strategy) => {
          // A model-shaped curve with sizes pushed off it, so the fit is sometimes wrong.
          const powers = POWERS.slice(3, 9);
          const rng = createRng(seed);
          const sizes = powers.map((power, i) =>
            measured(
              power,
              Array.from({ length: 20 }, () => cpuBound(power) * bias[i]! * Math.exp(0.03 * rng.normal())),
            ),
          );
          const s = decisionSettings(strategy, { scalingModel: true });
          const decision = decide(sizes, s, price);
          if (!decision.modelled) return;
          assert.equal(checkChoice(sizes, s, price, decision.choice).contradicted, false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is not used where the data contradict the cost law (memory pressure)', () => {
    // Below 1,024 MB garbage collection triples the time: smaller sizes proven dearer.
    const pressured = (power: number) => (power < 1024 ? 3 : 1) * cpuBound(power);
    for (let seed = 1; seed <= 10; seed++) {
      const rng = createRng(seed);
      const sizes = POWERS.map((power) =>
        measured(
          power,
          Array.from({ length: 20 }, () => pressured(power) * Math.exp(0.03 * rng.normal())),
        ),
      );
      const withModel = decide(sizes, decisionSettings('cost', { scalingModel: true }), price);
      const lawsOnly = decide(sizes, decisionSettings('cost'), price);
      assert.equal(withModel.modelled, undefined, `seed ${seed}`);
      assert.equal(withModel.choice, lawsOnly.choice, `seed ${seed}`);
    }
  });

  it('bills a predicted duration with the rounding measured at each size', () => {
    // 2 ms of I/O plus a little CPU: the rounding up to the next ms is a third of the bill, so a
    // predicted mean rounded up (3 ms everywhere) and the measured rounding disagree.
    const short = (power: number) => 1.6 + 0.4 / vcpus(power, 1);
    const powers = [512, 1024, 1769, 3008];
    const fit = fitDurationModel(powers.map((power) => ({ power, mean: short(power), variance: 1e-6 })));
    assert.ok(fit);
    const offsets = new Map(powers.map((power, i) => [power, 0.3 + 0.1 * i]));
    const s = decisionSettings('cost');
    const got = modelRegretsAt(fit, powers, s, price, offsets);
    const byHand = regrets(
      'cost',
      powers.map((power) => {
        const duration = fit.wholeThreadAlternatives[0]!.expected(power);
        return { power, duration, cost: invocationCost(duration + offsets.get(power)!, power, price) };
      }),
      TOLERANCE,
      0.5,
    );
    for (const power of powers)
      assert.ok(Math.abs(got.get(power)! - byHand.get(power)!) < 1e-9, `${power} MB`);
    const rounded = modelRegretsAt(fit, powers, s, price);
    assert.notDeepEqual([...rounded], [...got]);
  });

  it('measures the rounding as the mean extra billed time, which trimming would hide', () => {
    // 1.8 ms calls, 15% of them slower (2.05 ms) and so billed 3 ms, not 2: the expected bill is
    // 2.15 ms. The slow calls sit in the 20% a trimmed mean drops, which would bill 2 ms.
    const durations = Array.from({ length: 100 }, (_, i) => (i % 20 < 3 ? 2.05 : 1.8));
    const size = measured(1536, durations);
    const offset = billingOffsets([size]).get(1536)!;
    const meanDuration = durations.reduce((a, b) => a + b, 0) / durations.length;
    assert.ok(Math.abs(meanDuration + offset - 2.15) < 1e-9, `offset ${offset}`);
    // The 1 ms minimum bill counts too.
    assert.equal(billingOffsets([measured(1024, [0.4, 0.5, 0.6])]).get(1024), 0.5);
  });

  it("takes a size's rounding from every size's spread, in proportion to its mean", () => {
    // 200 calls at 10 ms ± 10% show the spread; the 1.9 ms size was called twice, both 1.9 ms.
    // Its own calls say 2 ms a call; with the spread of all calls, 1.9 × 1.1 = 2.09 ms is billed
    // 3 ms half the time.
    const wide = measured(3008, [...Array<number>(100).fill(9), ...Array<number>(100).fill(11)]);
    const short = measured(1769, [1.9, 1.9]);
    const offsets = billingOffsets([wide, short]);
    const billed = (100 * 2 + 100 * 3 + 2 * 2) / 202;
    assert.ok(Math.abs(offsets.get(1769)! - (billed - 1.9)) < 1e-9, `${offsets.get(1769)}`);
    // Whole-ms durations are billed as they are, whatever the spread.
    assert.ok(Math.abs(offsets.get(3008)!) < 1e-9, `${offsets.get(3008)}`);
  });

  it('leaves blended cold starts and fewer than three sizes to the measurements', () => {
    const rng = createRng(3);
    const sizes = [1024, 2048, 3008].map((power) =>
      measured(
        power,
        Array.from({ length: 10 }, () => cpuBound(power) * Math.exp(0.03 * rng.normal())),
      ),
    );
    const s = decisionSettings('speed', { scalingModel: true });
    assert.notEqual(modelCandidate(sizes, [1024, 2048, 3008], s, price), undefined);
    assert.equal(modelCandidate(sizes, [1024, 2048, 3008], { ...s, coldStartRate: 0.2 }, price), undefined);
    assert.equal(modelCandidate(sizes.slice(0, 2), [1024, 2048], s, price), undefined);
    assert.equal(decide(sizes.slice(0, 2), s, price).modelled, undefined);
  });
});
