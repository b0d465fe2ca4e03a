/**
 * What every simulated tuning of the decision benchmark shares: the memory grid, the price, and
 * the three ways of deciding that are compared (the original's rule, the fixed grid with the
 * statistical decision, and adaptive racing).
 */
import type { DecisionSettings } from '../../domain/decision.js';
import { growthCap } from '../../domain/environment-growth.js';
import { DEFAULT_DISCARD_TOP_BOTTOM } from '../../domain/limits.js';
import { lambdaPrice } from '../../domain/pricing.js';
import type { SamplingSettings } from '../../domain/sampling-policy.js';
import type { Architecture, Strategy, TuningConfig } from '../../domain/types.js';
import { validateInput } from '../../domain/validate.js';

/** 11 sizes from 128 MB to 10,240 MB, 1,769 MB (one vCPU) among them. */
export const SIZES: readonly number[] = [128, 256, 512, 1024, 1536, 1769, 2048, 3008, 4096, 6144, 10240];

/** Invocations per size of the fixed grid, and of the adaptive policy's first round. */
export const NUM = 10;
/** The adaptive policy may spend this many times the fixed grid. */
export const BUDGET_FACTOR = 3;
/** The grid's invocations: the unit of the "invocations" column. */
export const GRID_INVOCATIONS = NUM * SIZES.length;

export const REGION = 'us-east-1';
/** The region's price of an architecture (arm64: 20% less per GB-second, the same request fee). */
export const priceOf = (architecture: Architecture) => lambdaPrice(REGION, architecture);
export const PRICE = priceOf('x86_64');
export const BALANCED_WEIGHT = 0.5;
export const DISCARD_TOP_BOTTOM = DEFAULT_DISCARD_TOP_BOTTOM;
export const CONFIDENCE = 0.95;
/** The adaptive mode's tolerance; also the "within tolerance of the fastest" of the speed regret. */
export const TOLERANCE = 0.01;
/** A size whose error rate is at most this is feasible (in truth and for the policy). */
export const MAX_ERROR_RATE = 0.1;

export const STRATEGIES: readonly Strategy[] = ['cost', 'speed', 'balanced'];

export type Mode = 'original' | 'fixed' | 'adaptive';
export const MODES: readonly Mode[] = ['original', 'fixed', 'adaptive'];

export const MODE_NOTES: Record<Mode, string> = {
  original: `fixed grid of ${NUM}, trimmed means compared as they are (chooseOptimal); any error makes a size infeasible`,
  fixed: `fixed grid of ${NUM}, decide() at confidence ${CONFIDENCE}, tolerance 0`,
  adaptive: `racing from ${NUM} per size over ${adaptiveEnvironments()} environments each, decide() at confidence ${CONFIDENCE}, tolerance ${TOLERANCE}, at most ${BUDGET_FACTOR}× the grid`,
};

function decisionSettings(strategy: Strategy, tolerance: number): DecisionSettings {
  return {
    strategy,
    balancedWeight: BALANCED_WEIGHT,
    discardTopBottom: DISCARD_TOP_BOTTOM,
    confidence: CONFIDENCE,
    tolerance,
  };
}

/**
 * The sampling settings of the two modes that use domain/sampling-policy.ts. With a cold-start
 * rate (the cold-start sweep; adaptive only), the run also measures each size's cold invocations
 * and decide() compares the blend of warm and cold figures at that rate.
 */
export function samplingSettings(
  mode: Exclude<Mode, 'original'>,
  strategy: Strategy,
  coldStartRate?: number,
): SamplingSettings {
  if (mode === 'fixed') {
    return {
      ...decisionSettings(strategy, 0),
      policy: 'fixed',
      num: NUM,
      maxInvocations: GRID_INVOCATIONS,
      maxErrorRate: MAX_ERROR_RATE,
    };
  }
  return {
    ...decisionSettings(strategy, TOLERANCE),
    policy: 'adaptive',
    racing: 'sticky-focused',
    num: NUM,
    maxInvocations: BUDGET_FACTOR * GRID_INVOCATIONS,
    maxErrorRate: MAX_ERROR_RATE,
    environments: adaptiveEnvironments(),
    // As the workflow turns it on when a size's first calls were all cold starts.
    warmUnmeasured: true,
    // The model's pick costs more than a size still in the race only for a proven speed-up.
    provenSpeedup: true,
    // As runs since the `last-round-takes-rest` patch spend what is left in their last round.
    lastRoundTakesRest: true,
    ...(coldStartRate !== undefined ? { coldStartRate } : {}),
  };
}

/**
 * Environments per size of an adaptive run that leaves `environments` out: from the tuner's own
 * validation (domain/validate.ts), so the benchmark follows its default, not a copy of it.
 */
function adaptiveEnvironments(): number {
  return validateInput({
    lambdaARN: 'bench-decisions',
    num: NUM,
    powerValues: [...SIZES],
    confidence: CONFIDENCE,
  }).environments;
}

/** The constraints column: a latency bound at this percentile, under this strategy. */
export const CONSTRAINT_PERCENTILE = 95;
export const CONSTRAINT_STRATEGY: Strategy = 'cost';

/**
 * The adaptive mode with a latency bound, on the budget a user gets who leaves maxInvocations
 * out: the tuner's own validation fills it in (domain/validate.ts: room for a few sizes to reach
 * the samples a percentile's upper bound needs), so the benchmark follows that rule, not a copy.
 * `budgetFactor` multiplies it (`--constraint-budget`), to see what a larger budget buys.
 */
export function constrainedSettings(maxDurationMs: number, budgetFactor = 1): SamplingSettings {
  const config = validateInput({
    lambdaARN: 'bench-decisions',
    num: NUM,
    powerValues: [...SIZES],
    strategy: CONSTRAINT_STRATEGY,
    confidence: CONFIDENCE,
    tolerance: TOLERANCE,
    maxErrorRate: MAX_ERROR_RATE,
    constraints: { percentile: CONSTRAINT_PERCENTILE, maxDurationMs },
  });
  const { constraints, maxInvocations, policy } = config.sampling;
  const { environments } = config;
  if (policy !== 'adaptive' || !constraints) throw new Error('validation dropped the adaptive constraints');
  return {
    ...samplingSettings('adaptive', CONSTRAINT_STRATEGY),
    maxInvocations: maxInvocations * budgetFactor,
    constraints,
    // With a latency bound the tuner's default spreads over more environments.
    environments,
    // As runs started since the `host-aware-constraints` patch judge them (workflows/sampling.ts).
    hostAwareConstraints: true,
    // And as those since the `latency-growth` patch sample and spread them.
    likelyFirst: true,
    contendUntilShown: true,
    growEnvironmentsTo: growthCap(SIZES.length, 0),
  };
}

/**
 * The tuner's own config of an adaptive run over both architectures with the adaptive mode's
 * settings, for domain/analysis.ts (the architecture sweep). From the tuner's validation, so its
 * defaults apply (the budget is the default: 3 × the grid); throws if they drift from the mode's.
 */
export function architecturesConfig(strategy: Strategy): TuningConfig {
  const config = validateInput({
    lambdaARN: 'bench-decisions',
    num: NUM,
    powerValues: [...SIZES],
    strategy,
    balancedWeight: BALANCED_WEIGHT,
    discardTopBottom: DISCARD_TOP_BOTTOM,
    confidence: CONFIDENCE,
    tolerance: TOLERANCE,
    maxErrorRate: MAX_ERROR_RATE,
    architectures: ['x86_64', 'arm64'],
  });
  const mode = samplingSettings('adaptive', strategy);
  if (config.sampling.policy !== 'adaptive' || config.sampling.maxInvocations !== mode.maxInvocations)
    throw new Error("the tuner's adaptive defaults differ from the adaptive mode of the benchmark");
  return config;
}
