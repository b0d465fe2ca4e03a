/**
 * A compact, bounded, mergeable summary of a multiset of non-negative numbers (durations in ms).
 *
 * While the multiset has at most EXACT_LIMIT distinct values it is kept exactly, as sorted
 * (value, count) pairs, so every statistic equals domain/stats.ts on the raw list. Beyond that
 * it becomes a logarithmic histogram: bin i ≥ 1 covers [FLOOR·γ^(i−1), FLOOR·γ^i) with γ = 1.01,
 * bin 0 covers [0, FLOOR); values at or above the top edge are clamped into the last bin.
 * Count, sum, M2 (Σ squared deviations from the mean), min and max are always exact (up to
 * floating-point rounding), so the mean and the standard deviation never depend on the bins.
 *
 * The result of a merge depends only on the multiset: exact iff it has ≤ EXACT_LIMIT distinct
 * values, else the histogram of all of it. Counts, bins, min and max are therefore identical in
 * any merge order; sum and M2 may differ in the last bits once binned (floating-point addition).
 *
 * Size (checked by test/unit/sample-summary*.test.ts): the dense bin array has at most
 * BIN_COUNT = 1853 slots, one count each. With ≤ 100,000 values (the `num` limit) the worst case,
 * every bin occupied with counts of 2–3 digits, is ~6.6 KB of JSON; it stays under 24 KB for any
 * total below 10^12. The exact form is at most 256 × (a full-precision double + a count) ≈ 7 KB.
 *
 * Pure and deterministic: no Math.log; the bin edges are built by repeated multiplication, which
 * IEEE 754 rounds the same way everywhere, and a value's bin is found by binary search.
 */

/**
 * Distinct values kept exactly. 256 covers ordinary runs (num up to 256, and far more for
 * whole-millisecond billed durations, which repeat) so they reproduce the original tool's numbers
 * exactly, costs at most ~7 KB of JSON (below the histogram's bound), and at n ≈ 256 the sampling
 * error of a mean (≈ CV/16) already exceeds the histogram's 0.5%, so exactness matters less beyond.
 */
export const EXACT_LIMIT = 256;
/** Ratio between consecutive bin edges: bins are 1% wide. */
export const BIN_GROWTH = 1.01;
/** A binned value is represented within this fraction of itself (half a bin), for values ≥ FLOOR. */
export const RELATIVE_ACCURACY = (BIN_GROWTH - 1) / 2;
/** Below this (ms) values share bin 0, represented within FLOOR/2 in absolute terms. */
export const FLOOR = 0.01;
/** The grid reaches at least this (ms): Lambda's 900 s timeout plus init and restore time. */
export const CEILING = 1_000_000;

/** EDGES[j] = FLOOR·γ^j, up to the first edge ≥ CEILING. */
const EDGES: readonly number[] = (() => {
  const edges = [FLOOR];
  while ((edges[edges.length - 1] as number) < CEILING)
    edges.push((edges[edges.length - 1] as number) * BIN_GROWTH);
  return edges;
})();

/** Bin 0 plus one bin per pair of consecutive edges. */
export const BIN_COUNT = EDGES.length;

interface Moments {
  count: number;
  /** Σ values, added in ascending order while exact. */
  sum: number;
  /** Σ (value − mean)²: kept instead of Σ value², which loses precision by cancellation. */
  m2: number;
  /** 0 when count is 0 (JSON has no Infinity). */
  min: number;
  max: number;
}

export interface ExactSketch extends Moments {
  kind: 'exact';
  /** Distinct values, ascending. */
  values: number[];
  /** counts[i] is how often values[i] occurs. */
  counts: number[];
}

export interface BinnedSketch extends Moments {
  kind: 'binned';
  /** Every value ever added was an integer: a bin holding a single integer then stands for it. */
  integers: boolean;
  /** Bin index of counts[0]. */
  offset: number;
  /** Dense counts from offset to the highest occupied bin; both ends are non-zero. */
  counts: number[];
}

/** Plain JSON data: safe in workflow history and activity payloads. */
export type ValueSketch = ExactSketch | BinnedSketch;

/** A value (exact, or a bin's representative) with its multiplicity and the range it stands for. */
export interface SketchEntry {
  value: number;
  count: number;
  /** Equal to value in the exact form; the bin's edges (clamped to min/max) otherwise. */
  lower: number;
  upper: number;
}

function checkValue(v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`sketch values must be finite and ≥ 0, got ${v}`);
  return v === 0 ? 0 : v; // -0 would not survive JSON
}

export function binIndex(v: number): number {
  if (v < FLOOR) return 0;
  // Largest j with EDGES[j] ≤ v, capped so values beyond the grid land in the last bin.
  let lo = 0;
  let hi = EDGES.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((EDGES[mid] as number) <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** [lower, upper) of bin i. */
export function binEdges(i: number): [number, number] {
  return i === 0 ? [0, FLOOR] : [EDGES[i - 1] as number, EDGES[i] as number];
}

/** Sum and M2 of sorted pairs, adding one value at a time in order, as stats.ts would. */
function momentsOf(values: readonly number[], counts: readonly number[]): Moments {
  let count = 0;
  let sum = 0;
  values.forEach((v, i) => {
    for (let c = counts[i] as number; c > 0; c--) sum += v;
    count += counts[i] as number;
  });
  if (count === 0) return { count: 0, sum: 0, m2: 0, min: 0, max: 0 };
  const mean = sum / count;
  let m2 = 0;
  values.forEach((v, i) => {
    for (let c = counts[i] as number; c > 0; c--) m2 += (v - mean) * (v - mean);
  });
  return { count, sum, m2, min: values[0] as number, max: values[values.length - 1] as number };
}

/** Chan et al.'s parallel combination, written symmetrically so a+b and b+a agree bit for bit. */
function mergeMoments(a: Moments, b: Moments): Moments {
  if (a.count === 0) return { ...b };
  if (b.count === 0) return { ...a };
  const count = a.count + b.count;
  const delta = b.sum / b.count - a.sum / a.count;
  return {
    count,
    sum: a.sum + b.sum,
    m2: a.m2 + b.m2 + (delta * delta * (a.count * b.count)) / count,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
}

function exactOf(values: number[], counts: number[]): ValueSketch {
  const exact: ExactSketch = { kind: 'exact', ...momentsOf(values, counts), values, counts };
  return values.length <= EXACT_LIMIT ? exact : toBinned(exact);
}

function toBinned(s: ExactSketch): BinnedSketch {
  const byBin = new Map<number, number>();
  s.values.forEach((v, i) => {
    const bin = binIndex(v);
    byBin.set(bin, (byBin.get(bin) ?? 0) + (s.counts[i] as number));
  });
  const indices = [...byBin.keys()];
  const offset = indices.length === 0 ? 0 : Math.min(...indices);
  const counts = new Array<number>(indices.length === 0 ? 0 : Math.max(...indices) - offset + 1).fill(0);
  for (const [i, c] of byBin) counts[i - offset] = c;
  const { count, sum, m2, min, max } = s;
  return {
    kind: 'binned',
    count,
    sum,
    m2,
    min,
    max,
    integers: s.values.every(Number.isInteger),
    offset,
    counts,
  };
}

/** The sketch of a list of non-negative finite numbers (throws RangeError otherwise). */
export function sketchOf(values: readonly number[]): ValueSketch {
  const sorted = values.map(checkValue).sort((a, b) => a - b);
  const distinct: number[] = [];
  const counts: number[] = [];
  for (const v of sorted) {
    if (distinct[distinct.length - 1] === v)
      counts[counts.length - 1] = (counts[counts.length - 1] as number) + 1;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  return exactOf(distinct, counts);
}

export function emptySketch(): ValueSketch {
  return sketchOf([]);
}

function mergeExact(a: ExactSketch, b: ExactSketch): ValueSketch {
  const values: number[] = [];
  const counts: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.values.length || j < b.values.length) {
    const va = a.values[i] ?? Infinity;
    const vb = b.values[j] ?? Infinity;
    const v = Math.min(va, vb);
    values.push(v);
    counts.push((va === v ? (a.counts[i++] as number) : 0) + (vb === v ? (b.counts[j++] as number) : 0));
  }
  return exactOf(values, counts);
}

/** Both have more than EXACT_LIMIT values, so neither is empty. */
function mergeBinned(a: BinnedSketch, b: BinnedSketch): BinnedSketch {
  const offset = Math.min(a.offset, b.offset);
  const end = Math.max(a.offset + a.counts.length, b.offset + b.counts.length);
  const counts = new Array<number>(end - offset).fill(0);
  a.counts.forEach((c, k) => (counts[a.offset + k - offset] = (counts[a.offset + k - offset] as number) + c));
  b.counts.forEach((c, k) => (counts[b.offset + k - offset] = (counts[b.offset + k - offset] as number) + c));
  return { kind: 'binned', ...mergeMoments(a, b), integers: a.integers && b.integers, offset, counts };
}

/** The sketch of both multisets together; neither input is modified. */
export function mergeSketches(a: ValueSketch, b: ValueSketch): ValueSketch {
  // An empty sketch has no bins: converting it would bring in a spurious offset 0.
  if (a.count === 0) return b;
  if (b.count === 0) return a;
  if (a.kind === 'exact' && b.kind === 'exact') return mergeExact(a, b);
  return mergeBinned(a.kind === 'exact' ? toBinned(a) : a, b.kind === 'exact' ? toBinned(b) : b);
}

export function sketchCount(s: ValueSketch): number {
  return s.count;
}

/** Arithmetic mean from the exact sum; 0 when empty. */
export function sketchMean(s: ValueSketch): number {
  return s.count === 0 ? 0 : s.sum / s.count;
}

/** Population standard deviation from the exact M2; 0 when empty. */
export function sketchStdDev(s: ValueSketch): number {
  return s.count === 0 ? 0 : Math.sqrt(Math.max(0, s.m2) / s.count);
}

/**
 * What stands for the values in bin i: its midpoint, within RELATIVE_ACCURACY of any value in
 * it; for integer data, the bin's only integer when it holds one (bins below ~100 are narrower
 * than 1), so whole-ms billed durations stay exact where a 0.5% error would move their ceil.
 * Clamped to [min, max], so a bin holding only an extreme is exact.
 */
function representative(s: BinnedSketch, i: number): number {
  const [lower, upper] = binEdges(i);
  const onlyInteger = Math.ceil(lower);
  const value =
    s.integers && onlyInteger < upper && onlyInteger + 1 >= upper ? onlyInteger : (lower + upper) / 2;
  return Math.min(s.max, Math.max(s.min, value));
}

/** The distinct values (or bins) in ascending order with their counts. */
export function sketchEntries(s: ValueSketch): SketchEntry[] {
  if (s.kind === 'exact') {
    return s.values.map((value, i) => ({ value, count: s.counts[i] as number, lower: value, upper: value }));
  }
  const entries: SketchEntry[] = [];
  s.counts.forEach((count, k) => {
    if (count === 0) return;
    const [lower, upper] = binEdges(s.offset + k);
    entries.push({
      value: representative(s, s.offset + k),
      count,
      lower: Math.max(lower, s.min),
      upper: Math.min(upper, s.max),
    });
  });
  return entries;
}

/**
 * stats.ts `trimmedMean`: drop k = floor(n·discard) values from each end, average the rest.
 * Exact (bit for bit) in the exact form; within RELATIVE_ACCURACY when binned, because binning
 * keeps order, so the same ranks are kept and only their values are approximated.
 */
export function sketchTrimmedMean(s: ValueSketch, discard: number): number {
  const n = s.count;
  if (n === 0) return 0;
  const k = Math.floor(n * discard);
  const kept = n - 2 * k;
  if (kept <= 0) return 0;
  if (k === 0 && s.kind === 'binned') return sketchMean(s);
  let rank = 0;
  let sum = 0;
  for (const { value, count } of sketchEntries(s)) {
    const from = Math.max(rank, k);
    const to = Math.min(rank + count, n - k);
    // One addition per value in the exact form, to add in the same order as stats.ts.
    if (s.kind === 'exact') for (let r = from; r < to; r++) sum += value;
    else if (to > from) sum += value * (to - from);
    rank += count;
  }
  return sum / kept;
}

/**
 * stats.ts `percentile` (nearest rank): the value at rank max(1, ceil(p/100·n)). Exact in the
 * exact form and at the extreme ranks; otherwise the bin's representative.
 */
export function sketchPercentile(s: ValueSketch, p: number): number {
  if (s.count === 0) return 0;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile p must be in 0..100, got ${p}`);
  const rank = Math.max(1, Math.ceil((p / 100) * s.count));
  if (rank === 1) return s.min;
  if (rank === s.count) return s.max;
  let seen = 0;
  for (const { value, count } of sketchEntries(s)) {
    seen += count;
    if (seen >= rank) return value;
  }
  return s.max;
}
