/**
 * The ground truth of a profile: noise-free, error-free durations from the duration model, their
 * billed cost, and the regret of choosing a size under each strategy.
 */
import { billedMs, noiseFreeDuration, roundDuration } from '../../emulator/invoke/cpu-model.js';
import type { SyntheticProfile } from '../../emulator/model/types.js';
import { invocationCost } from '../../domain/pricing.js';
import { regrets } from '../../domain/regret.js';
import type { Strategy } from '../../domain/types.js';
import { BALANCED_WEIGHT, MAX_ERROR_RATE, PRICE, TOLERANCE } from './settings.js';

export interface Truth {
  /** Sizes that work in truth: not below the memory floor, error rate at most the limit. */
  feasible: number[];
  durationMs: Map<number, number>;
  /** Price of one warm invocation: the noise-free duration billed (whole ms, at least 1). */
  cost: Map<number, number>;
  /** Regret of each feasible size (0 = as good as it gets). */
  regret: Map<number, number>;
  /** The feasible size with the least regret (ties: lower power). */
  best: number;
}

export function isFeasibleInTruth(profile: SyntheticProfile, power: number): boolean {
  return (profile.minMemoryMb === 0 || power >= profile.minMemoryMb) && profile.errorRate <= MAX_ERROR_RATE;
}

const at = (map: Map<number, number>, power: number): number => {
  const value = map.get(power);
  if (value === undefined) throw new Error(`no true value for ${power} MB`);
  return value;
};

export function groundTruth(profile: SyntheticProfile, sizes: readonly number[], strategy: Strategy): Truth {
  const feasible = sizes.filter((p) => isFeasibleInTruth(profile, p));
  if (feasible.length === 0) throw new Error('a benchmark profile needs at least one feasible size');
  const durationMs = new Map(sizes.map((p) => [p, noiseFreeDuration(profile, p)]));
  const cost = new Map(
    sizes.map((p) => [p, invocationCost(billedMs(roundDuration(at(durationMs, p))), p, PRICE)]),
  );
  const regret = regrets(
    strategy,
    feasible.map((power) => ({ power, duration: at(durationMs, power), cost: at(cost, power) })),
    TOLERANCE,
    BALANCED_WEIGHT,
  );
  const best = [...feasible].sort((a, b) => at(regret, a) - at(regret, b) || a - b)[0] as number;
  return { feasible, durationMs, cost, regret, best };
}

/** Regret of a choice; a choice the truth calls infeasible (cannot happen in practice) counts as 100%. */
export function regretOf(truth: Truth, choice: number): number {
  return truth.regret.get(choice) ?? 1;
}
