import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mean, percentile, stdDev, trimmedMean } from '../../domain/stats.js';

describe('trimmedMean (§11.3)', () => {
  it('matches the upstream vectors', () => {
    assert.equal(trimmedMean([1, 2, 3, 4, 2000], 0.2), 3);
    assert.equal(trimmedMean([1, 2, 3, 4, 2000], 0.4), 3);
    assert.equal(trimmedMean([1, 2, 3, 4, 2000], 0), 402);
    assert.equal(trimmedMean([1], 0.4), 1);
    assert.equal(trimmedMean([], 0.2), 0);
  });

  it('does not sort its input in place (upstream did)', () => {
    const values = [5, 1, 4, 2, 3];
    trimmedMean(values, 0.2);
    assert.deepEqual(values, [5, 1, 4, 2, 3]);
  });
});

describe('percentile (nearest rank)', () => {
  it('returns sorted[ceil(p·n/100) − 1]', () => {
    const values = [15, 20, 35, 40, 50];
    assert.equal(percentile(values, 5), 15);
    assert.equal(percentile(values, 30), 20);
    assert.equal(percentile(values, 40), 20);
    assert.equal(percentile(values, 50), 35);
    assert.equal(percentile(values, 100), 50);
    assert.equal(percentile(values, 0), 15);
    assert.equal(percentile([], 50), 0);
  });

  it('rejects p outside 0..100', () => {
    assert.throws(() => percentile([1], 101), RangeError);
  });
});

describe('mean and stdDev (population)', () => {
  it('computes the population standard deviation', () => {
    assert.equal(mean([2, 4, 4, 4, 5, 5, 7, 9]), 5);
    assert.equal(stdDev([2, 4, 4, 4, 5, 5, 7, 9]), 2);
    assert.equal(stdDev([]), 0);
    assert.equal(stdDev([3]), 0);
  });
});

describe('statistics properties', () => {
  const values = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 });

  it('the trimmed mean lies between min and max', () => {
    fc.assert(
      fc.property(values, fc.double({ min: 0, max: 0.4, noNaN: true }), (xs, discard) => {
        const m = trimmedMean(xs, discard);
        assert.ok(m >= Math.min(...xs) - 1e-6 && m <= Math.max(...xs) + 1e-6);
      }),
      { numRuns: 300 },
    );
  });

  it('percentiles are monotone in p and are input values', () => {
    fc.assert(
      fc.property(
        values,
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (xs, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          assert.ok(percentile(xs, lo) <= percentile(xs, hi));
          assert.ok(xs.includes(percentile(xs, lo)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
