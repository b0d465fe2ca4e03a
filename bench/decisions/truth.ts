/**
 * The ground truth of a profile: noise-free, error-free durations from the duration model, the
 * price users pay for them, and the regret of choosing a size under each strategy. The price is
 * the expected bill of a call over the profile's per-call noise (relative and additive; not the
 * rare outliers or a host's bias): Lambda bills each call rounded up to the ms, so a call of
 * 1.8 ± 0.2 ms costs 2 ms on some calls and 3 ms on others, not the 2 ms of its noise-free duration. With a cold-start rate r,
 * each size's figures are the blend (1 − r)·warm + r·cold, where a cold invocation is the warm one
 * plus the profile's Init Duration, reported and billed as the emulator does (Duration + Init,
 * Init billed: `billedFor`, billInit true). On arm64 (the architecture sweep) the durations take the
 * profile's arm64 speed factor and the price is arm64's.
 */
import {
  billedFor,
  billedMs,
  noiseFreeDuration,
  noiseMs,
  roundDuration,
} from '../../emulator/invoke/cpu-model.js';
import { normalQuantile } from '../../domain/distributions.js';
import type { SyntheticProfile } from '../../emulator/model/types.js';
import { blend } from '../../domain/estimates.js';
import { invocationCost } from '../../domain/pricing.js';
import { regrets } from '../../domain/regret.js';
import type { Architecture, Strategy } from '../../domain/types.js';
import { BALANCED_WEIGHT, MAX_ERROR_RATE, priceOf, TOLERANCE } from './settings.js';

export interface Truth {
  /** Sizes that work in truth: not below the memory floor, error rate at most the limit. */
  feasible: number[];
  /** Warm, or blended with the cold figures at `coldStartRate`. */
  durationMs: Map<number, number>;
  /**
   * Price of one invocation: its expected bill over the per-call noise (whole ms, at least 1,
   * per call); with a cold-start rate, blended with the price of a cold invocation (Init billed too).
   */
  cost: Map<number, number>;
  /** Regret of each feasible size (0 = as good as it gets). */
  regret: Map<number, number>;
  /** The feasible size with the least regret (ties: lower power). */
  best: number;
  /** The share of cold invocations the figures are blended at (absent or 0: warm only). */
  coldStartRate?: number;
}

export function isFeasibleInTruth(profile: SyntheticProfile, power: number): boolean {
  return (profile.minMemoryMb === 0 || power >= profile.minMemoryMb) && profile.errorRate <= MAX_ERROR_RATE;
}

const at = (map: Map<number, number>, power: number): number => {
  const value = map.get(power);
  if (value === undefined) throw new Error(`no true value for ${power} MB`);
  return value;
};

/** Points of the noise grid per dimension: fine enough that the expected bill is exact to 0.01%. */
const GRID = 400;
/** The standard normal at the middles of GRID equal-probability strata. */
const NORMAL_GRID = Array.from({ length: GRID }, (_, i) => normalQuantile((i + 0.5) / GRID));
const UNIFORM_GRID = Array.from({ length: GRID }, (_, i) => (i + 0.5) / GRID);

/**
 * The mean of `bill(duration)` over the profile's per-call noise: its multiplicative lognormal
 * factor and its additive noise, each integrated on an equal-probability grid (deterministic).
 */
function expectedBill(profile: SyntheticProfile, noiseFreeMs: number, bill: (reportedMs: number) => number) {
  const sigma = profile.relativeNoise ?? 0;
  const factors = sigma > 0 ? NORMAL_GRID.map((z) => Math.exp(sigma * z)) : [1];
  const { distribution, size } = profile.noise;
  const additive =
    distribution === 'none' || size === 0
      ? [0]
      : distribution === 'uniform'
        ? UNIFORM_GRID.map((u) => noiseMs('uniform', size, u, 0))
        : NORMAL_GRID.map((z) => z * size);
  let total = 0;
  for (const factor of factors)
    for (const noise of additive) total += bill(roundDuration(Math.max(0, noiseFreeMs * factor + noise)));
  return total / (factors.length * additive.length);
}

/** One size's noise-free warm and cold figures (duration in ms, expected price of one invocation). */
export function trueFigures(
  profile: SyntheticProfile,
  power: number,
  architecture: Architecture = 'x86_64',
): { warm: { durationMs: number; cost: number }; cold: { durationMs: number; cost: number } } {
  const price = priceOf(architecture);
  const warmMs = noiseFreeDuration(profile, power, architecture);
  // As the emulator reports a call: Duration with two decimals, plus the Init Duration.
  const initMs = roundDuration(profile.coldStartMs);
  const warmBill = expectedBill(profile, warmMs, billedMs);
  const coldBill = expectedBill(profile, warmMs, (reported) => billedFor(reported, initMs, true));
  return {
    warm: { durationMs: warmMs, cost: invocationCost(warmBill, power, price) },
    cold: { durationMs: warmMs + profile.coldStartMs, cost: invocationCost(coldBill, power, price) },
  };
}

export function groundTruth(
  profile: SyntheticProfile,
  sizes: readonly number[],
  strategy: Strategy,
  coldStartRate = 0,
  architecture: Architecture = 'x86_64',
): Truth {
  const feasible = sizes.filter((p) => isFeasibleInTruth(profile, p));
  if (feasible.length === 0) throw new Error('a benchmark profile needs at least one feasible size');
  const figures = new Map(sizes.map((p) => [p, trueFigures(profile, p, architecture)]));
  const pick = (p: number, metric: 'durationMs' | 'cost'): number => {
    const f = figures.get(p);
    if (!f) throw new Error(`no true value for ${p} MB`);
    return coldStartRate > 0 ? blend(f.warm[metric], f.cold[metric], coldStartRate) : f.warm[metric];
  };
  const durationMs = new Map(sizes.map((p) => [p, pick(p, 'durationMs')]));
  const cost = new Map(sizes.map((p) => [p, pick(p, 'cost')]));
  const regret = regrets(
    strategy,
    feasible.map((power) => ({ power, duration: at(durationMs, power), cost: at(cost, power) })),
    TOLERANCE,
    BALANCED_WEIGHT,
  );
  const best = [...feasible].sort((a, b) => at(regret, a) - at(regret, b) || a - b)[0] as number;
  return { feasible, durationMs, cost, regret, best, coldStartRate };
}

/** Regret of a choice; a choice the truth calls infeasible (cannot happen in practice) counts as 100%. */
export function regretOf(truth: Truth, choice: number): number {
  return truth.regret.get(choice) ?? 1;
}
