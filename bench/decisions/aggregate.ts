/** From the runs of one profile × strategy × mode to the figures of one table row. */
import type { Strategy } from '../../domain/types.js';
import type { BenchProfile } from './profiles.js';
import { GRID_INVOCATIONS, type Mode } from './settings.js';
import type { RunOutcome } from './simulate.js';
import { isFeasibleInTruth, regretOf, type Truth } from './truth.js';

export interface Cell {
  profile: string;
  strategy: Strategy;
  mode: Mode | 'model';
  runs: number;
  /** The least-regret size in truth. */
  best: number;
  /** The size chosen most often (ties: lower power); null when no run chose anything. */
  modal: number | null;
  /** Share of runs choosing the modal size. */
  agreement: number;
  /** Share of runs choosing the least-regret size. */
  bestShare: number;
  /** Over the runs that chose a size. */
  maxRegret: number;
  meanRegret: number;
  /** Mean invocations of a run / the fixed grid's (num × sizes). */
  invocationRatio: number;
  maxInvocationRatio: number;
  /** Runs in which a size that works in truth was judged infeasible. */
  droppedRuns: number;
  /** Runs with no feasible size, so no recommendation. */
  failedRuns: number;
  /** How often each size was chosen, by power. */
  choices: Record<string, number>;
  /** Mean rounds of invocations. */
  meanRounds: number;
  /** How the runs stopped: settled, budget-spent, grid-complete, original, nothing-feasible. */
  stops: Record<string, number>;
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);

export function aggregate(
  bench: BenchProfile,
  strategy: Strategy,
  mode: Mode | 'model',
  truth: Truth,
  outcomes: RunOutcome[],
  /** The unit of the invocation ratio (default: the fixed grid, num × the 11 sizes). */
  gridInvocations = GRID_INVOCATIONS,
): Cell {
  const choices: Record<string, number> = {};
  for (const o of outcomes) if (o.choice !== undefined) choices[o.choice] = (choices[o.choice] ?? 0) + 1;
  const ranked = Object.entries(choices).sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]));
  const modal = ranked[0] ? Number(ranked[0][0]) : null;
  const chosen = outcomes.filter((o) => o.choice !== undefined).map((o) => o.choice as number);
  const regrets = chosen.map((c) => regretOf(truth, c));
  const ratios = outcomes.map((o) => o.invocations / gridInvocations);
  return {
    profile: bench.name,
    strategy,
    mode,
    runs: outcomes.length,
    best: truth.best,
    modal,
    agreement: ranked[0] ? ranked[0][1] / outcomes.length : 0,
    bestShare: chosen.filter((c) => c === truth.best).length / outcomes.length,
    maxRegret: regrets.length > 0 ? Math.max(...regrets) : 0,
    meanRegret: mean(regrets),
    invocationRatio: mean(ratios),
    maxInvocationRatio: Math.max(...ratios),
    droppedRuns: outcomes.filter((o) => o.infeasible.some((p) => isFeasibleInTruth(bench.profile, p))).length,
    failedRuns: outcomes.filter((o) => o.choice === undefined).length,
    choices,
    meanRounds: mean(outcomes.map((o) => o.rounds)),
    stops: outcomes.reduce<Record<string, number>>(
      (acc, o) => ({ ...acc, [o.stop]: (acc[o.stop] ?? 0) + 1 }),
      {},
    ),
  };
}

export interface ModeTotals {
  mode: Mode;
  /** Over every run of the mode. */
  maxRegret: number;
  meanRegret: number;
  /** The lowest agreement of any profile × strategy (the target holds for every one). */
  agreement: number;
  /** Mean agreement over the profile × strategy cells. */
  meanAgreement: number;
  maxInvocationRatio: number;
  droppedRuns: number;
  failedRuns: number;
}

/** The headline figures of one mode over all its cells (mean regret weighted by runs). */
export function totals(mode: Mode, cells: Cell[]): ModeTotals {
  const mine = cells.filter((c) => c.mode === mode);
  const chosenRuns = mine.map((c) => c.runs - c.failedRuns);
  const weighted = mine.reduce((s, c, i) => s + c.meanRegret * (chosenRuns[i] as number), 0);
  const runs = chosenRuns.reduce((s, n) => s + n, 0);
  return {
    mode,
    maxRegret: Math.max(0, ...mine.map((c) => c.maxRegret)),
    meanRegret: runs > 0 ? weighted / runs : 0,
    agreement: Math.min(1, ...mine.map((c) => c.agreement)),
    meanAgreement: mean(mine.map((c) => c.agreement)),
    maxInvocationRatio: Math.max(0, ...mine.map((c) => c.maxInvocationRatio)),
    droppedRuns: mine.reduce((s, c) => s + c.droppedRuns, 0),
    failedRuns: mine.reduce((s, c) => s + c.failedRuns, 0),
  };
}
