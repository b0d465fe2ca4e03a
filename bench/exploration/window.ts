/**
 * How wide a cell's target is: the sizes whose true regret is within the regret target. A choice
 * outside them misses, however sure the run is, so a window a few MB wide asks a run to place the
 * optimum to a few MB from a tenth of the grid's invocations (bench/README.md).
 */
import type { Truth } from '../decisions/truth.js';

export interface RegretWindow {
  /** How many 1-MB sizes are within the target (0: not even the best is; the span is then the best). */
  sizes: number;
  /** The smallest and the largest of them (there may be gaps between). */
  lowest: number;
  highest: number;
}

export function regretWindow(truth: Truth, target: number): RegretWindow {
  const within = truth.feasible.filter((power) => (truth.regret.get(power) ?? Infinity) <= target);
  if (within.length === 0) return { sizes: 0, lowest: truth.best, highest: truth.best };
  return { sizes: within.length, lowest: Math.min(...within), highest: Math.max(...within) };
}
