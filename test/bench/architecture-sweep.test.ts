/**
 * The decision benchmark's architecture sweep (bench/decisions/architecture-sweep.ts): its truth
 * on cases whose answer follows from the model (durations × the arm64 factor, arm64 20% cheaper
 * per GB-second), its scoring of a few runs on one profile, and that the x86_64 pass is the
 * adaptive mode's run, analysed as the workflow analyses it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeTuning } from '../../domain/analysis.js';
import { architectureTruth, pairRegret } from '../../bench/decisions/architecture-truth.js';
import { architectureSweep } from '../../bench/decisions/architecture-sweep.js';
import { PROFILES, withArm64Factor, type BenchProfile } from '../../bench/decisions/profiles.js';
import { architecturesConfig, REGION } from '../../bench/decisions/settings.js';
import { simulatePass, simulateTuning } from '../../bench/decisions/simulate.js';
import type { Architecture, Strategy } from '../../domain/types.js';

const profile = (name: string): BenchProfile => {
  const found = PROFILES.find((p) => p.name === name);
  if (!found) throw new Error(`no profile ${name}`);
  return found;
};
const cpuBound = profile('cpu-bound');
const truthOf = (factor: number, strategy: Strategy) =>
  architectureTruth(withArm64Factor(cpuBound, factor).profile, strategy);

void describe('architecture sweep of the decision benchmark', () => {
  void it('knows the better architecture where the model decides it', () => {
    // Durations × 0.6 at every size: the same best size, 40% faster.
    const fast = truthOf(0.6, 'speed').truth;
    assert.equal(fast.arm64.power, fast.x86_64.power);
    assert.ok(Math.abs(fast.difference + 0.4) < 1e-9, `${fast.difference}`);
    assert.equal(fast.right, 'arm64');
    assert.equal(fast.tie, false);
    // Same speed: a tie under speed (keep x86_64), but arm64 is cheaper per GB-second; the request
    // fee, the same on both, keeps the saving under 20%.
    const sameSpeed = truthOf(1, 'speed').truth;
    assert.equal(sameSpeed.difference, 0);
    assert.equal(sameSpeed.tie, true);
    assert.equal(sameSpeed.right, 'x86_64');
    const sameCost = truthOf(1, 'cost').truth;
    assert.ok(sameCost.difference > -0.2 && sameCost.difference < -0.15, `${sameCost.difference}`);
    assert.equal(sameCost.right, 'arm64');
    // 25% slower at 80% of the price: the same cost, within the tolerance.
    const evenCost = truthOf(1.25, 'cost').truth;
    assert.equal(evenCost.tie, true);
    assert.equal(evenCost.right, 'x86_64');
    const slow = truthOf(1.6, 'balanced').truth;
    assert.equal(slow.best, 'x86_64');
    assert.equal(slow.right, 'x86_64');
    assert.ok(slow.difference > 0.01);
  });

  void it('scores the regret of a pair against the better optimum', () => {
    const ground = truthOf(0.6, 'speed');
    const best = ground.truth.arm64.power;
    assert.equal(pairRegret(ground, 'arm64', best), 0);
    // The same size on x86_64 takes 1 / 0.6 as long.
    assert.ok(Math.abs(pairRegret(ground, 'x86_64', best) - (1 / 0.6 - 1)) < 1e-9);
    // A size that fails in truth counts as 100%.
    const floor = architectureTruth(withArm64Factor(profile('memory-floor'), 0.8).profile, 'cost');
    assert.equal(pairRegret(floor, 'arm64', 128), 1);
  });

  void it('analyses the x86_64 pass to the adaptive mode’s choice, and measures arm64 with its factor', () => {
    for (const strategy of ['cost', 'speed'] as const) {
      const config = architecturesConfig(strategy);
      for (let run = 0; run < 2; run++) {
        const analysed = (bench: BenchProfile, architecture: Architecture) => {
          const sample = simulatePass(bench, strategy, architecture, run);
          return analyzeTuning({
            config,
            stop: sample.stop,
            ...(sample.racing ? { racing: sample.racing } : {}),
            functionName: bench.name,
            region: REGION,
            architecture,
            results: sample.sizes,
          });
        };
        const x86 = analysed(cpuBound, 'x86_64');
        assert.equal(x86.power, simulateTuning(cpuBound, strategy, 'adaptive', run).choice);
        const arm = analysed(withArm64Factor(cpuBound, 0.6), 'arm64');
        const at = (output: typeof x86) =>
          output.results.find((r) => r.power === 1769)?.averageDuration ?? NaN;
        const ratio = at(arm) / at(x86);
        assert.ok(ratio > 0.55 && ratio < 0.65, `arm64 / x86_64 at 1769 MB: ${ratio}`);
      }
    }
  });

  void it('runs on one profile and scores each run against the truth', () => {
    const runs = 3;
    const sweep = architectureSweep(PROFILES, runs, undefined, {
      factors: [0.6, 1.6],
      profiles: ['cpu-bound'],
    });
    assert.deepEqual(sweep.profiles, ['cpu-bound']);
    assert.equal(sweep.cells.length, 2 * 3);
    for (const cell of sweep.cells) {
      const chosenRight = cell.choices[cell.truth.right] ?? 0;
      assert.equal(cell.rightShare, chosenRight / runs);
      assert.equal(cell.meets, cell.rightShare >= 0.95);
      assert.ok(cell.maxRegret >= cell.meanRegret && cell.meanRegret >= 0);
    }
    const at = (factor: number, strategy: Strategy) => {
      const cell = sweep.cells.find((c) => c.speedFactor === factor && c.strategy === strategy);
      if (!cell) throw new Error(`no cell ${factor} ${strategy}`);
      return cell;
    };
    // 40% faster on arm64: every run moves, beyond the noise; 60% slower: every run stays.
    const fast = at(0.6, 'speed');
    assert.equal(fast.truth.right, 'arm64');
    assert.deepEqual(fast.choices, { arm64: runs });
    assert.deepEqual(fast.differences, { better: runs });
    assert.equal(fast.rightShare, 1);
    for (const strategy of ['cost', 'speed', 'balanced'] as const) {
      const slow = at(1.6, strategy);
      assert.equal(slow.truth.right, 'x86_64');
      assert.deepEqual(slow.choices, { x86_64: runs });
      assert.deepEqual(slow.differences, { indistinguishable: runs });
    }
    assert.equal(sweep.met, sweep.cells.filter((c) => c.meets).length);
    assert.match(
      sweep.line,
      /^architectures: the right architecture in ≥ 95% of runs in \d of 6 profile × factor × strategy cells; lowest \d+\.\d% \(cpu-bound, arm64 × [\d.]+, \w+\); max regret \d+\.\d{2}%$/,
    );
  });

  void it('is skipped when none of its profiles is selected', () => {
    const sweep = architectureSweep([profile('tiny')], 2);
    assert.deepEqual(sweep.cells, []);
    assert.match(
      sweep.line,
      /^architectures: not run \(none of cpu-bound, io-bound, multi-threaded selected\)$/,
    );
  });
});
