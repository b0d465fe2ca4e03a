/** The exploration benchmark's "Within 1%" column: which sizes a cell's target leaves open. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Truth } from '../../bench/decisions/truth.js';
import { regretWindow } from '../../bench/exploration/window.js';

const truthWith = (regret: [number, number][], best: number): Truth => ({
  feasible: regret.map(([power]) => power),
  durationMs: new Map(),
  cost: new Map(),
  regret: new Map(regret),
  best,
});

void describe('regretWindow', () => {
  void it('counts the sizes at or under the target and spans them, gaps included', () => {
    const truth = truthWith(
      [
        [1000, 0.03],
        [1001, 0.01],
        [1002, 0.004],
        [1003, 0.02],
        [1004, 0],
        [1005, 0.012],
      ],
      1004,
    );
    assert.deepEqual(regretWindow(truth, 0.01), { sizes: 3, lowest: 1001, highest: 1004 });
    assert.deepEqual(regretWindow(truth, 0.001), { sizes: 1, lowest: 1004, highest: 1004 });
  });

  void it('leaves out sizes the truth calls infeasible', () => {
    const truth = truthWith([[512, 0]], 512);
    truth.regret.set(256, 0); // no regret recorded as feasible: a floor below 512 MB
    assert.deepEqual(regretWindow(truth, 0.01), { sizes: 1, lowest: 512, highest: 512 });
  });

  void it('is empty, spanning the best, when even the best misses the target', () => {
    const truth = truthWith(
      [
        [1365, 0.0095],
        [1769, 0.28],
      ],
      1365,
    );
    assert.deepEqual(regretWindow(truth, 0.005), { sizes: 0, lowest: 1365, highest: 1365 });
  });
});
