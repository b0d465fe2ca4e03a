/**
 * With a cold-start rate, each size's blended figures (what the strategy compares) carry their own
 * intervals, and the CI gate compares those, not the warm ones. The intervals' coverage is checked
 * on simulated data with a known blended truth.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeTuning, comparedStats, type PowerValueSummary } from '../../domain/analysis.js';
import { currentRegression } from '../../domain/current-regression.js';
import { invocationCost, lambdaPrice } from '../../domain/pricing.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import { trimmedMean } from '../../domain/stats.js';
import { validateInput } from '../../domain/validate.js';
import { createRng } from '../support/prng.js';
import { warmInvocation } from '../support/summaries.js';

const price = lambdaPrice('us-east-1', 'x86_64');
const normal = (seed: number, mean: number, sd: number, n: number) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Math.max(1, mean + sd * rng.normal()));
};
const INIT_MS = 600;

/** `warm` calls around `mean` and 5 cold ones, each with a 600 ms init billed in full. */
function withCold(power: number, mean: number, seed: number, warm = 30): PowerValueSummary {
  return {
    power,
    summary: summariseInvocations(normal(seed, mean, 15, warm).map(warmInvocation)),
    cold: summariseInvocations(
      normal(seed + 5000, mean + INIT_MS, 15, 5).map((d) => ({
        durationMs: d,
        billedMs: Math.ceil(d),
        initMs: INIT_MS,
        coldStart: true,
      })),
    ),
  };
}

function analyse(results: PowerValueSummary[], strategy: 'cost' | 'speed', rate: number) {
  const config = validateInput({
    lambdaARN: 'fn',
    num: 30,
    powerValues: results.map((r) => r.power),
    strategy,
    coldStartRate: rate,
  });
  return analyzeTuning({ config, functionName: 'fn', region: 'us-east-1', architecture: 'x86_64', results });
}

describe('blended figures with their intervals', () => {
  it('cover the blended truth of duration and cost in about 95% of runs', () => {
    const rate = 0.3;
    // The truth: trimmed means (20%) of the warm population, plain means of the cold one.
    const big = (mean: number, extra: number, discard: number) => ({
      duration: trimmedMean(normal(4242, mean + extra, 15, 200_000), discard),
      billed: trimmedMean(
        normal(4242, mean + extra, 15, 200_000).map((d) => Math.max(1, Math.ceil(d))),
        discard,
      ),
    });
    const warm = big(200, 0, 0.2);
    const cold = big(200, INIT_MS, 0);
    const trueDuration = (1 - rate) * warm.duration + rate * cold.duration;
    const trueCost =
      (1 - rate) * invocationCost(warm.billed, 512, price) + rate * invocationCost(cold.billed, 512, price);
    const runs = 600;
    let missedDuration = 0;
    let missedCost = 0;
    for (let seed = 1; seed <= runs; seed++) {
      const out = analyse([withCold(512, 200, 2 * seed), withCold(1024, 150, 2 * seed + 1)], 'speed', rate);
      const row = out.results.find((r) => r.power === 512);
      const b = row?.blended;
      assert.ok(b?.durationInterval && b.priceInterval, 'blended intervals present');
      assert.ok(
        b.durationInterval.lower <= b.averageDuration && b.averageDuration <= b.durationInterval.upper,
      );
      if (!(b.durationInterval.lower <= trueDuration && trueDuration <= b.durationInterval.upper))
        missedDuration++;
      if (!(b.priceInterval.lower <= trueCost && trueCost <= b.priceInterval.upper)) missedCost++;
    }
    const limit = 0.05 + 3 * Math.sqrt((0.05 * 0.95) / runs);
    assert.ok(missedDuration / runs <= limit, `duration missed ${missedDuration} of ${runs}`);
    assert.ok(missedCost / runs <= limit, `cost missed ${missedCost} of ${runs}`);
    // Not trivially wide: the interval is narrower than the cold starts' own contribution.
    const out = analyse([withCold(512, 200, 1), withCold(1024, 150, 2)], 'speed', rate);
    const width = (i?: { lower: number; upper: number }) => (i ? i.upper - i.lower : Infinity);
    assert.ok(width(out.results[0]?.blended?.durationInterval) < rate * INIT_MS);
  });

  it('the CI gate compares the blended figures the strategy chose on', () => {
    // Warm, 1024 MB is clearly faster; with every call cold, the 600 ms init swamps the difference.
    const results = [withCold(512, 200, 7, 40), withCold(1024, 150, 8, 40)];
    const out = analyse(results, 'speed', 1);
    const at = (power: number) => out.results.find((r) => r.power === power)!;
    const compared = comparedStats(out, at(512));
    assert.equal(compared?.averageDuration, at(512).blended?.averageDuration);
    assert.deepEqual(compared?.durationInterval, at(512).blended?.durationInterval);
    const gate = currentRegression(out, 512, 0.5)!;
    const blendedRatio = at(512).blended!.averageDuration / at(out.power!).blended!.averageDuration - 1;
    const warmRatio = at(512).averageDuration! / at(out.power!).averageDuration! - 1;
    assert.ok(Math.abs(gate.regression.estimate - blendedRatio) < 1e-12, 'on the blended figures');
    assert.ok(Math.abs(gate.regression.estimate - warmRatio) > 0.1, 'not the warm ones');
    // 512 MB is within 50% of the best on the blend (the init dominates): the gate passes it.
    assert.equal(gate.verdict, 'within');
  });

  it('a size without cold figures is not compared in a blended run', () => {
    const noCold: PowerValueSummary = {
      power: 256,
      summary: summariseInvocations(normal(3, 300, 15, 30).map(warmInvocation)),
    };
    const out = analyse([noCold, withCold(512, 200, 9)], 'speed', 0.3);
    const row = out.results.find((r) => r.power === 256)!;
    assert.equal(comparedStats(out, row), undefined);
    assert.equal(comparedStats({}, row)?.averageDuration, row.averageDuration);
  });
});
