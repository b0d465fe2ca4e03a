/**
 * What a model exploration (`exploration: "model"`) plans before it measures anything: the range
 * it searches, the sizes it measures first, what it may spend and what the exhaustive 64-MB grid
 * over the same range would spend. Pure arithmetic, shared by validation, the policy
 * (domain/exploration.ts) and the output.
 */
import { MB_PER_VCPU } from './duration-model.js';
import type { ExplorationRange } from './types.js';

/** Step of the exhaustive grid the exploration is measured against (the original's `"ALL"`). */
export const GRID_STEP_MB = 64;

/**
 * Working sizes the model may add to the first ones (domain/exploration.ts). Where the model fits
 * badly (host spread, heavy tails, memory pressure) each new fit points somewhere else: unbounded,
 * it spent the budget on sizes measured once and let noise pick among a dozen of them (bench:
 * 188% regret).
 */
export const MAX_PROPOSALS = 4;

/** Most sizes measured first (initialSizes). */
const MAX_INITIAL_SIZES = 6;

/** Most sizes a model exploration publishes: the first ones, the proposals and the baseline. */
export const MAX_EXPLORED_SIZES = MAX_INITIAL_SIZES + MAX_PROPOSALS + 1;

/** Share of the exhaustive grid's invocations a model exploration may spend by default. */
export const EXPLORATION_BUDGET_SHARE = 0.1;

/** The range searched: every MB from the smallest to the largest of the sizes given. */
export function explorationRange(powerValues: readonly number[]): ExplorationRange {
  return { lowestMb: Math.min(...powerValues), highestMb: Math.max(...powerValues) };
}

/**
 * The first sizes: the two ends, 1,769 MB (one vCPU, where single-threaded code stops getting
 * faster) when inside, and points spread evenly on a log scale between, six in all at most.
 */
export function initialSizes(lowestMb: number, highestMb: number): number[] {
  const points = new Set<number>([lowestMb, highestMb]);
  if (MB_PER_VCPU > lowestMb && MB_PER_VCPU < highestMb) points.add(MB_PER_VCPU);
  const steps = 5;
  for (let i = 1; i < steps && points.size < MAX_INITIAL_SIZES; i++) {
    const power = Math.round(lowestMb * (highestMb / lowestMb) ** (i / steps));
    if ([...points].every((p) => Math.abs(Math.log(p / power)) > 0.25)) points.add(power);
  }
  return [...points].sort((a, b) => a - b);
}

/** Invocations of the exhaustive 64-MB grid over the range (from its lowest size) at `num` per size. */
export function gridInvocations64({ lowestMb, highestMb }: ExplorationRange, num: number): number {
  return (Math.floor((highestMb - lowestMb) / GRID_STEP_MB) + 1) * num;
}

/**
 * The default budget: a tenth of the 64-MB grid, and at least twice the first round, so a narrow
 * range still leaves room for the sizes the model proposes and for the comparisons.
 */
export function defaultExplorationBudget(range: ExplorationRange, num: number): number {
  const first = num * initialSizes(range.lowestMb, range.highestMb).length;
  return Math.max(Math.floor(gridInvocations64(range, num) * EXPLORATION_BUDGET_SHARE), 2 * first);
}
