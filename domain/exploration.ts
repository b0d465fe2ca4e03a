/**
 * Model-based exploration of the whole memory range (`exploration: "model"`): measure a few
 * well-spread sizes, fit domain/duration-model.ts, and let the model propose which sizes to
 * measure next (its predicted optimum on a grid of candidates, refined to the MB where that is
 * predicted meaningfully better; at most MAX_PROPOSALS of them). The recommendation is decide()'s
 * among the measured sizes, with Lambda's scaling laws and model (the rule for a fixed list of
 * sizes), so it is always a measured size and the model never decides by itself. Pure and
 * deterministic.
 */
import { decide, newEliminations, type MeasuredSize, type PriceRate } from './decision.js';
import { MAX_VCPUS, MB_PER_VCPU, type DurationFit } from './duration-model.js';
import { GRID_STEP_MB, initialSizes, MAX_PROPOSALS } from './exploration-plan.js';
import { fitSizes, modelRegretsAt } from './model-choice.js';
import { invocationCost } from './pricing.js';
import { regrets, type SizeOutcome } from './regret.js';
import {
  eliminations,
  feasibleSizes,
  lookSettings,
  MAX_LOOKS,
  roundShares,
  spentInvocations,
  type Racing,
  type Round,
  type SamplingSettings,
  type SizeProgress,
} from './sampling-policy.js';

export { initialSizes };

export interface ExplorationSettings extends SamplingSettings {
  /** The candidate range, inclusive, in MB (1-MB resolution). */
  lowestMb: number;
  highestMb: number;
}

export interface ExplorationRound extends Round {
  /** The size the model points at this look: to measure, or the measured one it ranks best. */
  predicted?: number;
}

/**
 * What the measured sizes say of a memory floor: sizes at or below the largest one that failed
 * for want of memory (below the smallest that worked) cannot work either.
 */
function memoryFloor(sizes: SizeProgress[], settings: ExplorationSettings) {
  const working = sizes.filter((s) => s.infeasibleReason === undefined).map((s) => s.power);
  const smallestWorking = Math.min(...working, settings.highestMb);
  const failed = sizes
    .filter((s) => s.infeasibleReason !== undefined && s.power < smallestWorking)
    .map((s) => s.power);
  return { lowestPossible: Math.max(settings.lowestMb - 1, ...failed) + 1, smallestWorking };
}

/** A floor is searched by halving the unknown gap until it is narrower than this. */
const FLOOR_RESOLUTION_MB = 64;

/**
 * The model's regret (domain/regret.ts) of each of `powers`: how much worse each size is
 * than the predicted best. With several plausible fits, the worst of their regrets: the choice
 * then holds whichever fit is true (minimax regret), instead of betting on the best fit.
 */
export function modelRegrets(
  fit: DurationFit,
  settings: Pick<ExplorationSettings, 'strategy' | 'tolerance' | 'balancedWeight'>,
  powers: number[],
  price: PriceRate,
): Map<number, number> {
  const worst = new Map<number, number>();
  for (const curve of fit.alternatives) {
    const outcomes: SizeOutcome[] = powers.map((power) => {
      const duration = curve.expected(power);
      return { power, duration, cost: invocationCost(Math.max(1, Math.ceil(duration)), power, price) };
    });
    for (const [power, r] of regrets(
      settings.strategy,
      outcomes,
      settings.tolerance,
      settings.balancedWeight,
    ))
      worst.set(power, Math.max(worst.get(power) ?? 0, r));
  }
  return worst;
}

/** The size with the least regret among `powers` (ties: the lower one). */
function leastRegret(regret: Map<number, number>, powers: number[]): number | undefined {
  let best: number | undefined;
  for (const power of [...powers].sort((a, b) => a - b)) {
    const r = regret.get(power);
    if (r !== undefined && (best === undefined || r < (regret.get(best) as number))) best = power;
  }
  return best;
}

/**
 * The sizes the model may ask to measure between `lowestMb` and `highestMb`: the 64-MB grid from
 * the lowest size, every whole vCPU (1,769 MB × k, where code on k threads stops getting faster)
 * and the highest size. A fixed set keeps repeated tunings on the same few sizes, and the knees
 * are where the speed optimum of whole-thread code lies, to the MB.
 */
export function candidateSizes(lowestMb: number, highestMb: number, from = lowestMb): number[] {
  const points = new Set<number>([highestMb]);
  for (let p = lowestMb; p <= highestMb; p += GRID_STEP_MB) if (p >= from) points.add(p);
  for (let k = 1; k <= MAX_VCPUS; k++) {
    const knee = MB_PER_VCPU * k;
    if (knee >= from && knee <= highestMb) points.add(knee);
  }
  if (from > lowestMb) points.add(from);
  return [...points].sort((a, b) => a - b);
}

/**
 * A new size is worth measuring when the model predicts the measured sizes' best to be more than
 * the tolerance (at least 0.5%) worse than the predicted optimum. Closer than that the user counts
 * the two as equally good, and measuring more sizes only chases the fit's noise: each run then
 * recommends a different size a few MB away (bench: agreement 35–70% on flat optima with half the
 * tolerance, 100% with all of it).
 */
const worthMeasuring = (settings: ExplorationSettings) => Math.max(0.005, settings.tolerance);

/**
 * How an exploration races, given the racing its run was started with: sticky racing with
 * Lambda's scaling laws and its scaling model, so the recommendation among the measured sizes is
 * decide()'s, the same rule as for a fixed list of sizes; focused too in runs started since
 * focused racing (domain/README.md "Focused racing"), `sticky-model` in those started before.
 */
export function explorationRacing(runRacing: Racing | undefined): Racing {
  return runRacing === 'sticky-focused' ? 'sticky-focused' : 'sticky-model';
}

const explorationLook = (settings: ExplorationSettings) =>
  lookSettings({ ...settings, racing: explorationRacing(settings.racing) });

/**
 * Sizes worth measuring next: the model's optimum on the candidate grid under the likelihood-
 * weighted regret decide() ranks measured sizes by (domain/model-choice.ts), and the minimax
 * one that holds whichever plausible fit is true, each when not measured yet and predicted
 * meaningfully better than every measured size. The model only proposes; decide() recommends.
 */
export function sizesToMeasure(
  settings: ExplorationSettings,
  sizes: SizeProgress[],
  price: PriceRate,
): number[] {
  const feasible = feasibleSizes(sizes, settings);
  if ((settings.coldStartRate ?? 0) > 0) return [];
  const first = new Set(initialSizes(settings.lowestMb, settings.highestMb));
  const proposed = feasible.filter((s) => !first.has(s.power)).length;
  if (proposed >= MAX_PROPOSALS) return [];
  const fit = fitSizes(feasible, settings);
  if (!fit) return [];
  const floor = memoryFloor(sizes, settings);
  const candidates = candidateSizes(settings.lowestMb, settings.highestMb, floor.lowestPossible);
  const measuredPowers = feasible.map((s) => s.power);
  // The blend decide() ranks by first, then the minimax hedge.
  const rules = [
    (powers: number[]) => modelRegretsAt(fit, powers, settings, price),
    (powers: number[]) => modelRegrets(fit, settings, powers, price),
  ];

  const wanted = new Set<number>();
  for (const rule of rules) {
    const grid = leastRegret(rule([...new Set([...candidates, ...measuredPowers])]), candidates) as number;
    // Around the grid's optimum, every MB: taken only when predicted meaningfully better, since
    // some optima are edges (speed: the smallest size within the tolerance of the fastest).
    // Regrets are relative to the sizes compared, so one set holds them all.
    const around = Array.from({ length: 2 * GRID_STEP_MB - 1 }, (_, i) => grid - GRID_STEP_MB + 1 + i).filter(
      (p) => p >= floor.lowestPossible && p <= settings.highestMb,
    );
    const regret = rule([...new Set([...candidates, ...measuredPowers, ...around])]);
    let optimum = leastRegret(regret, candidates) as number;
    const fineOptimum = leastRegret(regret, around);
    if (
      fineOptimum !== undefined &&
      (regret.get(optimum) as number) - (regret.get(fineOptimum) as number) > settings.tolerance / 10
    )
      optimum = fineOptimum;
    // Below the smallest working size nothing is known to work: halve that gap instead of
    // trying one size above each failure.
    if (optimum < floor.smallestWorking) {
      optimum =
        floor.smallestWorking - floor.lowestPossible < FLOOR_RESOLUTION_MB
          ? floor.smallestWorking
          : Math.round((floor.lowestPossible - 1 + floor.smallestWorking) / 2);
    }
    if (sizes.some((s) => s.power === optimum)) continue;
    const measuredBest = leastRegret(regret, measuredPowers);
    const gain =
      measuredBest === undefined
        ? Infinity
        : (regret.get(measuredBest) as number) - (regret.get(optimum) ?? 0);
    if (gain > worthMeasuring(settings)) wanted.add(optimum);
    if (proposed + wanted.size >= MAX_PROPOSALS) break;
  }
  return [...wanted].sort((a, b) => a - b);
}

/** The recommendation: decide() among the measured sizes (scaling laws and model included). */
export function explorationChoice(
  settings: ExplorationSettings,
  sizes: SizeProgress[],
  price: PriceRate,
): { choice: number; settled: boolean } | undefined {
  const feasible = feasibleSizes(sizes, settings);
  if (feasible.length === 0) return undefined;
  const decision = decide(feasible, explorationLook(settings), price, eliminations(feasible));
  return { choice: decision.choice, settled: decision.settled };
}

/** The next round after `look` looks (the first round, initialSizes × num, is look 1). */
export function nextExploration(
  settings: ExplorationSettings,
  sizes: SizeProgress[],
  price: PriceRate,
  look: number,
): ExplorationRound {
  const feasible = feasibleSizes(sizes, settings);
  if (feasible.length === 0) return { requests: [], stop: 'nothing-feasible' };
  const toMeasure = sizesToMeasure(settings, sizes, price);
  const budget = settings.maxInvocations - spentInvocations(sizes);
  const known = eliminations(sizes);
  const decision = decide(feasible, explorationLook(settings), price, known);
  const eliminated = newEliminations(decision, known);
  const round = (r: Round): ExplorationRound => ({
    ...r,
    ...(eliminated.length ? { eliminated } : {}),
    predicted: toMeasure[0] ?? decision.choice,
  });
  if (look >= MAX_LOOKS) return round({ requests: [], stop: 'budget-spent' });
  // Sizes the model predicts clearly better than every measured one are measured first.
  if (toMeasure.length > 0) {
    const affordable = toMeasure.slice(0, Math.floor(budget / settings.num));
    return affordable.length > 0
      ? round({ requests: affordable.map((power) => ({ power, count: settings.num })) })
      : round({ requests: [], stop: 'budget-spent' });
  }
  if (decision.settled) return round({ requests: [], stop: 'settled' });
  const targets = decision.decisive.map((power) => feasible.find((s) => s.power === power) as MeasuredSize);
  const requests = roundShares(
    { ...settings, racing: explorationRacing(settings.racing) },
    targets,
    decision,
    budget,
  );
  return round(requests.length > 0 ? { requests } : { requests: [], stop: 'budget-spent' });
}
