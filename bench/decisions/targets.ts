/** The targets of the adaptive mode (confidence 0.95), checked per profile × strategy. */
import type { Strategy } from '../../domain/types.js';
import type { Cell } from './aggregate.js';
import { BUDGET_FACTOR } from './settings.js';

export const AGREEMENT_TARGET = 0.95;
/** Largest regret allowed per strategy; balanced has no target of its own. */
export const REGRET_TARGET: Record<Strategy, number | undefined> = {
  cost: 0.01,
  speed: 0.02,
  balanced: undefined,
};

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** What a cell misses, in words; empty when it meets every target. */
export function targetMisses(cell: Cell): string[] {
  const misses: string[] = [];
  if (cell.agreement < AGREEMENT_TARGET) misses.push(`agreement ${pct(cell.agreement)}`);
  const regretTarget = REGRET_TARGET[cell.strategy];
  if (regretTarget !== undefined && cell.maxRegret > regretTarget)
    misses.push(`max regret ${pct(cell.maxRegret)}`);
  if (cell.droppedRuns > 0) misses.push(`dropped a feasible size in ${cell.droppedRuns} runs`);
  if (cell.failedRuns > 0) misses.push(`no recommendation in ${cell.failedRuns} runs`);
  if (cell.maxInvocationRatio > BUDGET_FACTOR)
    misses.push(`invocations ${cell.maxInvocationRatio.toFixed(2)}× the grid`);
  return misses;
}
