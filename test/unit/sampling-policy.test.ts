import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lambdaPrice } from '../../domain/pricing.js';
import { mergeSummaries, summariseInvocations } from '../../domain/sample-summary.js';
import {
  errorInfeasibility,
  firstRound,
  nextRound,
  spentInvocations,
  type SamplingSettings,
  type SizeProgress,
} from '../../domain/sampling-policy.js';
import type { InvocationResult } from '../../domain/types.js';
import { createRng } from '../support/prng.js';

const price = lambdaPrice('us-east-1', 'x86_64');
const settings = (extra: Partial<SamplingSettings> = {}): SamplingSettings => ({
  policy: 'adaptive',
  num: 10,
  maxInvocations: 300,
  maxErrorRate: 0.1,
  strategy: 'speed',
  balancedWeight: 0.5,
  discardTopBottom: 0.2,
  confidence: 0.95,
  tolerance: 0.01,
  ...extra,
});
const ok = (d: number): InvocationResult => ({
  durationMs: d,
  billedMs: Math.ceil(d),
  initMs: 0,
  coldStart: false,
});
const failed: InvocationResult = { ...ok(5), error: { type: 'Boom', message: 'x', allowed: false } };

/** Runs the policy against a simulated function until it stops. */
function race(truth: Record<number, number>, s: SamplingSettings, seed: number) {
  const rng = createRng(seed);
  const powers = Object.keys(truth).map(Number);
  const sizes: SizeProgress[] = powers.map((power) => ({ power, summary: summariseInvocations([]) }));
  let round = firstRound(powers, s.num);
  let rounds = 0;
  for (;;) {
    rounds++;
    for (const r of round.requests) {
      const size = sizes.find((x) => x.power === r.power)!;
      const draws = Array.from({ length: r.count }, () =>
        ok(truth[r.power]! * Math.exp(0.05 * rng.normal())),
      );
      size.summary = mergeSummaries(size.summary, summariseInvocations(draws));
    }
    round = nextRound(s, sizes, price);
    if (round.stop) return { sizes, stop: round.stop, rounds };
  }
}

describe('sampling policy', () => {
  it('fixed: one round of num per size, then done', () => {
    assert.deepEqual(firstRound([128, 256], 10).requests, [
      { power: 128, count: 10 },
      { power: 256, count: 10 },
    ]);
    const sizes = [128, 256].map((power) => ({
      power,
      summary: summariseInvocations(Array(10).fill(ok(50))),
    }));
    assert.deepEqual(nextRound(settings({ policy: 'fixed' }), sizes, price), {
      requests: [],
      stop: 'grid-complete',
    });
  });

  it('fixed: failed invocations are replaced once, up to half the grid', () => {
    const sizes = [{ power: 128, summary: summariseInvocations([...Array(8).fill(ok(50)), failed, failed]) }];
    assert.deepEqual(nextRound(settings({ policy: 'fixed' }), sizes, price).requests, [
      { power: 128, count: 2 },
    ]);
    const many = [
      { power: 128, summary: summariseInvocations([...Array(9).fill(ok(50)), ...Array(6).fill(failed)]) },
    ];
    assert.equal(nextRound(settings({ policy: 'fixed' }), many, price).stop, 'grid-complete');
  });

  it('a sporadic error rate is measured, a high one makes the size infeasible', () => {
    const sporadic = summariseInvocations([...Array(29).fill(ok(50)), failed]);
    assert.equal(errorInfeasibility(sporadic, settings()), undefined);
    const high = summariseInvocations([...Array(20).fill(ok(50)), ...Array(20).fill(failed)]);
    assert.match(errorInfeasibility(high, settings()) ?? '', /20 of 40 invocations failed/);
    const all = summariseInvocations(Array(5).fill(failed));
    assert.match(errorInfeasibility(all, settings()) ?? '', /all 5 invocations failed/);
  });

  it('adaptive: a clear winner settles; eliminated sizes get no more samples; the budget holds', () => {
    const truth = { 128: 800, 512: 200, 1024: 100, 2048: 100.5, 3008: 100.2 };
    const outcome = race(truth, settings({ tolerance: 0.05 }), 1);
    assert.equal(
      outcome.sizes.find((s) => s.power === 128)?.summary.invocations,
      10,
      '128 MB was out after round 1',
    );
    assert.ok(spentInvocations(outcome.sizes) <= 300);
    assert.ok(['settled', 'budget-spent'].includes(outcome.stop));
  });

  it('adaptive: never exceeds maxInvocations, whatever the noise', () => {
    for (const seed of [1, 2, 3]) {
      const truth = { 1024: 100, 2048: 100, 3008: 100 };
      const outcome = race(truth, settings({ maxInvocations: 95, tolerance: 0 }), seed);
      assert.equal(outcome.stop, 'budget-spent');
      assert.ok(spentInvocations(outcome.sizes) <= 95, `${spentInvocations(outcome.sizes)}`);
    }
  });
});
