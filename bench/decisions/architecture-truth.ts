/**
 * The ground truth of the architecture sweep: each architecture's noise-free best size (truth.ts,
 * with that architecture's durations and price), the two optima compared on the strategy's
 * metric, the architecture a right run picks, and the regret of a chosen architecture and size.
 *
 * The metric is the one the choice between passes compares (domain/architectures.ts): the price
 * under cost, the duration under speed; under balanced the original's score, scaled as the main
 * table's regret scales it: by the largest cost and duration over every truly feasible size, here
 * those of both architectures.
 */
import { balancedScore } from '../../domain/strategies.js';
import type { Architecture, Strategy } from '../../domain/types.js';
import type { SyntheticProfile } from '../../emulator/model/types.js';
import { BALANCED_WEIGHT, SIZES, TOLERANCE } from './settings.js';
import { groundTruth, type Truth } from './truth.js';

/** The function's architecture before the tuning (the one the rule keeps unless shown worse). */
export const CURRENT: Architecture = 'x86_64';
/** The architecture it may move to. */
export const OTHER: Architecture = 'arm64';

export interface ArchitectureOptimum {
  /** The least-regret size on this architecture (truth.ts). */
  power: number;
  durationMs: number;
  cost: number;
  /** Its figure on the strategy's metric, lower is better. */
  metric: number;
}

export interface ArchitectureTruth {
  x86_64: ArchitectureOptimum;
  arm64: ArchitectureOptimum;
  /** arm64's optimum against x86_64's on the metric, − 1: negative when arm64 is better. */
  difference: number;
  /** The architecture whose optimum is better (equal: x86_64). */
  best: Architecture;
  /** The optima are within the tolerance of each other: the rule cannot and should not separate them. */
  tie: boolean;
  /** What a right run picks: the better one, or on a tie the function's own (x86_64). */
  right: Architecture;
}

/** The truth of one profile (with its arm64 speed factor) under one strategy, and the metric of any choice. */
export interface ArchitectureGroundTruth {
  truth: ArchitectureTruth;
  /** The metric of a size on an architecture; undefined when the size fails in truth. */
  metricOf: (architecture: Architecture, power: number) => number | undefined;
}

export function architectureTruth(profile: SyntheticProfile, strategy: Strategy): ArchitectureGroundTruth {
  const truths: Record<Architecture, Truth> = {
    x86_64: groundTruth(profile, SIZES, strategy, 0, 'x86_64'),
    arm64: groundTruth(profile, SIZES, strategy, 0, 'arm64'),
  };
  const figures = (Object.values(truths) as Truth[]).flatMap((t) =>
    t.feasible.map((p) => ({ cost: t.cost.get(p) as number, duration: t.durationMs.get(p) as number })),
  );
  const maxCost = Math.max(...figures.map((f) => f.cost));
  const maxDuration = Math.max(...figures.map((f) => f.duration));
  const metricOf = (architecture: Architecture, power: number): number | undefined => {
    const truth = truths[architecture];
    if (!truth.feasible.includes(power)) return undefined;
    const cost = truth.cost.get(power) as number;
    const duration = truth.durationMs.get(power) as number;
    if (strategy === 'cost') return cost;
    if (strategy === 'speed') return duration;
    return balancedScore(
      { power, averagePrice: cost, averageDuration: duration },
      maxCost,
      maxDuration,
      BALANCED_WEIGHT,
    );
  };
  const optimum = (architecture: Architecture): ArchitectureOptimum => {
    const power = truths[architecture].best;
    return {
      power,
      durationMs: truths[architecture].durationMs.get(power) as number,
      cost: truths[architecture].cost.get(power) as number,
      metric: metricOf(architecture, power) as number,
    };
  };
  const x86 = optimum('x86_64');
  const arm = optimum('arm64');
  const difference = arm.metric / x86.metric - 1;
  // The rule moves only beyond the tolerance (arm64 < x86_64 × (1 − tolerance)); so does the truth.
  const tie = Math.abs(difference) <= TOLERANCE;
  const best: Architecture = difference < 0 ? OTHER : CURRENT;
  return {
    truth: { x86_64: x86, arm64: arm, difference, best, tie, right: tie ? CURRENT : best },
    metricOf,
  };
}

/**
 * Regret of choosing `power` on `architecture`: its metric against the better optimum's, − 1,
 * at least 0 (a speed choice within the tolerance of the fastest may be a little faster than the
 * optimum, which is the cheapest among those). A size that fails in truth counts as 100%.
 */
export function pairRegret(
  ground: ArchitectureGroundTruth,
  architecture: Architecture,
  power: number,
): number {
  const metric = ground.metricOf(architecture, power);
  if (metric === undefined) return 1;
  const { truth } = ground;
  return Math.max(0, metric / truth[truth.best].metric - 1);
}
