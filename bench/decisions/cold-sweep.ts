/**
 * The cold-start sweep: adaptive runs given a `coldStartRate`, so each also measures
 * COLD_SAMPLES_PER_SIZE cold invocations per size (each in a new execution environment) and
 * decides on the blend (1 − rate)·warm + rate·cold; scored against the blended ground truth at
 * the same rate. It measures whether the recommendation moves with the rate as the truth does.
 */
import { performance } from 'node:perf_hooks';
import { COLD_SAMPLES_PER_SIZE } from '../../domain/limits.js';
import type { Strategy } from '../../domain/types.js';
import { aggregate, type Cell } from './aggregate.js';
import type { BenchProfile } from './profiles.js';
import { GRID_INVOCATIONS, SIZES, STRATEGIES } from './settings.js';
import { simulateColdStart } from './simulate.js';
import { groundTruth } from './truth.js';

/** The rates swept: warm only, a few cold starts, half, every invocation cold. */
export const COLD_START_RATES: readonly number[] = [0, 0.1, 0.5, 1];

/**
 * The profiles swept: those whose init dominates the handler, where the blended truth's choice
 * moves with the rate under speed and balanced (`cold-start`: 1.5 s init, constant across memory,
 * against a 50 ms handler; `tiny`: 80 ms init against about 2 ms). Under cost the smallest size
 * stays the cheapest at every rate: a constant init only adds to the cost of more memory.
 */
export const COLD_START_PROFILES: readonly string[] = ['cold-start', 'tiny'];

export interface ColdCell extends Cell {
  coldStartRate: number;
  /** Mean cold invocations of a run / the fixed grid's (num × sizes); included in invocationRatio. */
  coldInvocationRatio: number;
  /** The modal choice is the blended truth's best. */
  follows: boolean;
}

/** One profile × strategy over the rates: the truth's best and the modal choice at each rate. */
export interface ColdTrend {
  profile: string;
  strategy: Strategy;
  /** The blended truth's best, one per rate (in the order of `rates`). */
  best: number[];
  /** The modal choice, one per rate. */
  modal: (number | null)[];
  truthChanges: boolean;
  choiceChanges: boolean;
}

export interface ColdSweep {
  rates: readonly number[];
  coldSamplesPerSize: number;
  /** The sweep's profiles among those selected (none: the sweep did not run). */
  profiles: string[];
  runs: number;
  cells: ColdCell[];
  trends: ColdTrend[];
  /** Cells whose modal choice is the blended truth's best, of all cells. */
  followed: number;
  line: string;
  seconds: number;
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);

export function coldCell(bench: BenchProfile, strategy: Strategy, rate: number, runs: number): ColdCell {
  const truth = groundTruth(bench.profile, SIZES, strategy, rate);
  const outcomes = Array.from({ length: runs }, (_, run) => simulateColdStart(bench, strategy, rate, run));
  const cell = aggregate(bench, strategy, 'adaptive', truth, outcomes);
  return {
    ...cell,
    coldStartRate: rate,
    coldInvocationRatio: mean(outcomes.map((o) => (o.coldInvocations ?? 0) / GRID_INVOCATIONS)),
    follows: cell.modal === truth.best,
  };
}

function trends(cells: ColdCell[], rates: readonly number[]): ColdTrend[] {
  const out: ColdTrend[] = [];
  for (const cell of cells) {
    if (out.some((t) => t.profile === cell.profile && t.strategy === cell.strategy)) continue;
    const mine = rates.map((r) =>
      cells.find((c) => c.profile === cell.profile && c.strategy === cell.strategy && c.coldStartRate === r),
    );
    const best = mine.map((c) => c?.best ?? Number.NaN);
    const modal = mine.map((c) => c?.modal ?? null);
    out.push({
      profile: cell.profile,
      strategy: cell.strategy,
      best,
      modal,
      truthChanges: new Set(best).size > 1,
      choiceChanges: new Set(modal).size > 1,
    });
  }
  return out;
}

/**
 * The strategies whose modal choice changes with the rate: a strategy alone when it changes on
 * every profile swept, else with the profiles it changes on in parentheses; "none" when none.
 */
function changing(list: ColdTrend[], profiles: string[]): string {
  const parts = STRATEGIES.flatMap((strategy) => {
    const on = list.filter((t) => t.strategy === strategy && t.choiceChanges).map((t) => t.profile);
    if (on.length === 0) return [];
    return [on.length === profiles.length ? strategy : `${strategy} (${on.join(', ')})`];
  });
  return parts.length > 0 ? parts.join(', ') : 'none';
}

export function coldLine(sweep: Pick<ColdSweep, 'cells' | 'trends' | 'followed' | 'profiles'>): string {
  if (sweep.profiles.length === 0)
    return `cold starts: not run (none of ${COLD_START_PROFILES.join(', ')} selected)`;
  return (
    `cold starts: the choice follows the blended truth at ${sweep.followed} of ${sweep.cells.length} ` +
    `rate × strategy cells; it changes with the rate for ${changing(sweep.trends, sweep.profiles)}`
  );
}

/** Runs the sweep on the selected profiles that are among COLD_START_PROFILES. */
export function coldStartSweep(
  selected: readonly BenchProfile[],
  runs: number,
  progress: (name: string) => void = () => undefined,
): ColdSweep {
  const started = performance.now();
  const benches = selected.filter((b) => COLD_START_PROFILES.includes(b.name));
  const cells: ColdCell[] = [];
  for (const bench of benches) {
    progress(bench.name);
    for (const strategy of STRATEGIES)
      for (const rate of COLD_START_RATES) cells.push(coldCell(bench, strategy, rate, runs));
  }
  const sweep = {
    rates: COLD_START_RATES,
    coldSamplesPerSize: COLD_SAMPLES_PER_SIZE,
    profiles: benches.map((b) => b.name),
    runs,
    cells,
    trends: trends(cells, COLD_START_RATES),
    followed: cells.filter((c) => c.follows).length,
  };
  return { ...sweep, line: coldLine(sweep), seconds: (performance.now() - started) / 1000 };
}
