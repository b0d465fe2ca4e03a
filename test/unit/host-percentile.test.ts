/**
 * A latency percentile of a size spread over execution environments (domain/host-percentile.ts):
 * its one-sided bounds cover the percentile production sees (calls on many hosts) at their
 * stated level, on simulated hosts and noise, where the pooled order-statistic interval does not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeSizes } from '../../domain/constraints.js';
import { hostAwarePercentile } from '../../domain/host-percentile.js';
import { hostVariance, type HostVariance } from '../../domain/host-variance.js';
import { percentileInterval } from '../../domain/intervals.js';
import { lambdaPrice } from '../../domain/pricing.js';
import { summariseInvocations, type SizeSummary } from '../../domain/sample-summary.js';
import { mergeSketches, sketchOf, type ValueSketch } from '../../domain/sketch.js';
import { createRng, type Rng } from '../support/prng.js';
import { warmInvocation } from '../support/summaries.js';

const LEVEL = 0.95;
const DISCARD = 0.2;
const BASE_MS = 100;

interface Scenario {
  name: string;
  /** Relative spread (σ) of a host's speed, lognormal with mean 1. */
  hosts: number;
  /** Relative spread of a call on one host, lognormal. */
  noise: number;
  /** Uniform extra ms of I/O that does not scale with the host. */
  additiveMs?: number;
  /** Share of calls three times slower. */
  outliers?: number;
  /** Calls of the measured size (its rivals get a first round of 7 each, as racing leaves them). */
  calls: number;
  environments: number;
}

const hostFactor = (s: Scenario, rng: Rng) => Math.exp(s.hosts * rng.normal() - (s.hosts * s.hosts) / 2);

function call(s: Scenario, rng: Rng, host: number): number {
  let ms = BASE_MS * host * Math.exp(s.noise * rng.normal());
  if (s.additiveMs) ms += s.additiveMs * rng.uniform();
  if (s.outliers && rng.uniform() < s.outliers) ms *= 3;
  return ms;
}

/** The percentile production sees: calls spread over many hosts. */
function truePercentile(s: Scenario, p: number): number {
  const rng = createRng(7);
  const calls = Array.from({ length: 200_000 }, () => call(s, rng, hostFactor(s, rng)));
  calls.sort((a, b) => a - b);
  return calls[Math.floor((p / 100) * calls.length)] as number;
}

/** One tuning: eleven sizes of the same shape, each on its own hosts; the first measured at length. */
function measureRun(s: Scenario, rng: Rng): { environments: ValueSketch[]; hosts: HostVariance } {
  const sizes = Array.from({ length: 11 }, (_, index) => {
    const perEnvironment = Math.ceil((index < 2 ? s.calls : 7) / s.environments);
    return Array.from({ length: s.environments }, () => {
      const host = hostFactor(s, rng);
      return sketchOf(Array.from({ length: perEnvironment }, () => call(s, rng, host)));
    });
  });
  const summaries = sizes.map((environments) => ({
    environments: environments.map((durationMs) => ({ durationMs, billedMs: durationMs }) as SizeSummary),
  }));
  return { environments: sizes[0] as ValueSketch[], hosts: hostVariance(summaries, DISCARD) };
}

interface Coverage {
  /** Share of runs whose upper bound fell below the truth (should be ≤ 1 − LEVEL). */
  upperMisses: number;
  lowerMisses: number;
  pooledUpperMisses: number;
}

function coverage(s: Scenario, p: number, runs: number): Coverage {
  const truth = truePercentile(s, p);
  let upperMisses = 0;
  let lowerMisses = 0;
  let pooledUpperMisses = 0;
  for (let run = 0; run < runs; run++) {
    const rng = createRng(1000 + run);
    const { environments, hosts } = measureRun(s, rng);
    const bound = hostAwarePercentile(environments, p, hosts, DISCARD, LEVEL);
    assert.ok(bound?.upperKnown && bound.lowerKnown, `${s.name}: bounds exist with ${s.calls} calls`);
    if (bound.upper < truth) upperMisses++;
    if (bound.lower > truth) lowerMisses++;
    const pooled = percentileInterval(environments.reduce(mergeSketches), p, 1 - 2 * (1 - LEVEL));
    if (pooled.upper < truth) pooledUpperMisses++;
  }
  return {
    upperMisses: upperMisses / runs,
    lowerMisses: lowerMisses / runs,
    pooledUpperMisses: pooledUpperMisses / runs,
  };
}

const RUNS = 200;
/** 5% nominal, plus two standard errors of a share measured on RUNS runs. */
const ALLOWED = 1 - LEVEL + 2 * Math.sqrt((LEVEL * (1 - LEVEL)) / RUNS);

describe('host-aware percentile bounds', () => {
  it('cover p95 where hosts dominate the spread, where the pooled interval misses most of the time', () => {
    const c = coverage(
      { name: 'slow hosts', hosts: 0.05, noise: 0.02, calls: 200, environments: 3 },
      95,
      RUNS,
    );
    assert.ok(c.upperMisses <= ALLOWED, `upper bound below the true p95 in ${c.upperMisses}`);
    assert.ok(c.lowerMisses <= ALLOWED, `lower bound above the true p95 in ${c.lowerMisses}`);
    assert.ok(c.pooledUpperMisses > 0.3, `the pooled interval missed only ${c.pooledUpperMisses}`);
  });

  it('cover p95 with noise that does not scale with the host, outliers, or five environments', () => {
    const scenarios: Scenario[] = [
      { name: 'additive I/O', hosts: 0.03, noise: 0.02, additiveMs: 40, calls: 120, environments: 3 },
      { name: 'outliers', hosts: 0.02, noise: 0.1, outliers: 0.08, calls: 150, environments: 3 },
      { name: 'equal hosts', hosts: 0, noise: 0.05, calls: 300, environments: 3 },
      { name: 'five environments', hosts: 0.05, noise: 0.02, calls: 100, environments: 5 },
    ];
    for (const s of scenarios) {
      const c = coverage(s, 95, RUNS / 2);
      const allowed = 1 - LEVEL + 2 * Math.sqrt((LEVEL * (1 - LEVEL)) / (RUNS / 2));
      assert.ok(c.upperMisses <= allowed, `${s.name}: upper bound below the true p95 in ${c.upperMisses}`);
      assert.ok(c.lowerMisses <= allowed, `${s.name}: lower bound above the true p95 in ${c.lowerMisses}`);
    }
  });

  it('needs two environments with calls and an estimate of the hosts', () => {
    const one = [sketchOf([100, 101, 102])];
    assert.equal(hostAwarePercentile(one, 95, { relative: 0.01, df: 4 }, DISCARD, LEVEL), undefined);
    const two = [sketchOf([100, 101]), sketchOf([102, 103])];
    assert.equal(hostAwarePercentile(two, 95, { relative: 0, df: 0 }, DISCARD, LEVEL), undefined);
  });

  it('judges spread sizes with it when given the hosts, so a host-biased size is not shown to meet', () => {
    // Three hosts that happened to be fast: each within 1% of the others, all 8% under the mean.
    const rng = createRng(3);
    const spreadSize = (power: number, speeds: number[]) => {
      const environments = speeds.map((speed) =>
        summariseInvocations(
          Array.from({ length: 70 }, () => warmInvocation(BASE_MS * speed * Math.exp(0.02 * rng.normal()))),
        ),
      );
      const summary = environments.reduce((a, b) => ({
        ...a,
        durationMs: mergeSketches(a.durationMs, b.durationMs),
        billedMs: mergeSketches(a.billedMs, b.billedMs),
      }));
      return { power, summary, environments };
    };
    const sizes = [
      spreadSize(1024, [0.92, 0.93, 0.92]),
      spreadSize(2048, [1.06, 0.95, 1.0]),
      spreadSize(4096, [0.94, 1.05, 1.02]),
    ];
    const hosts = hostVariance(sizes, DISCARD);
    assert.ok(hosts.relative > 0, 'the hosts differ');
    const constraints = { percentile: 95, maxDurationMs: 98 };
    const price = lambdaPrice('us-east-1', 'x86_64');
    const pooled = judgeSizes(sizes, constraints, DISCARD, price, LEVEL);
    const aware = judgeSizes(sizes, constraints, DISCARD, price, LEVEL, hosts);
    assert.equal(pooled[0]?.verdict, 'meets', 'the pooled interval takes the three fast hosts at their word');
    assert.notEqual(aware[0]?.verdict, 'meets');
    const latency = (judged: typeof aware) => judged[0]?.checks.find((c) => c.constraint === 'latency');
    assert.ok((latency(aware)?.upper ?? 0) > (latency(pooled)?.upper ?? Infinity));
  });
});
