import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptySummary, mergeSummaries, summariseInvocations } from '../../domain/sample-summary.js';
import {
  BIN_COUNT,
  CEILING,
  EXACT_LIMIT,
  FLOOR,
  RELATIVE_ACCURACY,
  binEdges,
  binIndex,
  mergeSketches,
  sketchCount,
  sketchEntries,
  sketchMean,
  sketchOf,
  sketchPercentile,
  sketchStdDev,
  sketchTrimmedMean,
  type ValueSketch,
} from '../../domain/sketch.js';
import { mean, percentile, stdDev, trimmedMean } from '../../domain/stats.js';
import type { InvocationResult } from '../../domain/types.js';

const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const jsonSize = (value: unknown) => JSON.stringify(value).length;
const within = (actual: number, expected: number, relative: number) =>
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.abs(expected) + 1e-12,
    `${actual} is not within ${relative} of ${expected}`,
  );

/**
 * The most JSON a binned sketch of `n` values can take: every bin occupied, the counts spread so
 * that as many as possible have many digits (each bin first gets 10, then 100 while n lasts).
 */
function adversarialSketch(n: number): ValueSketch {
  let spare = n - 10 * BIN_COUNT;
  const values: number[] = [];
  for (let i = 0; i < BIN_COUNT; i++) {
    const count = spare >= 90 ? 100 : 10;
    if (count === 100) spare -= 90;
    // An awkward value inside the bin, not its edge.
    const value = i === 0 ? 0.0012345678901234 : binEdges(i)[0] * 1.000123456789;
    for (let k = 0; k < count; k++) values.push(value);
  }
  return sketchOf(values);
}

describe('ValueSketch: the exact form', () => {
  it('keeps sorted distinct values with counts and exact moments', () => {
    const s = sketchOf([3, 1, 2, 2]);
    assert.deepEqual(s, {
      kind: 'exact',
      count: 4,
      sum: 8,
      m2: 2,
      min: 1,
      max: 3,
      values: [1, 2, 3],
      counts: [1, 2, 1],
    });
    assert.equal(sketchCount(s), 4);
    assert.equal(sketchMean(s), 2);
    assert.equal(sketchStdDev(s), stdDev([3, 1, 2, 2]));
  });

  it('gives the upstream vectors of stats.ts', () => {
    const s = sketchOf([1, 2, 3, 4, 2000]);
    assert.equal(sketchTrimmedMean(s, 0.2), 3);
    assert.equal(sketchTrimmedMean(s, 0.4), 3);
    assert.equal(sketchTrimmedMean(s, 0), 402);
    assert.equal(sketchTrimmedMean(sketchOf([1]), 0.4), 1);
    const p = sketchOf([15, 20, 35, 40, 50]);
    for (const q of [0, 5, 30, 40, 50, 100])
      assert.equal(sketchPercentile(p, q), percentile([15, 20, 35, 40, 50], q));
    assert.throws(() => sketchPercentile(p, 101), RangeError);
  });

  it('is all zeros when empty', () => {
    const s = sketchOf([]);
    assert.equal(sketchCount(s), 0);
    assert.equal(sketchMean(s), 0);
    assert.equal(sketchStdDev(s), 0);
    assert.equal(sketchTrimmedMean(s, 0.2), 0);
    assert.equal(sketchPercentile(s, 50), 0);
    assert.deepEqual(sketchEntries(s), []);
  });

  it('stays exact while there are at most EXACT_LIMIT distinct values, however many repeats', () => {
    assert.equal(sketchOf(range(EXACT_LIMIT, (i) => i + 0.5)).kind, 'exact');
    assert.equal(sketchOf(range(EXACT_LIMIT + 1, (i) => i + 0.5)).kind, 'binned');
    const repeats = range(100_000, (i) => 20 + (i % 40));
    const s = sketchOf(repeats);
    assert.equal(s.kind, 'exact');
    assert.equal(sketchTrimmedMean(s, 0.2), trimmedMean(repeats, 0.2));
    assert.equal(sketchPercentile(s, 99), percentile(repeats, 99));
  });

  it('refuses negative, NaN and infinite values, and stores -0 as 0', () => {
    for (const bad of [-1, NaN, Infinity]) assert.throws(() => sketchOf([1, bad]), RangeError);
    assert.ok(Object.is(sketchOf([-0]).min, 0));
  });

  it('merging with an empty sketch changes nothing, whichever form the other has', () => {
    for (const other of [sketchOf([1, 2, 2]), sketchOf(range(300, (i) => 100 + i))]) {
      assert.deepEqual(mergeSketches(sketchOf([]), other), other);
      assert.deepEqual(mergeSketches(other, sketchOf([])), other);
    }
  });

  it('does not modify its inputs', () => {
    const values = [5, 1, 4];
    const a = sketchOf(values);
    const before = JSON.stringify(a);
    mergeSketches(a, sketchOf(range(300, (i) => i)));
    assert.deepEqual(values, [5, 1, 4]);
    assert.equal(JSON.stringify(a), before);
  });
});

describe('ValueSketch: the binned form', () => {
  const lognormal = range(20_000, (i) => Math.round(Math.exp(4 + Math.sin(i * 12.9898) * 1.5) * 100) / 100);
  const s = sketchOf(lognormal);

  it('has 1% bins from FLOOR past CEILING, bin 0 below FLOOR, and clamps the rest into the last bin', () => {
    assert.equal(BIN_COUNT, 1853);
    assert.equal(binIndex(0), 0);
    assert.equal(binIndex(FLOOR / 2), 0);
    assert.equal(binIndex(FLOOR), 1);
    assert.ok(binEdges(BIN_COUNT - 1)[1] >= CEILING);
    assert.equal(binIndex(CEILING * 50), BIN_COUNT - 1);
    for (const v of [0.01, 0.5, 1, 37.5, 999.99, 12345, 899_999]) {
      const [lower, upper] = binEdges(binIndex(v));
      assert.ok(lower <= v && v < upper, `${v} in [${lower}, ${upper})`);
      within(upper / lower, 1.01, 1e-12);
    }
  });

  it('keeps count, mean, stdDev, min and max exact', () => {
    assert.equal(s.kind, 'binned');
    assert.equal(sketchCount(s), lognormal.length);
    within(sketchMean(s), mean(lognormal), 1e-12);
    within(sketchStdDev(s), stdDev(lognormal), 1e-9);
    assert.equal(sketchPercentile(s, 0), Math.min(...lognormal));
    assert.equal(sketchPercentile(s, 100), Math.max(...lognormal));
    within(sketchTrimmedMean(s, 0), mean(lognormal), 1e-12);
  });

  it('gives the trimmed mean and percentiles within RELATIVE_ACCURACY (0.5%)', () => {
    within(RELATIVE_ACCURACY, 0.005, 1e-12);
    for (const discard of [0.05, 0.2, 0.4]) {
      within(sketchTrimmedMean(s, discard), trimmedMean(lognormal, discard), RELATIVE_ACCURACY);
    }
    for (const p of [1, 10, 50, 90, 99, 99.9])
      within(sketchPercentile(s, p), percentile(lognormal, p), RELATIVE_ACCURACY);
  });

  it('lists its bins in order with counts, representatives inside their ranges', () => {
    const entries = sketchEntries(s);
    assert.equal(
      entries.reduce((n, e) => n + e.count, 0),
      lognormal.length,
    );
    for (const [i, e] of entries.entries()) {
      assert.ok(e.lower <= e.value && e.value <= e.upper);
      if (i > 0) assert.ok(entries[i - 1]!.upper <= e.lower);
    }
  });

  it('represents small whole-millisecond values exactly, so the ceil of a billed mean does not move', () => {
    // 90% at 20 ms billed, 10% cold starts spread over 300 distinct values: binned.
    const billed = [...range(2700, () => 20), ...range(300, (i) => 1000 + 7 * i)];
    const b = sketchOf(billed);
    assert.equal(b.kind, 'binned');
    assert.equal(sketchTrimmedMean(b, 0.2), 20);
    assert.equal(sketchPercentile(b, 50), 20);
  });

  it('is exact for values beyond CEILING only at the extremes (min and max are kept)', () => {
    const far = sketchOf([...range(300, (i) => i + 1), 5_000_000]);
    assert.equal(sketchPercentile(far, 100), 5_000_000);
  });
});

describe('ValueSketch: size', () => {
  it('stays at about 6.6 KB of JSON for 100,000 values spread over every bin (the num limit)', () => {
    const s = adversarialSketch(100_000);
    assert.equal(s.kind, 'binned');
    assert.equal(s.kind === 'binned' && s.counts.length, BIN_COUNT);
    assert.ok(jsonSize(s) < 7_000, `${jsonSize(s)} bytes`);
  });

  it('keeps the exact form under 8 KB even with full-precision values and large counts', () => {
    const values = range(EXACT_LIMIT, (i) => 123456.78901234567 + i * 1.0000000001);
    const repeated = values.flatMap((v, i) => range(i < 100 ? 1000 : 10, () => v));
    const s = sketchOf(repeated);
    assert.equal(s.kind, 'exact');
    assert.ok(jsonSize(s) < 8_000, `${jsonSize(s)} bytes`);
  });
});

describe('SizeSummary', () => {
  const ok = (durationMs: number, billedMs = Math.ceil(durationMs), initMs = 0): InvocationResult => ({
    durationMs,
    billedMs,
    initMs,
    coldStart: initMs > 0,
  });
  const failed = (type: string, allowed = false, billedMs = 10): InvocationResult => ({
    ...ok(billedMs),
    error: { type, message: `${type} happened`, allowed },
  });

  it('counts, keeps the first non-allowed error and sketches measured invocations only', () => {
    const invocations = [
      ok(10.5, 11, 300),
      failed('Allowed', true, 12),
      failed('Boom', false, 99),
      ok(20.25),
      failed('Later'),
    ];
    const s = summariseInvocations(invocations);
    assert.equal(s.invocations, 5);
    assert.equal(s.errors, 2);
    assert.equal(s.allowedErrors, 1);
    assert.equal(s.coldStarts, 1);
    assert.deepEqual(s.firstError, { type: 'Boom', message: 'Boom happened' });
    assert.equal(s.billedMsTotal, 11 + 12 + 99 + 21 + 10);
    assert.deepEqual(
      sketchEntries(s.durationMs).map((e) => e.value),
      [10.5, 12, 20.25],
    );
    assert.deepEqual(
      sketchEntries(s.billedMs).map((e) => e.value),
      [11, 12, 21],
    );
    assert.deepEqual(
      sketchEntries(s.initMs).map((e) => e.value),
      [300],
    );
  });

  it('rounds each billed duration up before adding (as every invocation is billed)', () => {
    assert.equal(summariseInvocations([ok(1, 1.2), ok(1, 1.2)]).billedMsTotal, 4);
  });

  it('has no firstError key when nothing failed, and emptySummary is the identity of merge', () => {
    const s = summariseInvocations([ok(1), failed('Allowed', true)]);
    assert.equal('firstError' in s, false);
    assert.deepEqual(mergeSummaries(emptySummary(), s), s);
    assert.deepEqual(mergeSummaries(s, emptySummary()), s);
  });

  it('merging in invocation order keeps the earliest error', () => {
    const a = summariseInvocations([ok(1), failed('First')]);
    const b = summariseInvocations([failed('Second')]);
    assert.equal(mergeSummaries(a, b).firstError?.type, 'First');
    assert.equal(mergeSummaries(b, a).firstError?.type, 'Second');
  });

  it('survives a JSON round trip unchanged', () => {
    const many = range(1000, (i) => ok(5 + ((i * 37) % 997) / 7, undefined, i % 50 === 0 ? 200 + i : 0));
    for (const s of [
      summariseInvocations(many),
      summariseInvocations([ok(-0 + 1), failed('X')]),
      emptySummary(),
    ]) {
      assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
    }
  });
});
