/**
 * The output of a model exploration: the sizes measured, what they cost against the 64-MB grid,
 * and the fitted curve, whose points are predictions marked apart from the measured sizes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explorationReport } from '../../domain/exploration-report.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import type { MeasuredSize } from '../../domain/decision.js';
import { createRng } from '../support/prng.js';

const RANGE = { lowestMb: 128, highestMb: 10240 };

/** Single-threaded: 10 ms of I/O and 400 ms of CPU at one vCPU, 3% noise per call. */
function measuredSizes(powers: number[], seed = 1): MeasuredSize[] {
  const rng = createRng(seed);
  return powers.map((power) => ({
    power,
    summary: summariseInvocations(
      Array.from({ length: 20 }, () => {
        const d = (10 + 400 / Math.min(power / 1769, 1)) * Math.exp(0.03 * rng.normal());
        return { durationMs: d, billedMs: Math.ceil(d), initMs: 0, coldStart: false };
      }),
    ),
  }));
}

const base = { range: RANGE, num: 10, discardTopBottom: 0.2, confidence: 0.95 };

void describe('exploration report', () => {
  void it('lists the measured sizes and states their cost against the 64-MB grid', () => {
    const powers = [10240, 128, 1769, 739, 4263];
    const report = explorationReport({
      ...base,
      invokedPowers: powers,
      feasible: measuredSizes(powers),
      invocationsSpent: 150,
    });
    assert.deepEqual(report.measured, [128, 739, 1769, 4263, 10240]);
    assert.equal(report.grid64Invocations, 1590);
    assert.equal(report.shareOfGrid64, 150 / 1590);
    assert.equal(
      report.statement.split(';')[0],
      'Measured 5 of the 10,113 sizes from 128 to 10,240 MB with 150 invocations, 9.4% of the 1,590 the exhaustive 64-MB grid would make',
    );
    assert.match(report.statement, /the curve between them is a prediction .*, not a measurement\.$/);
  });

  void it('predicts on the 64-MB grid and at every measured size, marking only those as measured', () => {
    const powers = [128, 739, 1769, 4263, 10240];
    const curve = explorationReport({
      ...base,
      invokedPowers: powers,
      feasible: measuredSizes(powers),
      invocationsSpent: 100,
    }).curve;
    assert.ok(curve);
    assert.equal(curve.level, 0.95);
    assert.deepEqual(
      curve.points.filter((p) => p.measured).map((p) => p.power),
      powers,
    );
    const grid = curve.points.filter((p) => (p.power - 128) % 64 === 0);
    assert.equal(grid.length, 159);
    assert.equal(curve.points.at(-1)?.power, 10240);
    // Single-threaded code: the fit finds one thread and the knee at 1,769 MB.
    assert.ok(curve.parallelism < 1.3, `parallelism ${curve.parallelism}`);
    const at = (power: number) => curve.points.find((p) => p.power === power);
    const knee = at(1769);
    assert.ok(knee && knee.lower <= 410 && 410 <= knee.upper, `band at 1,769 MB: ${JSON.stringify(knee)}`);
    assert.ok(
      (at(128)?.duration ?? 0) > 10 * (at(10240)?.duration ?? Infinity),
      'slow at 128 MB, flat past the knee',
    );
  });

  void it('fits no curve to fewer than three sizes, and says so', () => {
    const report = explorationReport({
      ...base,
      invokedPowers: [128, 10240, 1769],
      feasible: measuredSizes([128, 10240]),
      invocationsSpent: 30,
    });
    assert.equal(report.curve, undefined);
    assert.deepEqual(report.measured, [128, 1769, 10240], 'a size that failed was still measured');
    assert.match(report.statement, /too few sizes could be measured to fit a curve\.$/);
  });
});
