/**
 * Sizes spread over execution environments (domain/environments.ts, domain/host-variance.ts):
 * the hosts' variance is measured, and a settled choice stays right when hosts differ in speed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainRecommendation } from '../../client/format/recommendation.js';
import { analyzeTuning } from '../../domain/analysis.js';
import { decide } from '../../domain/decision.js';
import { splitAcross } from '../../domain/environments.js';
import { hostAwareParts, hostVariance } from '../../domain/host-variance.js';
import { partsInterval } from '../../domain/intervals.js';
import { lambdaPrice } from '../../domain/pricing.js';
import { mergeSummaries, summariseInvocations, type SizeSummary } from '../../domain/sample-summary.js';
import { eliminations, lookSettings, type SamplingSettings } from '../../domain/sampling-policy.js';
import type { InvocationResult } from '../../domain/types.js';
import { validateInput } from '../../domain/validate.js';
import { createRng } from '../support/prng.js';
import { raceToStop } from '../support/race.js';
import { warmInvocation } from '../support/summaries.js';

const price = lambdaPrice('us-east-1', 'x86_64');
const POWERS = [128, 256, 512, 1024, 1536, 1769, 2048, 3008, 4096, 6144, 10240];
const vcpus = (power: number) => Math.min(1, power / 1769);
/** Single-threaded, as bench/decisions `slow-hosts`: flat from 1,769 MB up. */
const cpuBound = (power: number) => 10 + 300 / vcpus(power);

const settings = (extra: Partial<SamplingSettings> = {}): SamplingSettings => ({
  strategy: 'speed',
  balancedWeight: 0.5,
  discardTopBottom: 0.2,
  confidence: 0.95,
  tolerance: 0.01,
  policy: 'adaptive',
  num: 10,
  maxInvocations: 3 * 10 * POWERS.length,
  maxErrorRate: 0.1,
  racing: 'sticky-model',
  ...extra,
});

/** `calls` per environment of every size, each environment's host e^(spread · N) times slower. */
function spreadSizes(seed: number, spread: number, calls: number[], environments = 3) {
  const rng = createRng(seed);
  return calls.map((n) => {
    const perEnvironment: SizeSummary[] = Array.from({ length: environments }, () => {
      const host = Math.exp(spread * rng.normal());
      const draws: InvocationResult[] = Array.from({ length: n }, () =>
        warmInvocation(100 * host * Math.exp(0.05 * rng.normal())),
      );
      return summariseInvocations(draws);
    });
    return { environments: perEnvironment };
  });
}

describe('splitAcross', () => {
  it('evens out the environments, the emptiest first, ties to the lower one', () => {
    assert.deepEqual(splitAcross(10, [0, 0, 0]), [4, 3, 3]);
    assert.deepEqual(splitAcross(2, [4, 3, 3]), [0, 1, 1]);
    assert.deepEqual(splitAcross(5, [9, 0]), [0, 5]);
    assert.deepEqual(splitAcross(0, [1, 2]), [0, 0]);
    assert.throws(() => splitAcross(3, []), /at least one environment/);
  });
});

describe('hostVariance', () => {
  it('measures a 5% spread between hosts from sizes spread over three environments', () => {
    const estimates: number[] = [];
    for (let seed = 1; seed <= 40; seed++)
      estimates.push(hostVariance(spreadSizes(seed, 0.05, Array(11).fill(20)), 0.2).relative);
    const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    // τ² = 0.0025 (lognormal: e^(σ²)(e^(σ²) − 1) ≈ 0.0025); the average of 40 estimates within 25%.
    assert.ok(Math.abs(mean - 0.0025) < 0.25 * 0.0025, `mean ${mean}`);
  });

  it('finds next to nothing when hosts do not differ, even with sizes raced out after one round', () => {
    // Nine sizes stopped after the first round (2 calls per environment), two contenders with 30.
    const calls = [...Array(9).fill(2), 30, 30];
    const estimates: number[] = [];
    for (let seed = 1; seed <= 200; seed++)
      estimates.push(hostVariance(spreadSizes(seed, 0, calls), 0.2).relative);
    // The contenders' own means are about 1.1% apart by chance alone; 2% needs a real spread.
    // Unweighted, the raced-out sizes' 1-df spreads gave τ above 2% in about a sixth of such runs.
    const large = estimates.filter((t) => Math.sqrt(t) > 0.02).length;
    assert.ok(large <= 5, `${large} of 200 above 2%`);
  });

  it('is nothing without sizes spread over two environments or more', () => {
    assert.deepEqual(hostVariance([{}, { environments: [] }], 0.2), { relative: 0, df: 0 });
    const one = spreadSizes(3, 0.05, [20], 1);
    assert.equal(hostVariance(one, 0.2).relative, 0);
  });
});

describe("a size's interval when hosts differ in speed", () => {
  // 11 sizes, each spread over 3 environments of 20 calls, hosts 5% apart, calls 2% apart: a
  // size's 95% interval must hold its speed on Lambda's hosts (100 ms, the hosts' median, up to
  // the trimmed mean's 0.2% lean) in about 95% of runs. The calls' noise alone covers far less.
  const coverage = (withHosts: boolean) => {
    let covered = 0;
    let total = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const rng = createRng(30_000 + seed);
      const sizes = Array.from({ length: 11 }, () => {
        const environments = Array.from({ length: 3 }, () => {
          const host = Math.exp(0.05 * rng.normal());
          return summariseInvocations(
            Array.from({ length: 20 }, () => warmInvocation(100 * host * Math.exp(0.02 * rng.normal()))),
          );
        });
        return { environments, summary: environments.reduce(mergeSummaries) };
      });
      const hosts = hostVariance(sizes, 0.2);
      for (const size of sizes) {
        const parts = hostAwareParts(
          size.summary.durationMs,
          0.2,
          withHosts ? hosts : { relative: 0, df: 0 },
          size.environments,
        );
        const interval = partsInterval(parts, 0.95);
        total++;
        if (interval.lower <= 100.2 && interval.upper >= 100) covered++;
      }
    }
    return covered / total;
  };

  it('covers the speed on any host at the stated confidence', () => {
    const share = coverage(true);
    assert.ok(share >= 0.95 - 3 * Math.sqrt((0.05 * 0.95) / 660), `covered in ${(share * 100).toFixed(1)}%`);
  });

  it("without the hosts' variance, the same intervals miss it most of the time", () => {
    assert.ok(coverage(false) < 0.6);
  });
});

describe('decisions when hosts differ in speed', () => {
  // Speed, 3% tolerance: from 1,769 MB up every size is as fast, so each size's host decides
  // which one looks fastest. A settled choice must be within the tolerance of the truly fastest
  // and cost no more than the cheapest such size, in at least 95% of the races that settle.
  const fastest = Math.min(...POWERS.map(cpuBound));
  const races = (spread: number, environments: number) => {
    let settled = 0;
    let wrong = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const s = settings({ tolerance: 0.03 });
      const sizes = raceToStop(cpuBound, POWERS, s, 7000 + seed, 0.02, { spread, environments });
      const decision = decide(sizes, lookSettings(s), price, eliminations(sizes));
      if (!decision.settled) continue;
      settled++;
      if (cpuBound(decision.choice) > fastest * 1.03 || decision.choice > 1769) wrong++;
    }
    return { settled, wrong };
  };
  const withinConfidence = ({ settled, wrong }: { settled: number; wrong: number }) =>
    wrong === 0 || wrong / settled <= 0.05 + 3 * Math.sqrt((0.05 * 0.95) / settled);

  it('hosts 5% apart, three environments per size: no settled claim is wrong', () => {
    // A size's host-averaged speed is then known to a few percent only, whatever its calls:
    // such runs end unsettled (budget spent), which is the truth of it.
    const outcome = races(0.05, 3);
    assert.ok(withinConfidence(outcome), JSON.stringify(outcome));
  });

  it('equal hosts, three environments per size: races still settle, and settle right', () => {
    const outcome = races(0, 3);
    assert.ok(outcome.settled >= 20, `only ${outcome.settled} of 60 races settled`);
    assert.ok(withinConfidence(outcome), JSON.stringify(outcome));
  });

  it('hosts 5% apart, one environment per size: settled claims are often wrong', () => {
    // Why sizes are spread: measured on one host each, the same races settle on a wrong size.
    const { settled, wrong } = races(0.05, 1);
    assert.ok(settled > 0 && wrong / settled > 0.2, `${wrong} of ${settled} settled choices wrong`);
  });
});

describe('the hosts in the output', () => {
  const analyse = (spread: number, environments: number) => {
    const rng = createRng(4242);
    const results = [512, 1024, 1769, 3008].map((power) => {
      const perEnvironment = Array.from({ length: environments }, () => {
        const host = Math.exp(spread * rng.normal());
        return summariseInvocations(
          Array.from({ length: 30 }, () =>
            warmInvocation((300_000 / Math.min(power, 1769)) * host * Math.exp(0.02 * rng.normal())),
          ),
        );
      });
      return {
        power,
        summary: perEnvironment.reduce(mergeSummaries),
        ...(environments > 1 ? { environments: perEnvironment } : {}),
      };
    });
    return analyzeTuning({
      config: validateInput({
        lambdaARN: 'fn',
        num: 10,
        powerValues: [512, 1024, 1769, 3008],
        confidence: 0.95,
      }),
      functionName: 'fn',
      region: 'us-east-1',
      architecture: 'x86_64',
      results,
    });
  };

  it('says how much the hosts differed, and widens the intervals by it', () => {
    const spread = analyse(0.05, 3);
    assert.equal(spread.hosts?.environments, 3);
    assert.ok(spread.hosts.spread > 0.02 && spread.hosts.spread < 0.1, `spread ${spread.hosts.spread}`);
    assert.match(spread.hosts.statement, /3 versions of its own .* differed in speed by about \d+\.\d% /);
    // The CLI and the report give it as one of the recommendation's reasons.
    assert.ok(explainRecommendation(spread).reasons.includes(spread.hosts.statement));
    // The same calls without their environments: narrower intervals, and nothing said about hosts.
    const row = spread.results.find((r) => r.power === 1769)!;
    const width = (r: typeof row) => r.durationInterval!.upper - r.durationInterval!.lower;
    const pooled = analyse(0.05, 1);
    assert.equal(pooled.hosts, undefined);
    assert.ok(width(row) > width(pooled.results.find((r) => r.power === 1769)!));
  });

  it('says so when the hosts did not differ measurably', () => {
    const even = analyse(0, 3);
    if (even.hosts?.spread === 0) assert.match(even.hosts.statement, /no difference between their hosts/);
    else assert.ok((even.hosts?.spread ?? 1) < 0.01, `spread ${even.hosts?.spread}`);
  });
});
