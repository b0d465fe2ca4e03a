/**
 * Model-based exploration: where it starts, how it finds a memory floor, that it recommends only
 * measured sizes, that it keeps its budget, and that it finds the knee of CPU-bound code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DurationFit } from '../../domain/duration-model.js';
import {
  candidateSizes,
  explorationChoice,
  initialSizes,
  modelRegrets,
  nextExploration,
  type ExplorationSettings,
} from '../../domain/exploration.js';
import { lambdaPrice } from '../../domain/pricing.js';
import { mergeSummaries, summariseInvocations } from '../../domain/sample-summary.js';
import type { SizeProgress } from '../../domain/sampling-policy.js';
import type { Strategy } from '../../domain/types.js';
import { createRng } from '../support/prng.js';

const price = lambdaPrice('us-east-1', 'x86_64');
const settings = (strategy: Strategy, extra: Partial<ExplorationSettings> = {}): ExplorationSettings => ({
  policy: 'adaptive',
  racing: 'sticky',
  num: 10,
  maxInvocations: 159,
  maxErrorRate: 0.1,
  strategy,
  balancedWeight: 0.5,
  discardTopBottom: 0.2,
  confidence: 0.95,
  tolerance: 0.01,
  lowestMb: 128,
  highestMb: 10240,
  ...extra,
});

interface Fn {
  duration(power: number): number;
  /** Below this the function runs out of memory. */
  floorMb?: number;
}

/** Runs the exploration against a simulated function; returns the sizes and the choice. */
function explore(fn: Fn, s: ExplorationSettings, seed: number, noise = 0.05) {
  const rng = createRng(seed);
  const sizes = new Map<number, SizeProgress>();
  const invoke = (power: number, count: number) => {
    const size = sizes.get(power) ?? { power, summary: summariseInvocations([]) };
    sizes.set(power, size);
    if (fn.floorMb !== undefined && power < fn.floorMb) {
      size.summary = mergeSummaries(
        size.summary,
        summariseInvocations([
          {
            durationMs: 5,
            billedMs: 5,
            initMs: 0,
            coldStart: false,
            error: { type: 'Runtime.ExitError', message: 'oom', allowed: false },
          },
        ]),
      );
      size.infeasibleReason = 'Runtime.ExitError: out of memory';
      return;
    }
    const calls = Array.from({ length: count }, () => {
      const d = fn.duration(power) * Math.exp(noise * rng.normal());
      return { durationMs: d, billedMs: Math.ceil(d), initMs: 0, coldStart: false };
    });
    size.summary = mergeSummaries(size.summary, summariseInvocations(calls));
  };
  for (const power of initialSizes(s.lowestMb, s.highestMb)) invoke(power, s.num);
  let look = 1;
  const requested: number[] = [];
  for (;;) {
    const round = nextExploration(s, [...sizes.values()], price, look);
    for (const e of round.eliminated ?? []) sizes.get(e.power)!.eliminatedBy ??= e.by;
    if (round.stop) break;
    for (const r of round.requests) {
      requested.push(r.power);
      invoke(r.power, r.count);
    }
    look++;
    assert.ok(look < 50, 'the exploration stops');
  }
  const spent = [...sizes.values()].reduce((sum, x) => sum + x.summary.invocations, 0);
  return { sizes, spent, requested, choice: explorationChoice(s, [...sizes.values()], price) };
}

const singleThreaded: Fn = { duration: (m) => 10 + 400 / Math.min(m / 1769, 1) };

describe('model-based exploration', () => {
  it('starts from the two ends, 1,769 MB and a few sizes spread between', () => {
    const sizes = initialSizes(128, 10240);
    assert.equal(sizes[0], 128);
    assert.equal(sizes.at(-1), 10240);
    assert.ok(sizes.includes(1769));
    assert.ok(sizes.length <= 6 && sizes.length >= 4, String(sizes));
    assert.deepEqual(
      initialSizes(2048, 4096).filter((p) => p === 1769),
      [],
    );
  });

  it('finds the knee of single-threaded code for speed and stays within budget', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const out = explore(singleThreaded, settings('speed'), seed);
      assert.ok(out.spent <= 159, `spent ${out.spent}`);
      assert.ok(out.choice, 'a recommendation');
      // 1,769 MB is a candidate of its own (a whole vCPU), not the nearest 64-MB step.
      assert.equal(out.choice.choice, 1769, `seed ${seed}`);
    }
  });

  it('proposes sizes from the 64-MB grid, every whole vCPU and the highest size', () => {
    const sizes = candidateSizes(128, 10240);
    for (const knee of [1769, 3538, 5307, 7076, 8845]) assert.ok(sizes.includes(knee), `${knee}`);
    assert.ok(sizes.includes(128) && sizes.includes(192) && sizes.includes(10240));
    assert.ok(!sizes.includes(1770) && !sizes.includes(200));
    // Above a memory floor, the grid starts at the lowest size that may work.
    assert.equal(candidateSizes(128, 10240, 523)[0], 523);
    assert.ok(candidateSizes(128, 10240, 523).every((p) => p >= 523));
  });

  it('adds at most four working sizes of its own, however badly the model fits', () => {
    // A curve the model cannot describe (a slowdown between 3 and 5 GB) under heavy noise.
    const odd: Fn = { duration: (m) => 40 + 300 / Math.min(m / 1769, 3) + (m > 3000 && m < 5000 ? 60 : 0) };
    const first = new Set(initialSizes(128, 10240));
    for (let seed = 1; seed <= 4; seed++) {
      const out = explore(odd, settings('speed'), seed, 0.3);
      const added = [...out.sizes.keys()].filter((p) => !first.has(p));
      assert.ok(added.length <= 4, `seed ${seed}: added ${added.join(', ')}`);
    }
  });

  it('recommends only measured sizes', () => {
    for (const strategy of ['cost', 'speed', 'balanced'] as const) {
      const out = explore({ duration: (m) => 80 + 250 / Math.min(m / 1769, 2) }, settings(strategy), 7, 0.08);
      assert.ok(out.choice && out.sizes.has(out.choice.choice), `${strategy}: ${out.choice?.choice}`);
    }
  });

  it('halves the gap to a memory floor instead of trying each MB above a failure', () => {
    const fn: Fn = { duration: (m) => 30 + 150 / Math.min(m / 1769, 1), floorMb: 512 };
    const out = explore(fn, settings('cost'), 3);
    assert.ok(out.choice, 'a recommendation');
    assert.ok(out.choice.choice >= 512 && out.choice.choice < 512 + 64, `chose ${out.choice.choice}`);
    // Halving the gap tries a handful of sizes below the floor, not one per MB.
    const failed = [...out.sizes.values()].filter((s) => s.infeasibleReason).map((s) => s.power);
    assert.ok(failed.length <= 8, `tried ${failed.join(', ')}`);
  });

  it('never spends more than maxInvocations, whatever the noise', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const out = explore(singleThreaded, settings('balanced', { maxInvocations: 90 }), seed, 0.3);
      assert.ok(out.spent <= 90, `spent ${out.spent}`);
    }
  });

  it('takes the choice that holds whichever plausible fit is true (minimax regret)', () => {
    // I/O-heavy code whose tiny CPU share cannot tell one thread from six: betting on six
    // threads would pick a size far up the flat part and overpay by over 100% if it has one.
    const curve = (threads: number) => ({
      parallelism: threads,
      expected: (m: number) => 150 + 5 / Math.min(m / 1769, threads),
    });
    const fit = { alternatives: [curve(6), curve(1)] } as unknown as DurationFit;
    const everyMb = Array.from({ length: 10240 - 128 + 1 }, (_, i) => 128 + i);
    const regret = modelRegrets(fit, settings('speed'), everyMb, price);
    const best = [...regret].reduce((a, b) => (b[1] < a[1] ? b : a));
    const sixOnly = modelRegrets(
      { alternatives: [curve(6)] } as unknown as DurationFit,
      settings('speed'),
      everyMb,
      price,
    );
    const bet = [...sixOnly].reduce((a, b) => (b[1] < a[1] ? b : a))[0];
    assert.ok(bet > 2500, `six threads alone: ${bet}`);
    assert.ok(best[0] < 2000, `minimax: ${best[0]}`);
    // Its worst case is small; betting on six threads risks far more under one thread.
    assert.ok(best[1] < 0.05, `worst-case regret ${best[1]}`);
    assert.ok((regret.get(bet) as number) > 0.5, `the bet's worst case ${regret.get(bet)}`);
  });
});
