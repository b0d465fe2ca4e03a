/**
 * Constraints: the input's checks, each size's verdict at a stated confidence (with its coverage
 * checked on simulated data), the choice among the sizes that meet them, and the output when none
 * does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PowerValueSummary } from '../../domain/analysis.js';
import { decideWithin } from '../../domain/constrained-decision.js';
import { judgeSize, judgeSizes, latencySamplesNeeded } from '../../domain/constraints.js';
import type { DecisionSettings } from '../../domain/decision.js';
import { InputErrors } from '../../domain/errors.js';
import { lambdaPrice } from '../../domain/pricing.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import { MAX_LOOKS, nextRound } from '../../domain/sampling-policy.js';
import { validateInput } from '../../domain/validate.js';
import { lognormalSample as lognormal } from '../support/prng.js';
import { analyzeFnTuning, warmInvocation as ok } from '../support/summaries.js';

const price = lambdaPrice('us-east-1', 'x86_64');
const summaryOf = (durations: number[]) => summariseInvocations(durations.map(ok));
const settings = (strategy: DecisionSettings['strategy']): DecisionSettings => ({
  strategy,
  balancedWeight: 0.5,
  discardTopBottom: 0.2,
  confidence: 0.95,
  tolerance: 0.01,
});

function inputErrorsOf(raw: unknown): string[] {
  try {
    validateInput(raw);
  } catch (error) {
    if (error instanceof InputErrors)
      return error.errors.map((e) => `${e.field}: ${e.problem} | accepted: ${e.accepted}`);
    throw error;
  }
  return [];
}

describe('constraints input', () => {
  const base = { lambdaARN: 'fn', num: 10, powerValues: [128, 512, 1024], confidence: 0.95 };

  it('names the field and what is accepted', () => {
    const cases: [unknown, RegExp][] = [
      ['200ms', /^constraints: expected an object/],
      [{}, /^constraints: has no bound/],
      [{ maxDuration: 200 }, /^constraints: unknown key\(s\) "maxDuration"/],
      [{ maxDurationMs: -5 }, /^constraints\.maxDurationMs: is the number -5/],
      [{ maxDurationMs: 200, percentile: 100 }, /^constraints\.percentile: is the number 100/],
      [{ percentile: 99 }, /^constraints\.percentile: is set without maxDurationMs/],
      [{ maxMemoryMb: 64 }, /^constraints\.maxMemoryMb: is the number 64/],
    ];
    for (const [constraints, expected] of cases) {
      const errors = inputErrorsOf({ ...base, constraints });
      assert.ok(
        errors.some((e) => expected.test(e)),
        `${JSON.stringify(constraints)}: ${errors.join(' | ')}`,
      );
      assert.ok(
        errors.some((e) => expected.test(e) && /accepted: .*maxDurationMs/.test(e)),
        'the message says what is accepted',
      );
    }
  });

  it('defaults the percentile to 95 and keeps the bounds in the sampling config', () => {
    const config = validateInput({ ...base, constraints: { maxDurationMs: 200, maxMemoryMb: 1024 } });
    assert.deepEqual(config.sampling.constraints, { percentile: 95, maxDurationMs: 200, maxMemoryMb: 1024 });
  });

  it('refuses a fixed grid too small to show any size under a latency bound, saying how many are needed', () => {
    const needed = latencySamplesNeeded({ percentile: 95, maxDurationMs: 200 }, 0.95, 3, 1);
    const errors = inputErrorsOf({
      lambdaARN: 'fn',
      num: 10,
      powerValues: [128, 512, 1024],
      constraints: { maxDurationMs: 200 },
    });
    assert.ok(
      errors.some(
        (e) => e.startsWith('constraints:') && e.includes(`at least ${needed} invocations per size`),
      ),
      errors.join(' | '),
    );
    // Enough invocations per size, or a cost/memory bound only: accepted.
    validateInput({
      lambdaARN: 'fn',
      num: needed,
      powerValues: [128, 512, 1024],
      constraints: { maxDurationMs: 200 },
    });
    validateInput({
      lambdaARN: 'fn',
      num: 10,
      powerValues: [128, 512, 1024],
      constraints: { maxMemoryMb: 512 },
    });
  });

  it('gives adaptive runs the budget a latency verdict needs, and refuses a budget that cannot give one', () => {
    const needed = latencySamplesNeeded({ percentile: 95, maxDurationMs: 200 }, 0.95, 3, MAX_LOOKS);
    const config = validateInput({ ...base, constraints: { maxDurationMs: 200 } });
    assert.ok(config.sampling.maxInvocations >= 30 + needed, `${config.sampling.maxInvocations}`);
    const errors = inputErrorsOf({ ...base, maxInvocations: 90, constraints: { maxDurationMs: 200 } });
    assert.ok(
      errors.some((e) => e.startsWith('maxInvocations:') && e.includes(`${needed} invocations`)),
      errors.join(' | '),
    );
  });
});

describe('constraint verdicts', () => {
  const bounds = { percentile: 95, maxDurationMs: 200 };

  it('meets, fails or is uncertain by where the percentile’s confidence bounds fall', () => {
    const level = 0.99;
    const verdict = (durations: number[]) =>
      judgeSize({ power: 512, summary: summaryOf(durations) }, bounds, 0.2, price, level).verdict;
    assert.equal(verdict(lognormal(1, 100, 0.1, 200)), 'meets');
    assert.equal(verdict(lognormal(2, 400, 0.1, 200)), 'fails');
    assert.equal(verdict(lognormal(3, 168, 0.1, 200)), 'uncertain'); // true p95 ≈ 197 ms
    // Too few values for an upper bound of p95: no claim that it meets, however fast.
    assert.equal(verdict(lognormal(4, 50, 0.1, 20)), 'uncertain');
  });

  it('cost and memory bounds', () => {
    // Forty 100 ms calls against a cost cap: cheap at 128 MB, over it at 10,240 MB.
    const costVerdict = (power: number) =>
      judgeSize(
        { power, summary: summaryOf(Array(40).fill(100)) },
        { percentile: 95, maxCostPerInvocation: 1e-6 },
        0.2,
        price,
        0.99,
      ).verdict;
    assert.equal(costVerdict(128), 'meets');
    assert.equal(costVerdict(10240), 'fails');
    const memory = judgeSizes(
      [
        { power: 512, summary: summaryOf([10]) },
        { power: 2048, summary: summaryOf([10]) },
      ],
      { percentile: 95, maxMemoryMb: 1024 },
      0.2,
      price,
      0.95,
    );
    assert.deepEqual(
      memory.map((m) => m.verdict),
      ['meets', 'fails'],
    );
  });

  it('a size whose true percentile is over the bound is judged to meet it at most 1 − confidence of the time', () => {
    // Lognormal σ 0.3: the true p95 is median · e^(0.3 · 1.645). The bound sits 3% under it.
    const median = 100;
    const trueP95 = median * Math.exp(0.3 * 1.6449);
    const runs = 2000;
    let wrongMeets = 0;
    let wrongFails = 0;
    for (let seed = 1; seed <= runs; seed++) {
      const durations = lognormal(10_000 + seed, median, 0.3, 300);
      const summary = summaryOf(durations);
      const verdictUnder = (maxDurationMs: number) =>
        judgeSize({ power: 512, summary }, { percentile: 95, maxDurationMs }, 0.2, price, 0.95).verdict;
      if (verdictUnder(trueP95 * 0.97) === 'meets') wrongMeets++;
      if (verdictUnder(trueP95 * 1.03) === 'fails') wrongFails++;
    }
    const limit = 0.05 + 3 * Math.sqrt((0.05 * 0.95) / runs);
    assert.ok(wrongMeets / runs <= limit, `meets ${wrongMeets} of ${runs}`);
    assert.ok(wrongFails / runs <= limit, `fails ${wrongFails} of ${runs}`);
  });
});

describe('choosing within constraints', () => {
  // Single-threaded code: slower below 1,769 MB; p95 about 1.2 × the median.
  const median = (power: number) => 20 + 300 / Math.min(1, power / 1769);
  const sizes = (n: number) =>
    [256, 512, 1024, 2048].map((power, i) => ({
      power,
      summary: summaryOf(lognormal(50 + i, median(power), 0.1, n)),
    }));

  it('cost takes the cheapest size shown to meet a latency bound', () => {
    // Medians 2,093 / 1,056 / 538 / 320 ms: only 1,024 and 2,048 MB stay under 800 ms at p95.
    const outcome = decideWithin(sizes(400), settings('cost'), price, new Map(), {
      percentile: 95,
      maxDurationMs: 800,
    });
    assert.deepEqual(
      outcome.judged.map((j) => j.verdict),
      ['fails', 'fails', 'meets', 'meets'],
    );
    assert.equal(outcome.decision?.choice, 1024);
    // Without the bound the cheapest is 256 MB.
    assert.equal(
      decideWithin(sizes(400), settings('cost'), price, new Map(), undefined).decision?.choice,
      256,
    );
  });

  it('no size meeting the bounds: no decision, settled once every size is shown to fail', () => {
    const outcome = decideWithin(sizes(400), settings('cost'), price, new Map(), {
      percentile: 95,
      maxDurationMs: 100,
    });
    assert.equal(outcome.decision, undefined);
    assert.equal(outcome.settled, true);
    assert.deepEqual(outcome.decisive, []);
  });

  it('only the uncertain size the strategy ranks first is sampled, and the outcome is not settled', () => {
    // At n = 30 no p95 upper bound exists at this level: neither 1,024 nor 2,048 MB can be shown
    // to meet 800 ms yet. 1,024 MB is the cheaper: it is sampled first, 2,048 MB only if it fails.
    const outcome = decideWithin(sizes(30), settings('cost'), price, new Map(), {
      percentile: 95,
      maxDurationMs: 800,
    });
    assert.equal(outcome.decision, undefined);
    assert.equal(outcome.settled, false);
    assert.deepEqual(outcome.decisive, [1024]);
  });
});

describe('output with constraints', () => {
  const analysed = (maxDurationMs: number) => {
    const config = validateInput({
      lambdaARN: 'fn',
      num: 400,
      powerValues: [256, 1024],
      strategy: 'cost',
      autoOptimize: true,
      constraints: { maxDurationMs },
    });
    const results: PowerValueSummary[] = [
      { power: 256, summary: summaryOf(lognormal(7, 2000, 0.1, 400)) },
      { power: 1024, summary: summaryOf(lognormal(8, 500, 0.1, 400)) },
    ];
    return analyzeFnTuning(config, results);
  };

  it('recommends among the sizes meeting them, and marks every row', () => {
    const output = analysed(800);
    assert.equal(output.power, 1024);
    assert.deepEqual(
      output.results.map((r) => r.constraints),
      ['fails', 'meets'],
    );
    assert.equal(output.constraints?.met, true);
    assert.match(
      output.constraints?.statement ?? '',
      /With 95% confidence, 1024 MB meets every constraint; 256 MB fails: p95 \d+ ms > 800 ms \(\+\d/,
    );
  });

  it('names a cheaper size still uncertain instead of calling the choice settled', () => {
    // Mostly waiting, so 512 MB is the cheaper; its ten calls estimate its p95 under the bound but
    // cannot show it yet, while 1,024 MB met it on 400.
    const config = validateInput({
      lambdaARN: 'fn',
      num: 10,
      powerValues: [512, 1024],
      strategy: 'cost',
      confidence: 0.95,
      constraints: { maxDurationMs: 700 },
    });
    const output = analyzeFnTuning(config, [
      { power: 512, summary: summaryOf(lognormal(11, 545, 0.1, 10)) },
      { power: 1024, summary: summaryOf(lognormal(12, 373, 0.1, 400)) },
    ]);
    assert.equal(output.power, 1024);
    assert.deepEqual(
      output.results.map((r) => r.constraints),
      ['uncertain', 'meets'],
    );
    assert.equal(output.confidence?.settled, false);
    assert.deepEqual(output.constraints?.openContenders, [512]);
    assert.match(
      output.confidence?.statement ?? '',
      /^Not settled: 1024 MB is the preferred size among those shown to meet the constraints, but 512 MB may be cheaper and is not yet shown to meet or fail them\.$/,
    );
  });

  it('completes with no recommendation when none meets them, saying by how much each fails', () => {
    const output = analysed(300);
    assert.equal(output.power, null);
    assert.equal(output.cost, null);
    assert.equal(output.duration, null);
    assert.equal(output.constraints?.met, false);
    assert.match(output.constraints?.statement ?? '', /^No size was shown to meet the constraints/);
    assert.match(
      output.constraints?.statement ?? '',
      /256 MB fails: p95 \d+ ms > 300 ms \(\+\d+\.\d%\); 1024 MB fails/,
    );
    assert.equal(output.confidence?.settled, true);
  });
});

describe('sampling for a latency bound', () => {
  it('a size sampled for it gets the calls a percentile bound needs at once', () => {
    const bounds = { percentile: 95, maxDurationMs: 800 };
    const powers = [256, 512, 1024, 2048];
    const median = (power: number) => 20 + 300 / Math.min(1, power / 1769);
    const sizes = powers.map((power, i) => ({
      power,
      summary: summaryOf(lognormal(70 + i, median(power), 0.1, 10)),
    }));
    const round = nextRound(
      {
        ...settings('cost'),
        policy: 'adaptive',
        num: 10,
        maxInvocations: 5000,
        maxErrorRate: 0.1,
        racing: 'sticky-laws',
        constraints: bounds,
      },
      sizes,
      price,
      1,
    );
    const needed = latencySamplesNeeded(bounds, 0.95, powers.length, MAX_LOOKS);
    assert.equal(round.stop, undefined);
    assert.deepEqual(
      round.requests.map((r) => r.power),
      [1024],
    );
    assert.ok(round.requests[0]!.count >= needed, `${round.requests[0]!.count} < ${needed}`);
  });
});
