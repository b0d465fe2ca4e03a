/** Known values of the distributions and intervals (coverage: intervals.coverage.test.ts). */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  binomialCdf,
  binomialSf,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  studentTCdf,
  studentTQuantile,
} from '../../domain/distributions.js';
import {
  meaningfullyGreater,
  notMeaningfullyGreater,
  percentileInterval,
  percentileMinimumCount,
  proportionInterval,
  trimmedMeanDifference,
  trimmedMeanInterval,
} from '../../domain/intervals.js';
import { sketchOf, sketchPercentile, sketchTrimmedMean } from '../../domain/sketch.js';
import { percentile, trimmedMean } from '../../domain/stats.js';
import { createRng, simulateDurations, type NoiseModel } from '../support/prng.js';

function close(actual: number, expected: number, tolerance: number, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} ≠ ${expected} ± ${tolerance}`);
}

/** `count` simulated durations and their sketch, which must be binned (too many values to keep). */
function binnedSample(seed: number, model: NoiseModel, count: number) {
  const values = simulateDurations(createRng(seed), model, count);
  const sketch = sketchOf(values);
  assert.equal(sketch.kind, 'binned');
  return { values, sketch };
}

/** Yuen's interval straight from the definition on a raw list: the reference for the sketch. */
function yuenReference(values: number[], discard: number, confidence: number) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const k = Math.floor(n * discard);
  const h = n - 2 * k;
  const winsorized = sorted.map((v, i) => sorted[Math.min(n - k - 1, Math.max(k, i))] as number);
  const wMean = winsorized.reduce((s, v) => s + v, 0) / n;
  const sw2 = winsorized.reduce((s, v) => s + (v - wMean) ** 2, 0) / (n - 1);
  const se = Math.sqrt(((n - 1) * sw2) / (h * (h - 1)));
  const estimate = trimmedMean(values, discard);
  const half = studentTQuantile((1 + confidence) / 2, h - 1) * se;
  return { estimate, lower: estimate - half, upper: estimate + half, se };
}

describe('Student t and normal quantiles', () => {
  it('match table values to 1e-6', () => {
    close(studentTQuantile(0.975, 1), 12.706205, 1e-6);
    close(studentTQuantile(0.975, 4), 2.776445, 1e-6);
    close(studentTQuantile(0.975, 9), 2.262157, 1e-6);
    close(studentTQuantile(0.975, 30), 2.042272, 1e-6);
    close(studentTQuantile(0.995, 10), 3.169273, 1e-6);
    close(studentTQuantile(0.9, 2), 1.885618, 1e-6);
    close(studentTQuantile(0.95, Infinity), 1.644854, 1e-6);
    close(normalQuantile(0.975), 1.959964, 1e-6);
    close(normalQuantile(0.995), 2.575829, 1e-6);
    close(normalQuantile(0.001), -3.090232, 1e-6);
  });

  it('match the closed forms for 1 (Cauchy) and 2 degrees of freedom', () => {
    for (const t of [-1e6, -50, -3, -0.1, 0, 0.5, 2, 1e3]) {
      close(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-14, `F1(${t})`);
      close(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-14, `F2(${t})`);
    }
    for (const p of [1e-9, 0.001, 0.1, 0.3, 0.7, 0.99]) {
      // Cauchy: F⁻¹(p) = −cot(πp) for p < 1/2, tan(π(p − ½)) above.
      const cauchy = p < 0.5 ? -1 / Math.tan(Math.PI * p) : Math.tan(Math.PI * (p - 0.5));
      close(studentTQuantile(p, 1) / cauchy, 1, 1e-10, `Q1(${p})`);
      const twoDf = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
      close(studentTQuantile(p, 2) / twoDf, 1, 1e-10, `Q2(${p})`);
    }
  });

  it('are inverses of the CDFs, symmetric, and continuous into the normal for large df', () => {
    for (const df of [1, 1.5, 3, 7.3, 29, 200, 1e4, 1e7, 2e7, 1e10]) {
      for (const p of [1e-6, 0.025, 0.2, 0.5, 0.8, 0.975]) {
        const t = studentTQuantile(p, df);
        close(studentTCdf(t, df), p, 1e-12 + 1e-9 * p, `df ${df}, p ${p}`);
        close(studentTQuantile(1 - p, df), -t, 1e-9 * Math.max(1, Math.abs(t)));
      }
    }
    close(studentTQuantile(0.975, 1e10), normalQuantile(0.975), 1e-9);
    // Either side of the large-df switch (1e6) follows t ≈ z + z(z² + 1)/(4·df).
    const z = normalQuantile(0.975);
    for (const df of [0.99e6, 1.01e6])
      close(studentTQuantile(0.975, df), z + (z * (z * z + 1)) / (4 * df), 1e-10);
    for (const z of [-5, -1, 0, 1.96, 8]) close(normalCdf(z) + normalCdf(-z), 1, 1e-15);
    close(normalCdf(-8) / 6.220960574271785e-16, 1, 1e-10);
  });

  it('refuse probabilities outside (0, 1) and df ≤ 0', () => {
    assert.throws(() => studentTQuantile(1, 5), RangeError);
    assert.throws(() => studentTQuantile(0.5, 0), RangeError);
    assert.throws(() => normalQuantile(0), RangeError);
    assert.throws(() => normalQuantile(Number.NaN), RangeError);
  });
});

describe('special functions', () => {
  it('logGamma at known points', () => {
    close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-13);
    close(logGamma(1), 0, 1e-13);
    close(logGamma(10), Math.log(362880), 1e-12);
    let logFactorial = 0;
    for (let i = 2; i < 171; i++) logFactorial += Math.log(i);
    close(logGamma(171), logFactorial, 1e-10);
  });

  it('regularized beta: closed forms I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b', () => {
    for (const x of [0.01, 0.3, 0.9]) {
      close(regularizedBeta(x, 3.5, 1).p, x ** 3.5, 1e-14);
      close(regularizedBeta(x, 1, 4).q, (1 - x) ** 4, 1e-14);
    }
  });

  it('binomial CDF and upper tail agree with summing the probabilities', () => {
    const pmf = (j: number, n: number, p: number) =>
      Math.exp(
        logGamma(n + 1) - logGamma(j + 1) - logGamma(n - j + 1) + j * Math.log(p) + (n - j) * Math.log1p(-p),
      );
    for (const [n, p] of [
      [20, 0.3],
      [50, 0.99],
      [1000, 0.5],
    ] as const) {
      let cdf = 0;
      for (let k = 0; k < n; k++) {
        cdf += pmf(k, n, p);
        close(binomialCdf(k, n, p), cdf, 1e-12, `B(${k}; ${n}, ${p})`);
        close(binomialSf(k, n, p), 1 - cdf, 1e-12);
      }
    }
    assert.equal(binomialCdf(-1, 10, 0.5), 0);
    assert.equal(binomialCdf(10, 10, 0.5), 1);
    assert.equal(binomialSf(10, 10, 0.5), 0);
  });
});

describe('trimmedMeanInterval (Yuen)', () => {
  it('matches a hand computation: 1..10, discard 0.2', () => {
    // k = 2, h = 6, kept 3..8 (mean 5.5); winsorized 3,3,3,4,5,6,7,8,8,8: Σ(w − 5.5)² = 42.5,
    // SE = √(42.5 / (6·5)) = 1.190238, t_{0.975,5} = 2.570582.
    const iv = trimmedMeanInterval(sketchOf([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]), 0.2, 0.95);
    assert.equal(iv.estimate, 5.5);
    assert.deepEqual([iv.n, iv.h, iv.df], [10, 6, 5]);
    close(iv.standardError, Math.sqrt(42.5 / 30), 1e-12);
    close(iv.lower, 5.5 - 2.570582 * 1.190238, 1e-5);
    close(iv.upper, 5.5 + 2.570582 * 1.190238, 1e-5);
  });

  it('is the classic t interval of the mean with discard 0', () => {
    const values = [12, 15, 11, 19, 14, 13];
    const n = values.length;
    const m = values.reduce((s, v) => s + v, 0) / n;
    const s = Math.sqrt(values.reduce((acc, v) => acc + (v - m) ** 2, 0) / (n - 1));
    const iv = trimmedMeanInterval(sketchOf(values), 0, 0.9);
    close(iv.lower, m - (studentTQuantile(0.95, 5) * s) / Math.sqrt(n), 1e-12);
    close(iv.upper, m + (studentTQuantile(0.95, 5) * s) / Math.sqrt(n), 1e-12);
  });

  it('equals the definition on the raw list, exactly for the exact form', () => {
    const values = simulateDurations(
      createRng(1),
      { base: 80, sigma: 0.2, outlierRate: 0.1, outlierFactor: 4 },
      37,
    );
    const iv = trimmedMeanInterval(sketchOf(values), 0.2, 0.95);
    const ref = yuenReference(values, 0.2, 0.95);
    assert.equal(iv.estimate, ref.estimate);
    close(iv.lower, ref.lower, 1e-9);
    close(iv.upper, ref.upper, 1e-9);
  });

  it('stays within the histogram accuracy when binned', () => {
    const { values, sketch } = binnedSample(
      2,
      { base: 250, sigma: 0.3, outlierRate: 0.05, outlierFactor: 3 },
      3000,
    );
    const iv = trimmedMeanInterval(sketch, 0.2, 0.95);
    const ref = yuenReference(values, 0.2, 0.95);
    assert.equal(iv.estimate, sketchTrimmedMean(sketch, 0.2));
    close(iv.estimate / ref.estimate, 1, 0.005);
    close(iv.standardError / ref.se, 1, 0.02);
    assert.ok(iv.lower < iv.estimate && iv.estimate < iv.upper);
  });

  it('gives lower = upper = estimate when no spread can be estimated', () => {
    for (const [values, discard] of [
      [[], 0.2],
      [[42], 0.2],
      [[1, 2, 3], 0.4], // k = 1, h = 1
      [[7, 7, 7, 7, 7], 0.2], // zero variance
    ] as const) {
      const iv = trimmedMeanInterval(sketchOf([...values]), discard, 0.95);
      assert.equal(iv.lower, iv.estimate);
      assert.equal(iv.upper, iv.estimate);
      assert.equal(iv.standardError, 0);
    }
    assert.equal(trimmedMeanInterval(sketchOf([1, 2, 3]), 0.4, 0.95).df, 0);
    assert.equal(trimmedMeanInterval(sketchOf([7, 7, 7, 7, 7]), 0.2, 0.95).df, 2);
  });

  it('refuses a confidence outside (0, 1) and a discard outside [0, 0.5)', () => {
    assert.throws(() => trimmedMeanInterval(sketchOf([1, 2]), 0.2, 1), RangeError);
    assert.throws(() => trimmedMeanInterval(sketchOf([1, 2]), 0.5, 0.95), RangeError);
  });
});

describe('trimmedMeanDifference and the one-sided comparisons', () => {
  const a = sketchOf([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]); // tm 5.5, d = 42.5/30, h = 6
  const b = sketchOf([2, 4, 6, 8, 10]); // k = 1, h = 3, tm 6, winsorized 4,4,6,8,8: Σ = 16, d = 16/6

  it('matches a hand computation (Welch–Satterthwaite df)', () => {
    const da = 42.5 / 30;
    const db = 16 / 6;
    const df = (da + db) ** 2 / (da ** 2 / 5 + db ** 2 / 2);
    const iv = trimmedMeanDifference(a, b, 0.2, 0.95);
    assert.equal(iv.estimate, -0.5);
    close(iv.standardError, Math.sqrt(da + db), 1e-12);
    close(iv.df, df, 1e-12);
    close(iv.upper, -0.5 + studentTQuantile(0.975, df) * Math.sqrt(da + db), 1e-12);
    const swapped = trimmedMeanDifference(b, a, 0.2, 0.95);
    close(swapped.lower, -iv.upper, 1e-12);
  });

  it('is degenerate when a sample has h < 2', () => {
    const iv = trimmedMeanDifference(a, sketchOf([5]), 0.2, 0.95);
    assert.deepEqual([iv.lower, iv.upper, iv.df], [iv.estimate, iv.estimate, 0]);
  });

  it('claims "greater" only with clear evidence, "not greater" only within the tolerance', () => {
    const rng = createRng(3);
    const fast = sketchOf(
      simulateDurations(rng, { base: 100, sigma: 0.05, outlierRate: 0, outlierFactor: 1 }, 30),
    );
    const slow = sketchOf(
      simulateDurations(rng, { base: 130, sigma: 0.05, outlierRate: 0, outlierFactor: 1 }, 30),
    );
    const same = sketchOf(
      simulateDurations(rng, { base: 100, sigma: 0.05, outlierRate: 0, outlierFactor: 1 }, 30),
    );
    const options = { discard: 0.2, confidence: 0.95, tolerance: 0.05 };
    assert.equal(meaningfullyGreater(slow, fast, options), true);
    assert.equal(notMeaningfullyGreater(slow, fast, options), false);
    assert.equal(meaningfullyGreater(fast, slow, options), false);
    assert.equal(notMeaningfullyGreater(fast, slow, options), true);
    assert.equal(meaningfullyGreater(same, fast, options), false);
    assert.equal(notMeaningfullyGreater(same, fast, options), true);
    // With too few values there is no evidence either way.
    const one = sketchOf([100]);
    assert.equal(meaningfullyGreater(slow, one, options), false);
    assert.equal(notMeaningfullyGreater(one, slow, options), false);
  });

  it('treats identical constant samples as not greater (zero spread, exact comparison)', () => {
    const c = sketchOf([100, 100, 100, 100, 100]);
    const options = { discard: 0.2, confidence: 0.95, tolerance: 0 };
    assert.equal(notMeaningfullyGreater(c, c, options), true);
    assert.equal(meaningfullyGreater(c, c, options), false);
    assert.equal(meaningfullyGreater(sketchOf([101, 101, 101]), c, options), true);
  });

  it('refuses a negative tolerance', () => {
    assert.throws(
      () => meaningfullyGreater(a, b, { discard: 0.2, confidence: 0.95, tolerance: -0.1 }),
      RangeError,
    );
  });
});

describe('proportionInterval (Wilson)', () => {
  it('matches published values', () => {
    const half = proportionInterval(5, 10, 0.95);
    close(half.lower, 0.2366, 5e-5);
    close(half.upper, 0.7634, 5e-5);
    const one = proportionInterval(1, 10, 0.95);
    close(one.lower, 0.0179, 5e-5);
    close(one.upper, 0.4042, 5e-5);
  });

  it('keeps 0 and n inside [0, 1] without collapsing', () => {
    const none = proportionInterval(0, 10, 0.95);
    const z2 = normalQuantile(0.975) ** 2;
    assert.equal(none.lower, 0);
    close(none.upper, z2 / (10 + z2), 1e-12);
    const all = proportionInterval(10, 10, 0.95);
    assert.equal(all.upper, 1);
    close(all.lower, 1 - z2 / (10 + z2), 1e-12);
    assert.deepEqual(proportionInterval(0, 0, 0.95), { estimate: 0, lower: 0, upper: 1, n: 0 });
  });

  it('refuses impossible counts', () => {
    assert.throws(() => proportionInterval(3, 2, 0.95), RangeError);
    assert.throws(() => proportionInterval(1.5, 2, 0.95), RangeError);
  });
});

describe('percentileInterval (order statistics)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('gives the textbook median ranks: n = 100 → 40th to 61st, n = 20 → 6th to 15th', () => {
    const big = percentileInterval(sketchOf(hundred), 50, 0.95);
    assert.deepEqual(big, {
      estimate: 50,
      lower: 40,
      upper: 61,
      n: 100,
      bounded: true,
      lowerRank: 40,
      upperRank: 61,
    });
    const small = percentileInterval(sketchOf(hundred.slice(0, 20)), 50, 0.95);
    assert.deepEqual([small.lower, small.upper, small.bounded], [6, 15, true]);
  });

  it('uses the nearest-rank estimate of stats.ts', () => {
    const values = simulateDurations(
      createRng(4),
      { base: 100, sigma: 0.3, outlierRate: 0, outlierFactor: 1 },
      57,
    );
    for (const p of [0, 10, 50, 90, 99, 100]) {
      const iv = percentileInterval(sketchOf(values), p, 0.9);
      assert.equal(iv.estimate, percentile(values, p));
      assert.ok(iv.lower <= iv.estimate && iv.estimate <= iv.upper);
    }
  });

  it('flags an n too small for the confidence and falls back to min/max', () => {
    const iv = percentileInterval(sketchOf(hundred.slice(0, 50)), 99, 0.95);
    assert.equal(iv.bounded, false);
    assert.equal(iv.upper, 50);
    assert.equal(iv.upperRank, 51);
    assert.equal(percentileMinimumCount(99, 0.95), 368);
    const values = simulateDurations(
      createRng(5),
      { base: 100, sigma: 0.3, outlierRate: 0, outlierFactor: 1 },
      368,
    );
    assert.equal(percentileInterval(sketchOf(values), 99, 0.95).bounded, true);
    assert.equal(percentileInterval(sketchOf(values.slice(1)), 99, 0.95).bounded, false);
    assert.equal(percentileMinimumCount(100, 0.95), Infinity);
    assert.equal(percentileInterval(sketchOf([]), 50, 0.95).bounded, false);
  });

  it('widens to the bin edges when binned, so the guarantee holds for the real values', () => {
    const { values, sketch } = binnedSample(
      6,
      { base: 100, sigma: 0.3, outlierRate: 0, outlierFactor: 1 },
      2000,
    );
    const iv = percentileInterval(sketch, 90, 0.95);
    const sorted = [...values].sort((x, y) => x - y);
    assert.ok(iv.lower <= (sorted[iv.lowerRank - 1] as number));
    assert.ok(iv.upper >= (sorted[iv.upperRank - 1] as number));
    assert.equal(iv.estimate, sketchPercentile(sketch, 90));
    assert.ok(iv.upper / iv.lower < 1.2);
  });
});
