/**
 * The duration model of model-based exploration: it recovers Lambda's CPU scaling from a few
 * sizes, and its prediction band holds the true duration as often as it claims.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitDurationModel, MB_PER_VCPU, type MeasuredPoint } from '../../domain/duration-model.js';
import { createRng } from '../support/prng.js';

const truth = (io: number, cpu: number, threads: number) => (power: number) =>
  io + cpu / Math.min(power / MB_PER_VCPU, threads, 6);
const POWERS = [128, 343, 922, 1769, 2476, 6640, 10240];

/** The trimmed-mean-like point of n calls with multiplicative noise σ (mean and its variance). */
function measure(
  duration: number,
  n: number,
  sigma: number,
  rng: ReturnType<typeof createRng>,
): MeasuredPoint & { n: number } {
  const values = Array.from({ length: n }, () => duration * Math.exp(sigma * rng.normal()));
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) / n;
  return { power: 0, mean, variance, n };
}

describe('fitDurationModel', () => {
  it('needs three sizes', () => {
    assert.equal(
      fitDurationModel([
        { power: 128, mean: 10, variance: 1 },
        { power: 256, mean: 5, variance: 1 },
      ]),
      undefined,
    );
  });

  it('recovers I/O, CPU and the parallelism from noise-free sizes', () => {
    for (const [io, cpu, threads] of [
      [10, 400, 1],
      [150, 5, 1],
      [20, 3000, 4],
    ] as const) {
      const d = truth(io, cpu, threads);
      const fit = fitDurationModel(
        POWERS.map((power) => ({ power, mean: d(power), variance: (d(power) * 0.01) ** 2 })),
      );
      assert.ok(fit, 'fitted');
      assert.ok(Math.abs(fit.ioMs - io) < 0.01 * io + 0.5, `io ${fit.ioMs} vs ${io}`);
      assert.ok(Math.abs(fit.cpuMs - cpu) < 0.01 * cpu, `cpu ${fit.cpuMs} vs ${cpu}`);
      assert.ok(Math.abs(fit.parallelism - threads) < 0.051, `P ${fit.parallelism} vs ${threads}`);
      for (const power of [200, 1500, 5000])
        assert.ok(Math.abs(fit.expected(power) - d(power)) < 0.01 * d(power));
    }
  });

  it('its 95% band holds the true duration at least 95% of the time', () => {
    const rng = createRng(2026);
    const cases = [
      { io: 10, cpu: 400, threads: 1 },
      { io: 150, cpu: 5, threads: 1 },
      { io: 20, cpu: 3000, threads: 4 },
      { io: 80, cpu: 250, threads: 2 },
    ];
    const probes = [256, 1200, 1769, 3000, 8000];
    let held = 0;
    let total = 0;
    for (let trial = 0; trial < 150; trial++) {
      const c = cases[trial % cases.length]!;
      const d = truth(c.io, c.cpu, c.threads);
      const points = POWERS.map((power) => ({ ...measure(d(power), 10, 0.08, rng), power }));
      const fit = fitDurationModel(points, 0.95);
      assert.ok(fit);
      for (const power of probes) {
        const band = fit.predict(power);
        total++;
        if (band.lower <= d(power) && d(power) <= band.upper) held++;
      }
    }
    // 95% less three binomial standard errors at this many probes.
    const floor = 0.95 - 3 * Math.sqrt((0.95 * 0.05) / total);
    assert.ok(held / total >= floor, `held ${held} of ${total} (${((held / total) * 100).toFixed(1)}%)`);
  });
});
