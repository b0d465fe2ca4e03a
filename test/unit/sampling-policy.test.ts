import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lambdaPrice } from '../../domain/pricing.js';
import { mergeSummaries, summariseInvocations } from '../../domain/sample-summary.js';
import { decide } from '../../domain/decision.js';
import {
  eliminations,
  errorInfeasibility,
  firstRound,
  lookSettings,
  MAX_LOOKS,
  nextRound,
  spentInvocations,
  type SamplingSettings,
  type SizeProgress,
} from '../../domain/sampling-policy.js';
import type { InvocationResult } from '../../domain/types.js';
import { createRng } from '../support/prng.js';
import { warmInvocation as ok } from '../support/summaries.js';

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
const failed: InvocationResult = { ...ok(5), error: { type: 'Boom', message: 'x', allowed: false } };

/** Runs the policy against a simulated function until it stops. */
function race(truth: Record<number, number>, s: SamplingSettings, seed: number, noise = 0.05) {
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
        ok(truth[r.power]! * Math.exp(noise * rng.normal())),
      );
      size.summary = mergeSummaries(size.summary, summariseInvocations(draws));
    }
    round = nextRound(s, sizes, price, rounds);
    for (const e of round.eliminated ?? []) sizes.find((x) => x.power === e.power)!.eliminatedBy ??= e.by;
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

describe('sticky racing', () => {
  const sticky = (extra: Partial<SamplingSettings> = {}) => settings({ racing: 'sticky', ...extra });
  const sized = (power: number, durations: number[], eliminatedBy?: number): SizeProgress => ({
    power,
    summary: summariseInvocations(durations.map(ok)),
    ...(eliminatedBy === undefined ? {} : { eliminatedBy }),
  });
  const spread = (centre: number, n: number) =>
    Array.from({ length: n }, (_, i) => centre * (1 + ((i % 5) - 2) * 0.01));

  it('reports what a look proves worse, and an eliminated size stays out whatever later data say', () => {
    const sizes = [sized(512, spread(300, 10)), sized(1024, spread(100, 10)), sized(2048, spread(100, 10))];
    const first = nextRound(sticky(), sizes, price, 1);
    assert.deepEqual(first.eliminated, [{ power: 512, by: 1024 }]);
    // Later, 512 MB looks as fast as the others: it is still out, and gets no samples.
    const later = [
      sized(512, spread(100, 10), 1024),
      sized(1024, spread(100, 10)),
      sized(2048, spread(100.4, 10)),
    ];
    const round = nextRound(sticky(), later, price, 2);
    assert.ok(!round.requests.some((r) => r.power === 512), JSON.stringify(round));
    const decision = decide(later, lookSettings(sticky()), price, eliminations(later));
    assert.equal(decision.verdicts.find((v) => v.power === 512)?.standing, 'worse');
    assert.notEqual(decision.choice, 512);
  });

  it('samples only sizes that can change the choice', () => {
    // Speed: 1024 MB is proven as fast as the best and is the cheapest such size; the dearer
    // sizes cannot take its place, whatever their samples say, so they get none.
    const sizes = [
      sized(512, spread(300, 10)),
      sized(1024, spread(100, 40)),
      sized(2048, spread(100, 40)),
      sized(3008, [40, 160, 60, 140, 75, 125, 85, 115, 100, 100]),
    ];
    const decision = decide(sizes, lookSettings(sticky({ tolerance: 0.05 })), price);
    assert.equal(decision.choice, 1024);
    const round = nextRound(sticky({ tolerance: 0.05 }), sizes, price, 1);
    assert.ok(round.requests.length > 0, JSON.stringify(round));
    for (const r of round.requests) assert.ok(decision.decisive.includes(r.power), JSON.stringify(round));
    assert.ok(!round.requests.some((r) => r.power === 512 || r.power === 2048), JSON.stringify(round));
    assert.ok(
      round.requests.some((r) => r.power === 3008),
      JSON.stringify(round),
    );
  });

  it('stops after MAX_LOOKS looks', () => {
    const sizes = [
      sized(1024, spread(100, 10)),
      sized(2048, [50, 150, 100, 100, 90, 110, 100, 100, 100, 100]),
    ];
    assert.equal(nextRound(sticky({ maxInvocations: 10_000 }), sizes, price, MAX_LOOKS).stop, 'budget-spent');
  });

  it('spends what is left of the budget in the last round a run can make, with lastRoundTakesRest', () => {
    // Two sizes 1% apart at 10% noise: far from settled after a first round.
    const rng = createRng(17);
    const noisy = (centre: number) => Array.from({ length: 10 }, () => centre * Math.exp(0.1 * rng.normal()));
    const sizes = [sized(1024, noisy(100)), sized(2048, noisy(101))];
    const budget = 10_000;
    const left = budget - spentInvocations(sizes);
    const requested = (extra: Partial<SamplingSettings>, look: number) =>
      nextRound(sticky({ maxInvocations: budget, ...extra }), sizes, price, look).requests.reduce(
        (sum, r) => sum + r.count,
        0,
      );
    // Before, the last round doubled like every other, leaving most of the budget unspent.
    assert.ok(requested({}, MAX_LOOKS - 1) <= 4 * spentInvocations(sizes));
    assert.equal(requested({ lastRoundTakesRest: true }, MAX_LOOKS - 1), left);
    // Earlier rounds still double, and the final look still stops.
    assert.equal(requested({ lastRoundTakesRest: true }, MAX_LOOKS - 2), requested({}, MAX_LOOKS - 2));
    assert.equal(
      nextRound(sticky({ maxInvocations: budget, lastRoundTakesRest: true }), sizes, price, MAX_LOOKS).stop,
      'budget-spent',
    );
  });

  it('with a budget beyond what doubling reaches, spends it all when the run does not settle', () => {
    // Identical sizes never settle: every look is used, and every invocation.
    const run = race(
      { 512: 100, 1024: 100, 2048: 100 },
      sticky({ maxInvocations: 20_000, lastRoundTakesRest: true }),
      5,
    );
    assert.equal(run.rounds, MAX_LOOKS);
    assert.ok(spentInvocations(run.sizes) > 19_900, `${spentInvocations(run.sizes)}`);
    const before = race({ 512: 100, 1024: 100, 2048: 100 }, sticky({ maxInvocations: 20_000 }), 5);
    assert.ok(spentInvocations(before.sizes) < 10_000, `${spentInvocations(before.sizes)}`);
  });

  it('the stated confidence holds across looks: identical sizes lose a race at most 5% of the time', () => {
    // Five identical sizes, raced to the budget with tolerance 0: any elimination is an error.
    // Every look, every pair: the family-wise error must stay within 1 − confidence.
    const truth = { 1024: 100, 1536: 100, 2048: 100, 3008: 100, 4096: 100 };
    const races = 400;
    let wrong = 0;
    for (let seed = 1; seed <= races; seed++) {
      const outcome = race(
        truth,
        sticky({ tolerance: 0, maxInvocations: 600, strategy: 'speed' }),
        seed,
        0.2,
      );
      if (outcome.sizes.some((s) => s.eliminatedBy !== undefined)) wrong++;
    }
    // 5% plus three binomial standard errors at 400 races.
    assert.ok(wrong / races <= 0.05 + 3 * Math.sqrt((0.05 * 0.95) / races), `${wrong} of ${races}`);
  });

  it('settled means the choice is proven within the tolerance of every size still in the race', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const truth = { 512: 300, 1024: 100, 1536: 100.3, 2048: 100.1 };
      const s = sticky({ tolerance: 0.05, maxInvocations: 2000 });
      const outcome = race(truth, s, seed);
      if (outcome.stop !== 'settled') continue;
      const decision = decide(outcome.sizes, lookSettings(s), price, eliminations(outcome.sizes));
      assert.ok(decision.settled);
      assert.deepEqual(decision.equivalentSizes, [1024, 1536, 2048]);
      assert.equal(decision.choice, 1024, `seed ${seed}`);
    }
  });
});

describe('sizes whose first calls were all cold starts', () => {
  // Ten calls over five environments that each rotate among two instances: all cold, kept out.
  const coldOnly = (power: number): SizeProgress => ({
    power,
    summary: summariseInvocations(
      Array.from({ length: 10 }, () => ({ ...ok(150), coldStart: true, initMs: 900 })),
      { warmOnly: true },
    ),
  });
  const warm = (power: number, ms: number): SizeProgress => ({
    power,
    summary: summariseInvocations(Array.from({ length: 10 }, (_, i) => ok(ms + (i % 3)))),
  });

  it('get a round of their own before the sizes are compared', () => {
    const sizes = [coldOnly(512), warm(1024, 100), coldOnly(2048)];
    const round = nextRound(settings({ warmUnmeasured: true, racing: 'sticky-pooled' }), sizes, price, 1);
    assert.equal(round.stop, undefined);
    assert.deepEqual(round.requests, [
      { power: 512, count: 10 },
      { power: 2048, count: 10 },
    ]);
  });

  it('ended the run as nothing feasible before (runs started then replay so)', () => {
    const sizes = [coldOnly(512), coldOnly(1024)];
    assert.equal(nextRound(settings({ racing: 'sticky-pooled' }), sizes, price, 1).stop, 'nothing-feasible');
    const round = nextRound(settings({ racing: 'sticky-pooled', warmUnmeasured: true }), sizes, price, 1);
    assert.equal(round.requests.length, 2);
  });

  it('stop asking once the budget or the looks run out', () => {
    const sizes = [coldOnly(512), coldOnly(1024)];
    const spent = settings({ warmUnmeasured: true, maxInvocations: 21 });
    assert.equal(nextRound(spent, sizes, price, 1).stop, 'nothing-feasible');
    const late = settings({ warmUnmeasured: true });
    assert.equal(nextRound(late, sizes, price, MAX_LOOKS).stop, 'nothing-feasible');
  });
});
