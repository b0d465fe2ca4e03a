/**
 * Model-based exploration of the whole memory range (`exploration: "model"`): measure a few
 * well-spread sizes, fit domain/duration-model.ts, measure the size the model predicts best,
 * then race the measured sizes (as the adaptive policy does) until the choice is settled or the
 * budget is spent. The recommendation is always a measured size: a prediction is never presented
 * as a measurement. Pure and deterministic.
 */
import { checkChoice, decide, newEliminations, type MeasuredSize, type PriceRate } from './decision.js';
import { MB_PER_VCPU, type DurationFit } from './duration-model.js';
import { fitSizes } from './model-choice.js';
import { invocationCost } from './pricing.js';
import { regrets, type SizeOutcome } from './regret.js';
import {
  eliminations,
  feasibleSizes,
  lookSettings,
  MAX_LOOKS,
  share,
  spentInvocations,
  type Round,
  type SamplingSettings,
  type SizeProgress,
} from './sampling-policy.js';

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
 * The first sizes: the two ends, 1,769 MB (one vCPU, where single-threaded code stops getting
 * faster) when inside, and points spread evenly on a log scale between, six in all at most.
 */
export function initialSizes(lowestMb: number, highestMb: number): number[] {
  const points = new Set<number>([lowestMb, highestMb]);
  if (MB_PER_VCPU > lowestMb && MB_PER_VCPU < highestMb) points.add(MB_PER_VCPU);
  const steps = 5;
  for (let i = 1; i < steps && points.size < 6; i++) {
    const power = Math.round(lowestMb * (highestMb / lowestMb) ** (i / steps));
    if ([...points].every((p) => Math.abs(Math.log(p / power)) > 0.25)) points.add(power);
  }
  return [...points].sort((a, b) => a - b);
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
 * The model's regret (domain/regret.ts) of every MB from `lowestMb`: how much worse each size is
 * than the predicted best. With several plausible fits, the worst of their regrets: the choice
 * then holds whichever fit is true (minimax regret), instead of betting on the best fit.
 */
export function modelRegrets(
  fit: DurationFit,
  settings: Pick<ExplorationSettings, 'strategy' | 'tolerance' | 'balancedWeight' | 'highestMb'>,
  lowestMb: number,
  price: PriceRate,
): Map<number, number> {
  const worst = new Map<number, number>();
  for (const curve of fit.alternatives) {
    const outcomes: SizeOutcome[] = [];
    for (let power = lowestMb; power <= settings.highestMb; power++) {
      const duration = curve.expected(power);
      outcomes.push({
        power,
        duration,
        cost: invocationCost(Math.max(1, Math.ceil(duration)), power, price),
      });
    }
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

interface ModelView {
  feasible: MeasuredSize[];
  /** The measured size the model ranks best, when it could be fitted. */
  candidate?: number;
  /** A size worth measuring: predicted meaningfully better than every measured one. */
  toMeasure?: number;
}

/**
 * A new size is worth measuring when the model predicts the measured sizes' best to be more than
 * half the tolerance (or 0.5%) worse than the predicted optimum; closer than that, measuring more
 * sizes would chase the model's own noise.
 */
const worthMeasuring = (settings: ExplorationSettings) => Math.max(0.005, settings.tolerance / 2);

function modelView(settings: ExplorationSettings, sizes: SizeProgress[], price: PriceRate): ModelView {
  const feasible = feasibleSizes(sizes, settings);
  const fit = fitSizes(feasible, settings);
  if (!fit) return { feasible };
  const floor = memoryFloor(sizes, settings);
  const regret = modelRegrets(fit, settings, floor.lowestPossible, price);
  let optimum = leastRegret(regret, [...regret.keys()]) as number;
  // Below the smallest working size nothing is known to work: halve that gap instead of trying
  // one MB above each failure.
  if (optimum < floor.smallestWorking) {
    optimum =
      floor.smallestWorking - floor.lowestPossible < FLOOR_RESOLUTION_MB
        ? floor.smallestWorking
        : Math.round((floor.lowestPossible - 1 + floor.smallestWorking) / 2);
  }
  const candidate = leastRegret(
    regret,
    feasible.map((s) => s.power),
  );
  const measured = sizes.some((s) => s.power === optimum);
  const gain =
    candidate === undefined ? Infinity : (regret.get(candidate) as number) - (regret.get(optimum) ?? 0);
  return {
    feasible,
    ...(candidate !== undefined ? { candidate } : {}),
    ...(!measured && gain > worthMeasuring(settings) ? { toMeasure: optimum } : {}),
  };
}

/**
 * The recommendation: the model's best size once measured, unless a measured size is proven
 * meaningfully better than it; otherwise (no fit, or the model contradicted) the racing decision
 * among the measured sizes.
 */
export function explorationChoice(
  settings: ExplorationSettings,
  sizes: SizeProgress[],
  price: PriceRate,
): { choice: number; settled: boolean } | undefined {
  const { feasible, candidate } = modelView(settings, sizes, price);
  if (feasible.length === 0) return undefined;
  const known = eliminations(feasible);
  const at = lookSettings(settings);
  if (candidate !== undefined) {
    const check = checkChoice(feasible, at, price, candidate, known);
    if (!check.contradicted) return { choice: candidate, settled: check.unconfirmed.length === 0 };
  }
  const decision = decide(feasible, at, price, known);
  return { choice: decision.choice, settled: decision.settled };
}

/** The next round after `look` looks (the first round, initialSizes × num, is look 1). */
export function nextExploration(
  settings: ExplorationSettings,
  sizes: SizeProgress[],
  price: PriceRate,
  look: number,
): ExplorationRound {
  const { feasible, candidate, toMeasure } = modelView(settings, sizes, price);
  if (feasible.length === 0) return { requests: [], stop: 'nothing-feasible' };
  const budget = settings.maxInvocations - spentInvocations(sizes);
  const known = eliminations(sizes);
  const at = lookSettings(settings);
  const decision = decide(feasible, at, price, known);
  const eliminated = newEliminations(decision, known);
  const round = (r: Round): ExplorationRound => ({
    ...r,
    ...(eliminated.length ? { eliminated } : {}),
    ...(candidate !== undefined ? { predicted: toMeasure ?? candidate } : {}),
  });
  if (look >= MAX_LOOKS) return round({ requests: [], stop: 'budget-spent' });
  // A size the model predicts clearly better than every measured one is measured first.
  if (toMeasure !== undefined) {
    return budget >= settings.num
      ? round({ requests: [{ power: toMeasure, count: settings.num }] })
      : round({ requests: [], stop: 'budget-spent' });
  }
  // Confirm the model's choice against the sizes it is not yet proven as good as; if the data
  // contradict it, race the measured sizes instead.
  let targets: number[];
  const check = candidate !== undefined ? checkChoice(feasible, at, price, candidate, known) : undefined;
  if (check && candidate !== undefined && !check.contradicted) {
    if (check.unconfirmed.length === 0) return round({ requests: [], stop: 'settled' });
    targets = [candidate, ...check.unconfirmed];
  } else {
    if (decision.settled) return round({ requests: [], stop: 'settled' });
    targets = decision.decisive;
  }
  const requests = share(
    targets.map((power) => feasible.find((s) => s.power === power) as MeasuredSize),
    budget,
    settings.num,
  );
  return round(requests.length > 0 ? { requests } : { requests: [], stop: 'budget-spent' });
}
