/** Property-based tests of the sketch and the per-size summary: merging, accuracy, size, JSON. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { mergeSummaries, summariseInvocations, type SizeSummary } from '../../domain/sample-summary.js';
import {
  BIN_COUNT,
  EXACT_LIMIT,
  FLOOR,
  RELATIVE_ACCURACY,
  binEdges,
  mergeSketches,
  sketchMean,
  sketchOf,
  sketchPercentile,
  sketchStdDev,
  sketchTrimmedMean,
  type ValueSketch,
} from '../../domain/sketch.js';
import { mean, percentile, stdDev, trimmedMean } from '../../domain/stats.js';
import type { InvocationResult } from '../../domain/types.js';
import { createRng } from '../support/prng.js';

/** Durations over the whole range, with the repeats and small values real ones have. */
const duration = fc.oneof(
  fc.double({ min: 0, max: 1_200_000, noNaN: true }).map(Math.abs),
  fc.integer({ min: 0, max: 3000 }),
  fc.integer({ min: 1, max: 100_000 }).map((v) => v / 100),
  fc.constantFrom(0, FLOOR, 900_000),
);

const invocation: fc.Arbitrary<InvocationResult> = fc
  .record({
    durationMs: duration,
    billedMs: fc.integer({ min: 1, max: 900_000 }),
    initMs: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 1, max: 1_000_000 }).map((v) => v / 100),
    ),
    error: fc.option(
      fc.record({
        type: fc.constantFrom('Boom', 'Runtime.OutOfMemory', 'Allowed'),
        message: fc.string({ maxLength: 20 }),
        allowed: fc.boolean(),
      }),
      { nil: undefined },
    ),
  })
  .map(({ error, ...r }) => ({ ...r, coldStart: r.initMs > 0, ...(error ? { error } : {}) }));

/** Cuts a list into three consecutive parts at two arbitrary points. */
function split<T>(xs: T[], a: number, b: number): [T[], T[], T[]] {
  const [i, j] = [Math.floor(a * xs.length), Math.floor(b * xs.length)].sort((x, y) => x - y) as [
    number,
    number,
  ];
  return [xs.slice(0, i), xs.slice(i, j), xs.slice(j)];
}

/**
 * deepStrictEqual without its diff, which takes minutes on objects this large (and fast-check
 * builds one per shrinking step); the first differing key is enough to go on.
 */
function assertSame(actual: unknown, expected: unknown, path = ''): void {
  if (isDeepStrictEqual(actual, expected)) return;
  if (typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null) {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(e)]))
      assertSame(a[key], e[key], `${path}.${key}`);
  }
  assert.fail(
    `${path || 'value'} differs: ${JSON.stringify(actual)?.slice(0, 200)} vs ${JSON.stringify(expected)?.slice(0, 200)}`,
  );
}

/** Equal in everything; sum and M2 up to floating-point rounding, which depends on the order. */
function assertSameSketch(actual: ValueSketch, expected: ValueSketch): void {
  assertSame({ ...actual, sum: 0, m2: 0 }, { ...expected, sum: 0, m2: 0 });
  const scale = expected.count * expected.max * expected.max;
  assert.ok(Math.abs(actual.sum - expected.sum) <= 1e-12 * Math.abs(expected.sum));
  assert.ok(Math.abs(actual.m2 - expected.m2) <= 1e-12 * scale, `m2 ${actual.m2} vs ${expected.m2}`);
}

function assertSameSummary(actual: SizeSummary, expected: SizeSummary): void {
  const { durationMs, billedMs, initMs, ...counts } = actual;
  const { durationMs: d, billedMs: b, initMs: i, ...expectedCounts } = expected;
  assertSame(counts, expectedCounts);
  assertSameSketch(durationMs, d);
  assertSameSketch(billedMs, b);
  assertSameSketch(initMs, i);
}

const near = (actual: number, expected: number, relative: number, absolute = 0) =>
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.abs(expected) + absolute,
    `${actual} is not within ${relative} of ${expected}`,
  );

/** Lognormal durations (Box–Muller), at most 900 s, rounded like Lambda's reports. */
function lognormal(seed: number, n: number, mu: number, sigma: number, decimals: number): number[] {
  const rng = createRng(seed);
  const unit = 10 ** decimals;
  return Array.from({ length: n }, () => {
    const z = rng.normal();
    return Math.round(Math.min(900_000, Math.exp(mu + sigma * z)) * unit) / unit;
  });
}

describe('sketch merging', () => {
  it('is independent of the order and grouping, and equals the sketch of the concatenation', () => {
    fc.assert(
      fc.property(
        fc.array(duration, { maxLength: 700, size: 'max' }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, cutA, cutB) => {
          const [a, b, c] = split(values, cutA, cutB).map(sketchOf) as [
            ValueSketch,
            ValueSketch,
            ValueSketch,
          ];
          const whole = sketchOf(values);
          assertSameSketch(mergeSketches(mergeSketches(a, b), c), whole);
          assertSameSketch(mergeSketches(c, mergeSketches(b, a)), whole);
          assertSameSketch(mergeSketches(mergeSketches(a, c), b), whole);
          // Two operands: bit for bit the same either way round.
          assertSame(mergeSketches(a, b), mergeSketches(b, a));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('summary of a concatenation = merge of the summaries (in invocation order)', () => {
    fc.assert(
      fc.property(
        fc.array(invocation, { maxLength: 600, size: 'max' }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (results, cutA, cutB) => {
          const [a, b, c] = split(results, cutA, cutB).map((part) => summariseInvocations(part)) as [
            SizeSummary,
            SizeSummary,
            SizeSummary,
          ];
          const whole = summariseInvocations(results);
          assertSameSummary(mergeSummaries(mergeSummaries(a, b), c), whole);
          assertSameSummary(mergeSummaries(a, mergeSummaries(b, c)), whole);
          // Apart from which error is first, the order does not matter either.
          const reversed = mergeSummaries(c, mergeSummaries(b, a));
          assertSameSummary(
            { ...reversed, ...(whole.firstError ? { firstError: whole.firstError } : {}) },
            whole,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('sketch statistics', () => {
  it('agree with stats.ts for n ≤ EXACT_LIMIT (trimmed mean and percentiles bit for bit)', () => {
    fc.assert(
      fc.property(
        fc.array(duration, { minLength: 1, maxLength: EXACT_LIMIT, size: 'max' }),
        fc.double({ min: 0, max: 0.4, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (values, discard, p) => {
          const s = sketchOf(values);
          assert.equal(s.kind, 'exact');
          assert.equal(sketchTrimmedMean(s, discard), trimmedMean(values, discard));
          assert.equal(sketchPercentile(s, p), percentile(values, p));
          near(sketchMean(s), mean(values), 1e-9);
          near(sketchStdDev(s), stdDev(values), 1e-9, 1e-9 * Math.max(...values));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('are within RELATIVE_ACCURACY for 5,000–50,000 lognormal values, merged from batches', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 5_000, max: 50_000 }),
        fc.double({ min: 0, max: 9, noNaN: true }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.constantFrom(0, 2),
        fc.integer({ min: 1, max: 20 }),
        (seed, n, mu, sigma, decimals, batches) => {
          const values = lognormal(seed, n, mu, sigma, decimals);
          const size = Math.ceil(n / batches);
          let s = sketchOf([]);
          for (let i = 0; i < n; i += size) s = mergeSketches(s, sketchOf(values.slice(i, i + size)));
          // Half of bin 0 in absolute terms: below FLOOR the accuracy is absolute.
          const tolerance = (expected: number) => RELATIVE_ACCURACY * (1 + 1e-9) * expected + FLOOR / 2;
          for (const discard of [0, 0.1, 0.2, 0.4]) {
            const expected = trimmedMean(values, discard);
            const actual = sketchTrimmedMean(s, discard);
            assert.ok(
              Math.abs(actual - expected) <= tolerance(expected),
              `trimmed ${discard}: ${actual} vs ${expected}`,
            );
          }
          for (const p of [0, 1, 50, 90, 99, 100]) {
            const expected = percentile(values, p);
            const actual = sketchPercentile(s, p);
            assert.ok(Math.abs(actual - expected) <= tolerance(expected), `p${p}: ${actual} vs ${expected}`);
          }
          near(sketchMean(s), mean(values), 1e-9);
          near(sketchStdDev(s), stdDev(values), 1e-9, 1e-9 * sketchMean(s));
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('sketch size', () => {
  it('stays under 7 KB of JSON for ≤ 100,000 values and under 24 KB beyond, however they spread', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 120 }), { minLength: BIN_COUNT, maxLength: BIN_COUNT }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (counts, where) => {
          // counts[i] values somewhere inside bin i: every bin can be occupied.
          const values = counts.flatMap((count, i) => {
            const [lower, upper] = binEdges(i);
            return Array.from({ length: count }, () => lower + where * (upper - lower));
          });
          const size = JSON.stringify(sketchOf(values)).length;
          assert.ok(
            size <= (values.length <= 100_000 ? 7_000 : 24_000),
            `${size} bytes for ${values.length}`,
          );
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('summary JSON', () => {
  it('a JSON round trip preserves every field and statistic', () => {
    fc.assert(
      fc.property(fc.array(invocation, { maxLength: 400, size: 'max' }), (results) => {
        const s = summariseInvocations(results);
        const copy = JSON.parse(JSON.stringify(s)) as SizeSummary;
        assertSame(copy, s);
        assert.equal(sketchTrimmedMean(copy.durationMs, 0.2), sketchTrimmedMean(s.durationMs, 0.2));
        assert.equal(sketchPercentile(copy.billedMs, 90), sketchPercentile(s.billedMs, 90));
      }),
      { numRuns: 200 },
    );
  });
});
