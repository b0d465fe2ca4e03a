/**
 * Growing a contested size's environments (domain/environment-growth.ts) and sampling first the
 * sizes likely to meet a bound (DecisionSettings.likelyFirst): which sizes grow, how far, and
 * which uncertain size a round samples while nothing meets the constraints.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideWithin } from '../../domain/constrained-decision.js';
import type { SizeConstraints } from '../../domain/constraints.js';
import type { DecisionSettings } from '../../domain/decision.js';
import { MAX_GROWN_ENVIRONMENTS, growContested, growthCap } from '../../domain/environment-growth.js';
import { MAX_COLD_START_VERSIONS } from '../../domain/limits.js';
import { lambdaPrice } from '../../domain/pricing.js';
import { emptySummary, summariseInvocations } from '../../domain/sample-summary.js';
import type { SizeProgress } from '../../domain/sampling-policy.js';
import { lognormalSample as lognormal } from '../support/prng.js';
import { warmInvocation as ok } from '../support/summaries.js';

const summaryOf = (durations: number[]) => summariseInvocations(durations.map(ok));
const price = lambdaPrice('us-east-1', 'x86_64');
const settings: DecisionSettings = {
  strategy: 'cost',
  balancedWeight: 0.5,
  discardTopBottom: 0.2,
  confidence: 0.95,
  tolerance: 0.01,
};

describe('how far sizes may grow', () => {
  it('up to the cap, within the versions one run may publish', () => {
    assert.equal(growthCap(11, 0), MAX_GROWN_ENVIRONMENTS);
    // "ALL": 159 sizes leave room for 6 versions each.
    assert.equal(growthCap(159, 0), Math.floor(MAX_COLD_START_VERSIONS / 159));
    assert.equal(growthCap(159, 5), Math.floor(MAX_COLD_START_VERSIONS / 159) - 5);
    assert.equal(growthCap(1000, 5), 1);
  });
});

describe('which sizes grow', () => {
  const size = (power: number, calls: number, environments: number): SizeProgress => ({
    power,
    summary: summaryOf(lognormal(power, 100, 0.1, calls)),
    environments: Array.from({ length: environments }, emptySummary),
  });
  const verdict = (power: number, v: SizeConstraints['verdict']): SizeConstraints => ({
    power,
    verdict: v,
    checks: [],
  });
  const request = (power: number) => ({ power, count: 100 });

  it('an uncertain size with the calls a bound needs doubles its environments, up to the cap', () => {
    const sizes = [size(512, 200, 5), size(1024, 200, 5), size(2048, 200, 20), size(4096, 200, 40)];
    const judged = [512, 1024, 2048, 4096].map((p) => verdict(p, p === 512 ? 'meets' : 'uncertain'));
    const grown = growContested([512, 1024, 2048, 4096].map(request), sizes, judged, 150, 30);
    assert.deepEqual(
      grown.map((r) => r.environments),
      [undefined, 10, 30, undefined],
    );
    assert.deepEqual(
      grown.map((r) => r.count),
      [100, 100, 100, 100],
      'the calls asked for are unchanged',
    );
  });

  it('not before the size has the calls, nor when it was not spread', () => {
    const sizes = [size(512, 100, 5), size(1024, 200, 1)];
    const judged = [verdict(512, 'uncertain'), verdict(1024, 'uncertain')];
    const grown = growContested([request(512), request(1024)], sizes, judged, 150, 40);
    assert.deepEqual(
      grown.map((r) => r.environments),
      [undefined, undefined],
    );
  });
});

describe('while nothing meets the bound', () => {
  // Mostly waiting, so the smaller sizes are the cheaper: 512 MB is cheaper than 1,024 MB, but
  // its p95 (about 1.2 × 545 ms) is estimated over a 600 ms bound, 1,024 MB's (about 440 ms) under.
  const median = (power: number) => 200 + 100 / Math.min(1, power / 1769);
  const sizes = [256, 512, 1024, 2048].map((power, i) => ({
    power,
    summary: summaryOf(lognormal(50 + i, median(power), 0.1, 30)),
  }));
  const bound = { percentile: 95, maxDurationMs: 600 };

  it('samples first the uncertain size whose estimate is inside the bound', () => {
    const plain = decideWithin(sizes, settings, price, new Map(), bound);
    const likely = decideWithin(sizes, { ...settings, likelyFirst: true }, price, new Map(), bound);
    const uncertain = plain.judged.filter((j) => j.verdict === 'uncertain').map((j) => j.power);
    assert.ok(uncertain.includes(512) && uncertain.includes(1024), `uncertain: ${uncertain.join(', ')}`);
    assert.equal(plain.decision, undefined);
    assert.deepEqual(plain.decisive, [512], 'by cost alone: the cheaper, estimated over the bound');
    assert.deepEqual(likely.decisive, [1024], 'likely to meet: the one that can become a recommendation');
    // Only the order of sampling changes: the verdicts are the same.
    assert.deepEqual(likely.judged, plain.judged);
  });
});

describe('once a size meets the bound', () => {
  // Single-threaded code: below 1,769 MB every size costs about the same. 1,536 MB (10 calls, no
  // percentile bound yet) is as cheap as 1,769 MB, which met the bound on 400 calls; 256 MB
  // (10 calls) is far over the bound, 3,008 MB about 70% dearer.
  const median = (power: number) => 20 + 300 / Math.min(1, power / 1769);
  const calls: Record<number, number> = { 256: 10, 1536: 10, 1769: 400, 3008: 10 };
  const sizesAt = (seed: number) =>
    [256, 1536, 1769, 3008].map((power, i) => ({
      power,
      summary: summaryOf(lognormal(seed + i, median(power), 0.1, calls[power] as number)),
    }));
  const bound = { percentile: 95, maxDurationMs: 600 };

  it('an uncertain near-tie stays a contender until shown no better, a clearly dearer size does not', () => {
    let kept = 0;
    let passedOver = 0;
    for (let seed = 0; seed < 40; seed++) {
      const sizes = sizesAt(100 * seed);
      const plain = decideWithin(sizes, settings, price, new Map(), bound);
      const shown = decideWithin(sizes, { ...settings, contendUntilShown: true }, price, new Map(), bound);
      assert.equal(shown.decision?.choice, plain.decision?.choice, 'the choice itself is the same');
      assert.equal(shown.decision?.choice, 1769);
      assert.ok(!shown.decisive.includes(3008), `seed ${seed}: 3,008 MB is clearly dearer`);
      // With the flag, 1,536 MB is sampled whichever way its ten calls fell.
      assert.ok(shown.decisive.includes(1536), `seed ${seed}: ${shown.decisive.join(', ')}`);
      assert.equal(shown.settled, false);
      if (plain.decisive.includes(1536)) kept++;
      else passedOver++;
    }
    // Without it, 1,536 MB was passed over whenever its few calls estimated it dearer.
    assert.ok(kept > 0 && passedOver > 0, `kept ${kept}, passed over ${passedOver}`);
  });
});
