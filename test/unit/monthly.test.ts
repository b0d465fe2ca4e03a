/**
 * Monthly money: each size's monthly cost, the saving against today's size, and the coverage of
 * the saving's interval on simulated data with a known true saving.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PowerValueSummary } from '../../domain/analysis.js';
import { invocationCost, lambdaPrice } from '../../domain/pricing.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import { trimmedMean } from '../../domain/stats.js';
import { validateInput } from '../../domain/validate.js';
import { createRng } from '../support/prng.js';
import { analyzeFnTuning, warmInvocation as ok } from '../support/summaries.js';

const price = lambdaPrice('us-east-1', 'x86_64');
const normal = (seed: number, mean: number, sd: number, n: number) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Math.max(1, mean + sd * rng.normal()));
};

function analyse(results: PowerValueSummary[], currentPower: number, extra: Record<string, unknown> = {}) {
  const config = validateInput({
    lambdaARN: 'fn',
    num: 30,
    powerValues: results.map((r) => r.power),
    strategy: 'cost',
    invocationsPerMonth: 10_000_000,
    ...extra,
  });
  return analyzeFnTuning(config, results, currentPower);
}

const sized = (power: number, durations: number[]): PowerValueSummary => ({
  power,
  summary: summariseInvocations(durations.map(ok)),
});

describe('monthly figures', () => {
  it('prices every feasible size per month and states the saving against today', () => {
    // 1024 MB today, twice as fast as 512 MB but single-threaded beyond: 512 MB is cheaper.
    const output = analyse([sized(512, normal(1, 200, 10, 30)), sized(1024, normal(2, 150, 10, 30))], 1024);
    assert.equal(output.power, 512);
    const monthly = output.monthly!;
    assert.equal(monthly.currentPower, 1024);
    for (const size of monthly.sizes) {
      const row = output.results.find((r) => r.power === size.power)!;
      assert.ok(Math.abs(size.estimate - 10_000_000 * row.averagePrice!) < 1e-9);
      assert.ok(size.lower <= size.estimate && size.estimate <= size.upper);
    }
    const saving = monthly.saving!;
    const cost = (p: number) => output.results.find((r) => r.power === p)!.averagePrice!;
    assert.ok(Math.abs(saving.estimate - 10_000_000 * (cost(1024) - cost(512))) < 1e-9);
    assert.ok(saving.lower > 0, 'a clear saving: the interval excludes 0');
    assert.match(
      monthly.statement,
      /^At 10,000,000 invocations a month, 512 MB saves \$\d+\.\d\d a month against today's 1024 MB \(95% interval \$/,
    );
  });

  it('says when today’s size was not measured, and is absent without a volume or a current size', () => {
    const results = [sized(512, normal(3, 200, 10, 30)), sized(1024, normal(4, 150, 10, 30))];
    const unmeasured = analyse(results, 2048).monthly!;
    assert.equal(unmeasured.saving, undefined);
    assert.match(unmeasured.statement, /today's 2048 MB was not measured/);
    const withoutVolume = analyse(results, 1024, { invocationsPerMonth: undefined });
    assert.equal(withoutVolume.monthly, undefined);
  });

  it('the saving’s interval covers the true saving at the stated confidence', () => {
    // Symmetric noise: the trimmed mean estimates the mean, so the truth is known exactly
    // (up to the billing's rounding, taken from a large sample).
    const truth = (power: number, mean: number) => {
      const billed = normal(999, mean, 15, 200_000).map((d) => Math.max(1, Math.ceil(d)));
      return invocationCost(trimmedMean(billed, 0.2), power, price);
    };
    const volume = 10_000_000;
    const trueSaving = volume * (truth(1024, 150) - truth(512, 200));
    const runs = 1000;
    let missed = 0;
    for (let seed = 1; seed <= runs; seed++) {
      // Speed picks 1024 MB; today's size is 512 MB, so the "saving" is −trueSaving.
      const output = analyse(
        [sized(512, normal(2 * seed, 200, 15, 30)), sized(1024, normal(2 * seed + 1, 150, 15, 30))],
        512,
        { strategy: 'speed' },
      );
      assert.equal(output.power, 1024);
      const saving = output.monthly!.saving!;
      if (!(saving.lower <= -trueSaving && -trueSaving <= saving.upper)) missed++;
    }
    const limit = 0.05 + 3 * Math.sqrt((0.05 * 0.95) / runs);
    assert.ok(missed / runs <= limit, `missed ${missed} of ${runs}`);
  });

  it('with a cold-start rate, blends warm and cold costs, and the saving interval still covers the truth', () => {
    // Cold invocations: duration plus a 600 ms init, billed in full. Rate 0.3.
    const rate = 0.3;
    const truth = (power: number, mean: number, extraMs: number, discard: number) => {
      const billed = normal(997, mean + extraMs, 15, 200_000).map((d) => Math.max(1, Math.ceil(d)));
      return invocationCost(trimmedMean(billed, discard), power, price);
    };
    const blended = (power: number, mean: number) =>
      (1 - rate) * truth(power, mean, 0, 0.2) + rate * truth(power, mean, 600, 0);
    const volume = 10_000_000;
    const trueSaving = volume * (blended(1024, 150) - blended(512, 200));
    const withCold = (power: number, mean: number, seed: number): PowerValueSummary => ({
      ...sized(power, normal(seed, mean, 15, 30)),
      cold: summariseInvocations(
        normal(seed + 5000, mean + 600, 15, 5).map((d) => ({
          durationMs: d,
          billedMs: Math.ceil(d),
          initMs: 600,
          coldStart: true,
        })),
      ),
    });
    const runs = 600;
    let missed = 0;
    for (let seed = 1; seed <= runs; seed++) {
      const results = [withCold(512, 200, 2 * seed), withCold(1024, 150, 2 * seed + 1)];
      const output = analyse(results, 512, { strategy: 'speed', coldStartRate: rate });
      assert.equal(output.power, 1024);
      const monthly = output.monthly!;
      // Each size's monthly figure is its blended cost per invocation × the volume.
      for (const size of monthly.sizes) {
        const row = output.results.find((r) => r.power === size.power);
        assert.ok(row?.blended);
        assert.ok(Math.abs(size.estimate - volume * row.blended.averagePrice) < 1e-6 * size.estimate);
        assert.ok(size.lower <= size.estimate && size.estimate <= size.upper);
      }
      const saving = monthly.saving!;
      if (!(saving.lower <= -trueSaving && -trueSaving <= saving.upper)) missed++;
    }
    const limit = 0.05 + 3 * Math.sqrt((0.05 * 0.95) / runs);
    assert.ok(missed / runs <= limit, `missed ${missed} of ${runs}`);
  });
});
