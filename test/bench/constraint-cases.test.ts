/**
 * Where the decision benchmark's constraints column puts its latency bounds
 * (bench/decisions/constraint-cases.ts): between two sizes' true percentiles with a margin on each
 * side, binding where it can, and below every size for the none-meets case.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOUND_MARGIN, constraintCases } from '../../bench/decisions/constraint-cases.js';
import type { TruePercentile } from '../../bench/decisions/true-percentiles.js';
import type { Truth } from '../../bench/decisions/truth.js';

/** Sizes with their true percentile (±1% Monte Carlo interval; undefined: fails in truth) and cost. */
function setup(rows: [power: number, p95: number | undefined, cost: number][]) {
  const feasible = rows.filter(([, p95]) => p95 !== undefined).map(([power]) => power);
  const truth: Truth = {
    feasible,
    durationMs: new Map(),
    cost: new Map(rows.map(([power, , cost]) => [power, cost])),
    regret: new Map(),
    best: feasible[0] as number,
  };
  const percentiles = new Map<number, TruePercentile | undefined>(
    rows.map(([power, p95]) => [
      power,
      p95 === undefined
        ? undefined
        : { power, estimate: p95, lower: p95 * 0.99, upper: p95 * 1.01, n: 20_000 },
    ]),
  );
  return { truth, percentiles };
}

const cases = (rows: Parameters<typeof setup>[0]) => {
  const { truth, percentiles } = setup(rows);
  return constraintCases(truth, percentiles, 95);
};

void describe('constraint cases of the decision benchmark', () => {
  void it('splits the sizes near the middle of their ranking, clear of both neighbours', () => {
    const [meets, none] = cases([
      [128, 1000, 1.0],
      [256, 500, 1.1],
      [512, 250, 1.2],
      [1024, 200, 1.3],
      [1536, 190, 1.5],
      [1769, 190, 2.0],
    ]);
    assert.equal(meets?.kind, 'meets');
    // 200 vs 190 is too close for the margin: the cut goes between 250 and 200.
    assert.deepEqual(meets?.meeting, [1024, 1536, 1769]);
    assert.equal(meets?.truthChoice, 1024);
    const bound = meets?.maxDurationMs ?? NaN;
    assert.ok(
      bound > 200 * 1.01 * (1 + BOUND_MARGIN) && bound < (250 * 0.99) / (1 + BOUND_MARGIN),
      `${bound}`,
    );
    assert.ok((meets?.marginBelow ?? 0) >= BOUND_MARGIN && (meets?.marginAbove ?? 0) >= BOUND_MARGIN);
    assert.equal(none?.kind, 'none-meets');
    assert.deepEqual(none?.meeting, []);
    assert.equal(none?.truthChoice, undefined);
    assert.ok((none?.maxDurationMs ?? Infinity) * (1 + BOUND_MARGIN) <= 190 * 0.99 + 1e-9);
  });

  void it('chooses the cheapest meeting size, not the smallest, and skips sizes that fail in truth', () => {
    const [meets] = cases([
      [128, undefined, 0.5],
      [256, undefined, 0.6],
      [512, 800, 1.0],
      [1024, 400, 1.0],
      [2048, 200, 0.9],
      [4096, 100, 1.2],
    ]);
    // Middle cut (between 400 and 200); the cheapest overall (2048) meets it, so a cut it fails
    // is preferred: between 200 and 100, where 4096 alone meets.
    assert.deepEqual(meets?.meeting, [4096]);
    assert.equal(meets?.truthChoice, 4096);
  });

  void it('has no meets case when every size has the same percentile', () => {
    const all = cases([
      [1769, 300, 1.0],
      [2048, 300, 1.2],
    ]);
    assert.deepEqual(
      all.map((c) => c.kind),
      ['none-meets'],
    );
  });
});
