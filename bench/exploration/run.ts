/**
 * One simulated tuning with `exploration: "model"` over the whole range, in-process: the same
 * policy as domain/exploration.ts, fed by the decision benchmark's simulated sizes.
 */
import {
  explorationChoice,
  initialSizes,
  nextExploration,
  type ExplorationSettings,
} from '../../domain/exploration.js';
import {
  defaultExplorationBudget,
  EXPLORATION_BUDGET_SHARE,
  gridInvocations64,
} from '../../domain/exploration-plan.js';
import { feasibleSizes, type StopReason } from '../../domain/sampling-policy.js';
import type { Strategy } from '../../domain/types.js';
import { SizeUnderTest } from '../decisions/measure.js';
import type { BenchProfile } from '../decisions/profiles.js';
import { NUM, PRICE, samplingSettings } from '../decisions/settings.js';
import type { RunOutcome } from '../decisions/simulate.js';

export const LOWEST_MB = 128;
export const HIGHEST_MB = 10240;
const RANGE = { lowestMb: LOWEST_MB, highestMb: HIGHEST_MB };
/** The exhaustive 64-MB grid (`"ALL"`: 128 to 10,240 MB, 159 sizes) at the same num. */
export const GRID64_INVOCATIONS = gridInvocations64(RANGE, NUM);
/** The budget, as validation gives it to `"ALL"` by default: a tenth of that grid. */
export const BUDGET_SHARE = EXPLORATION_BUDGET_SHARE;

/** The policy stops on its own (budget, looks); this only guards against a bug. */
const MAX_ROUNDS = 50;

export function explorationSettings(strategy: Strategy): ExplorationSettings {
  return {
    ...samplingSettings('adaptive', strategy),
    lowestMb: LOWEST_MB,
    highestMb: HIGHEST_MB,
    maxInvocations: defaultExplorationBudget(RANGE, NUM),
  };
}

export function simulateExploration(bench: BenchProfile, strategy: Strategy, run: number): RunOutcome {
  const settings = explorationSettings(strategy);
  const sizes = new Map<number, SizeUnderTest>();
  const size = (power: number) => {
    let s = sizes.get(power);
    // Spread over the adaptive mode's environments, as bench/decisions measures fixed sizes.
    if (!s)
      sizes.set(
        power,
        (s = new SizeUnderTest(bench, power, run, 'out-of-memory', 'x86_64', settings.environments ?? 1)),
      );
    return s;
  };
  for (const power of initialSizes(LOWEST_MB, HIGHEST_MB)) size(power).invoke(NUM);
  const progress = () => [...sizes.values()].map((s) => s.progress);
  let rounds = 1;
  let stop: StopReason | undefined;
  while (stop === undefined && rounds < MAX_ROUNDS) {
    const round = nextExploration(settings, progress(), PRICE, rounds);
    for (const { power, by } of round.eliminated ?? []) size(power).progress.eliminatedBy ??= by;
    if (round.stop) stop = round.stop;
    else {
      for (const request of round.requests) size(request.power).invoke(request.count);
      rounds += 1;
    }
  }
  if (stop === undefined)
    throw new Error(`${bench.name}: exploration did not stop after ${MAX_ROUNDS} rounds`);
  const chosen = explorationChoice(settings, progress(), PRICE);
  const feasible = new Set(feasibleSizes(progress(), settings).map((s) => s.power));
  return {
    ...(chosen ? { choice: chosen.choice } : {}),
    invocations: [...sizes.values()].reduce((sum, s) => sum + s.invocations, 0),
    infeasible: [...sizes.keys()].filter((p) => !feasible.has(p)),
    rounds,
    stop,
  };
}
