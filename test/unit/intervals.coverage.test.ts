/**
 * Coverage of every interval in domain/intervals.ts on simulated Lambda-like durations:
 * multiplicative lognormal noise, optionally with 5% of invocations three times slower.
 *
 * Monte-Carlo tolerance: with R = 2000 runs a coverage estimate has standard error
 * √(0.95·0.05/2000) ≈ 0.49 percentage points, so 93–97% is nominal ± 4 standard errors and
 * "≤ 5% + 1.5 points" is 3 standard errors above a 5% error rate. Every run uses a fixed seed,
 * so the figures below (reported as test diagnostics) are the same on every machine.
 */

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { logGamma, normalCdf } from '../../domain/distributions.js';
import {
  meaningfullyGreater,
  notMeaningfullyGreater,
  percentileInterval,
  proportionInterval,
  trimmedMeanDifference,
  trimmedMeanInterval,
} from '../../domain/intervals.js';
import { sketchOf } from '../../domain/sketch.js';
import { createRng, simulateDurations, type NoiseModel } from '../support/prng.js';

const RUNS = 2000;
const CONFIDENCE = 0.95;
const DISCARD = 0.2;
/** 3 Monte-Carlo standard errors of a 5% rate over RUNS runs. */
const RATE_SLACK = 3 * Math.sqrt((0.05 * 0.95) / RUNS);

const MODELS: Record<string, NoiseModel> = {
  'σ=0.05': { base: 100, sigma: 0.05, outlierRate: 0, outlierFactor: 1 },
  'σ=0.3': { base: 100, sigma: 0.3, outlierRate: 0, outlierFactor: 1 },
  'σ=0.05, 5% ×3': { base: 100, sigma: 0.05, outlierRate: 0.05, outlierFactor: 3 },
  'σ=0.3, 5% ×3': { base: 100, sigma: 0.3, outlierRate: 0.05, outlierFactor: 3 },
};

/** The model as a mixture of lognormals: weight and log-median of each component. */
function components(m: NoiseModel): { weight: number; mu: number }[] {
  const parts = [{ weight: 1 - m.outlierRate, mu: Math.log(m.base) }];
  if (m.outlierRate > 0) parts.push({ weight: m.outlierRate, mu: Math.log(m.base * m.outlierFactor) });
  return parts;
}

function populationCdf(m: NoiseModel, x: number): number {
  return components(m).reduce((sum, c) => sum + c.weight * normalCdf((Math.log(x) - c.mu) / m.sigma), 0);
}

/** The population quantile, by bisection on log x (the CDF is continuous and increasing). */
function populationQuantile(m: NoiseModel, q: number): number {
  let lo = Math.log(m.base) - 20 * m.sigma;
  let hi = Math.log(m.base * m.outlierFactor) + 20 * m.sigma;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (populationCdf(m, Math.exp(mid)) < q) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * The population trimmed mean, analytically: E[X; a ≤ X ≤ b] / (1 − 2α) between the α and 1 − α
 * quantiles, where for a lognormal E[X; X ≤ x] = e^(μ+σ²/2)·Φ((ln x − μ − σ²)/σ).
 */
function populationTrimmedMean(m: NoiseModel, alpha: number): number {
  const a = Math.log(populationQuantile(m, alpha));
  const b = Math.log(populationQuantile(m, 1 - alpha));
  const s = m.sigma;
  const partial = components(m).reduce(
    (sum, c) =>
      sum +
      c.weight *
        Math.exp(c.mu + (s * s) / 2) *
        (normalCdf((b - c.mu - s * s) / s) - normalCdf((a - c.mu - s * s) / s)),
    0,
  );
  return partial / (1 - 2 * alpha);
}

/** Fraction of RUNS seeded runs for which `hit` is true. */
function rate(seed: number, hit: (rng: ReturnType<typeof createRng>) => boolean): number {
  const rng = createRng(seed);
  let hits = 0;
  for (let run = 0; run < RUNS; run++) if (hit(rng)) hits++;
  return hits / RUNS;
}

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;

describe('population helpers (sanity)', () => {
  it('the analytic trimmed mean agrees with 10^6 simulated values', () => {
    const m = MODELS['σ=0.3, 5% ×3'] as NoiseModel;
    const values = simulateDurations(createRng(7), m, 1_000_000).sort((x, y) => x - y);
    const k = Math.floor(values.length * DISCARD);
    const kept = values.slice(k, values.length - k);
    const simulated = kept.reduce((s, v) => s + v, 0) / kept.length;
    assert.ok(Math.abs(simulated / populationTrimmedMean(m, DISCARD) - 1) < 0.002);
    assert.ok(Math.abs((values[899_999] as number) / populationQuantile(m, 0.9) - 1) < 0.005);
  });
});

describe('trimmed-mean interval (Yuen) covers the population trimmed mean 93–97% of the time', () => {
  let seed = 100;
  for (const [name, model] of Object.entries(MODELS)) {
    const truth = populationTrimmedMean(model, DISCARD);
    for (const n of [10, 20, 50]) {
      const caseSeed = seed++;
      it(`${name}, n = ${n}`, (t: TestContext) => {
        const coverage = rate(caseSeed, (rng) => {
          const iv = trimmedMeanInterval(sketchOf(simulateDurations(rng, model, n)), DISCARD, CONFIDENCE);
          return iv.lower <= truth && truth <= iv.upper;
        });
        t.diagnostic(`coverage ${percent(coverage)}`);
        assert.ok(coverage >= 0.93 && coverage <= 0.97, `coverage ${percent(coverage)}`);
      });
    }
  }

  it('binned sketch (n = 400 distinct values > 256), σ=0.3, 5% ×3', (t: TestContext) => {
    const model = MODELS['σ=0.3, 5% ×3'] as NoiseModel;
    const truth = populationTrimmedMean(model, DISCARD);
    const coverage = rate(150, (rng) => {
      const sketch = sketchOf(simulateDurations(rng, model, 400));
      assert.equal(sketch.kind, 'binned');
      const iv = trimmedMeanInterval(sketch, DISCARD, CONFIDENCE);
      return iv.lower <= truth && truth <= iv.upper;
    });
    t.diagnostic(`coverage ${percent(coverage)}`);
    assert.ok(coverage >= 0.93 && coverage <= 0.97, `coverage ${percent(coverage)}`);
  });
});

describe('difference of trimmed means (Yuen–Welch)', () => {
  const options = { discard: DISCARD, confidence: CONFIDENCE };
  let seed = 200;
  for (const [name, model] of Object.entries(MODELS)) {
    for (const [na, nb] of [
      [10, 10],
      [20, 20],
      [50, 50],
      [10, 50],
    ] as const) {
      const caseSeed = seed++;
      it(`${name}, n = ${na} vs ${nb}: "meaningfully greater" (tolerance 0) on identical sizes ≤ 5% + slack`, (t: TestContext) => {
        const falseClaims = rate(caseSeed, (rng) =>
          meaningfullyGreater(
            sketchOf(simulateDurations(rng, model, na)),
            sketchOf(simulateDurations(rng, model, nb)),
            { ...options, tolerance: 0 },
          ),
        );
        t.diagnostic(`false "greater" ${percent(falseClaims)}`);
        assert.ok(falseClaims <= 0.05 + RATE_SLACK, percent(falseClaims));
      });
    }
  }

  // At the margin, a = 1.05·b exactly (trimmed means scale), so "not meaningfully greater with
  // tolerance 5%" is false and every claim of it is an error.
  seed = 250;
  for (const [name, model] of Object.entries(MODELS)) {
    for (const n of [10, 20, 50]) {
      const caseSeed = seed++;
      it(`${name}, n = ${n}: "not meaningfully greater" (tolerance 5%) at a = 1.05·b ≤ 5% + slack`, (t: TestContext) => {
        const slower = { ...model, base: model.base * 1.05 };
        const falseClaims = rate(caseSeed, (rng) =>
          notMeaningfullyGreater(
            sketchOf(simulateDurations(rng, slower, n)),
            sketchOf(simulateDurations(rng, model, n)),
            { ...options, tolerance: 0.05 },
          ),
        );
        t.diagnostic(`false "not greater" ${percent(falseClaims)}`);
        assert.ok(falseClaims <= 0.05 + RATE_SLACK, percent(falseClaims));
      });
    }
  }

  it('the two-sided interval covers the true difference 93–97% (σ=0.3, 5% ×3, n = 20 vs 50)', (t: TestContext) => {
    const model = MODELS['σ=0.3, 5% ×3'] as NoiseModel;
    const slower = { ...model, base: model.base * 1.1 };
    const truth = populationTrimmedMean(slower, DISCARD) - populationTrimmedMean(model, DISCARD);
    const coverage = rate(299, (rng) => {
      const iv = trimmedMeanDifference(
        sketchOf(simulateDurations(rng, slower, 20)),
        sketchOf(simulateDurations(rng, model, 50)),
        DISCARD,
        CONFIDENCE,
      );
      return iv.lower <= truth && truth <= iv.upper;
    });
    t.diagnostic(`coverage ${percent(coverage)}`);
    assert.ok(coverage >= 0.93 && coverage <= 0.97, `coverage ${percent(coverage)}`);
  });
});

/** Exact coverage of the Wilson interval: Σ over outcomes x whose interval holds p of P(X = x). */
function exactWilsonCoverage(p: number, n: number): number {
  let coverage = 0;
  for (let x = 0; x <= n; x++) {
    const iv = proportionInterval(x, n, CONFIDENCE);
    if (iv.lower <= p && p <= iv.upper) {
      coverage += Math.exp(
        logGamma(n + 1) - logGamma(x + 1) - logGamma(n - x + 1) + x * Math.log(p) + (n - x) * Math.log1p(-p),
      );
    }
  }
  return coverage;
}

/**
 * Wilson's coverage is close to nominal on average but oscillates with n·p because the outcome
 * is discrete (Brown, Cai & DasGupta 2001): it dips to ~92% around n·p ≈ 1 and is conservative
 * (up to ~98.5%) when n·p is well below 1, where 0 and 1 failures both cover. So the exact
 * coverage must lie in 92–99% (over-coverage only means a wider interval), and the simulated
 * coverage must agree with it within 4 Monte-Carlo standard errors.
 */
describe('Wilson interval for an error rate', () => {
  let seed = 300;
  for (const p of [0.01, 0.05, 0.3]) {
    for (const n of [20, 100]) {
      const caseSeed = seed++;
      it(`p = ${p}, n = ${n}`, (t: TestContext) => {
        const simulated = rate(caseSeed, (rng) => {
          let errors = 0;
          for (let i = 0; i < n; i++) if (rng.uniform() < p) errors++;
          const iv = proportionInterval(errors, n, CONFIDENCE);
          return iv.lower <= p && p <= iv.upper;
        });
        const exact = exactWilsonCoverage(p, n);
        t.diagnostic(`coverage simulated ${percent(simulated)}, exact ${percent(exact)}`);
        assert.ok(exact >= 0.92 && exact <= 0.99, `exact ${percent(exact)}`);
        const se = Math.sqrt((exact * (1 - exact)) / RUNS);
        assert.ok(Math.abs(simulated - exact) <= 4 * se, `simulated ${percent(simulated)}`);
      });
    }
  }
});

describe('percentile interval (order statistics) covers at least nominal − slack', () => {
  const model = MODELS['σ=0.3, 5% ×3'] as NoiseModel;
  let seed = 400;
  for (const [p, n] of [
    [50, 20],
    [50, 50],
    [90, 50],
    [90, 200],
    [99, 400],
  ] as const) {
    const caseSeed = seed++;
    it(`p${p}, n = ${n}${n > 256 ? ' (binned)' : ''}`, (t: TestContext) => {
      const truth = populationQuantile(model, p / 100);
      const coverage = rate(caseSeed, (rng) => {
        const iv = percentileInterval(sketchOf(simulateDurations(rng, model, n)), p, CONFIDENCE);
        assert.ok(iv.bounded);
        return iv.lower <= truth && truth <= iv.upper;
      });
      t.diagnostic(`coverage ${percent(coverage)}`);
      // The ranks guarantee ≥ 95% for any continuous distribution; 3 standard errors of slack.
      assert.ok(coverage >= CONFIDENCE - RATE_SLACK, `coverage ${percent(coverage)}`);
    });
  }
});
