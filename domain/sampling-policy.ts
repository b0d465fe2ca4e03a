/**
 * How many more invocations each size gets, decided from the measurements so far. Pure and
 * deterministic: the workflow runs "while the policy asks for samples: invoke a round; merge".
 *
 * - fixed: the original's grid, `num` per size in one round.
 * - adaptive (racing / successive elimination with fixed confidence): `num` per size first, then
 *   only the sizes whose samples can still change the choice get more, doubling their samples
 *   each round, until the decision is settled or the invocation budget is spent. A size once
 *   proven meaningfully worse stays out; for that to hold across looks, the confidence is split
 *   evenly over at most MAX_LOOKS looks at the data (a union bound, like the one over pairs).
 */
import {
  decide,
  newEliminations,
  type Decision,
  type DecisionSettings,
  type MeasuredSize,
  type PriceRate,
} from './decision.js';
import { decideWithin } from './constrained-decision.js';
import { hasConstraints, latencySamplesNeeded } from './constraints.js';
import { growContested } from './environment-growth.js';
import { proportionInterval } from './intervals.js';
import type { ConstraintsConfig } from './types.js';
import type { SizeSummary } from './sample-summary.js';

export interface SamplingSettings extends DecisionSettings {
  /** A size is infeasible when its error rate is proven above this (lower Wilson bound). */
  maxErrorRate: number;
  policy: 'fixed' | 'adaptive';
  /** First round per size (the whole grid with the fixed policy). */
  num: number;
  /** Most invocations of the whole run, first round included (adaptive only). */
  maxInvocations: number;
  /**
   * How the adaptive policy races. sticky: eliminations hold, the confidence is split over the
   * looks, samples go where they can change the choice. per-look: the first adaptive policy
   * (every look judged alone, every contender sampled), kept so its recorded runs replay.
   */
  racing?: Racing;
  /** Bounds the choice must meet (sticky racing samples the sizes whose verdict is open). */
  constraints?: ConstraintsConfig;
  /** Aliases per size the calls are shared among (domain/environments.ts); absent: one. */
  environments?: number;
  /**
   * Sizes whose every call so far was a cold start (each environment's first, kept out of the
   * durations) get a round of their own before the sizes are compared, instead of being left
   * out; off in runs started before it (workflows/sampling.ts).
   */
  warmUnmeasured?: boolean;
  /**
   * With a latency bound judged with the hosts' variance: a contested size may be spread over up
   * to this many environments (domain/environment-growth.ts). Absent in runs started before it.
   */
  growEnvironmentsTo?: number;
  /**
   * The round after look MAX_LOOKS − 1, the last one a run can make, shares every invocation left
   * among its sizes instead of doubling them: with a budget larger than the looks' doublings
   * reach, a run otherwise stopped at its last look with most of the budget unspent (and said it
   * was spent). Absent in runs started before it (workflows/sampling.ts).
   */
  lastRoundTakesRest?: boolean;
}

/**
 * sticky-laws: sticky racing whose decisions also use Lambda's scaling laws (decision.ts);
 * sticky-model: that, and the scaling model's pick among the contenders (model-choice.ts);
 * sticky-pooled: that, the model billing each size at the ms rounding pooled over every size's
 * calls (model-choice.ts billingOffsets); sticky-focused: that, the cost law also checked by pooled
 * contrasts (DecisionSettings.pooledLawConfidence), and a choice that is only the best estimate
 * sampled where it can be overturned (focusedShare).
 */
export type Racing =
  'sticky-focused' | 'sticky-pooled' | 'sticky-model' | 'sticky-laws' | 'sticky' | 'per-look';

const MODEL_RACINGS: readonly (Racing | undefined)[] = ['sticky-model', 'sticky-pooled', 'sticky-focused'];
const POOLED_ROUNDING_RACINGS: readonly (Racing | undefined)[] = ['sticky-pooled', 'sticky-focused'];

/** Looks at the data an adaptive run may take; with doubling rounds, far more than a budget allows. */
export const MAX_LOOKS = 8;

export interface SizeProgress {
  power: number;
  summary: SizeSummary;
  /** With a cold-start rate: the cold invocations (fresh versions), measured once before the rounds. */
  cold?: SizeSummary;
  /**
   * Spread over several environments (domain/environments.ts): `summary` again, per environment,
   * in the order of the size's aliases. Absent for a size measured in one.
   */
  environments?: SizeSummary[];
  /** Set once the size cannot be measured (e.g. out of memory): it gets no more samples. */
  infeasibleReason?: string;
  /** The first function error as the run reports it, for the infeasible reason. */
  firstFailure?: string;
  /** Proven meaningfully worse than this size at an earlier look: it gets no more samples. */
  eliminatedBy?: number;
}

export interface RoundRequest {
  power: number;
  count: number;
  /**
   * Spread the size over this many environments from now on, more than it has: the new ones are
   * published before the round (domain/environment-growth.ts). Absent: as it is.
   */
  environments?: number;
}

export type StopReason = 'grid-complete' | 'settled' | 'budget-spent' | 'nothing-feasible';

export interface Round {
  requests: RoundRequest[];
  /** Set when no more rounds are needed, with why. */
  stop?: StopReason;
  /** Sizes this look proved meaningfully worse (power → the size they lost to); sticky racing. */
  eliminated?: { power: number; by: number }[];
}

/**
 * The settings each look's decision is taken with. Sticky racing shares the run's error among
 * MAX_LOOKS looks, so every elimination and the final verdicts hold together at `confidence`.
 */
export function lookSettings(settings: SamplingSettings): SamplingSettings {
  if (settings.policy !== 'adaptive' || !isSticky(settings.racing)) return settings;
  return {
    ...settings,
    confidence: 1 - (1 - settings.confidence) / MAX_LOOKS,
    ...(settings.racing === 'sticky-laws' || usesModel(settings.racing) ? { scalingLaws: true } : {}),
    ...(usesModel(settings.racing) ? { scalingModel: true } : {}),
    ...(POOLED_ROUNDING_RACINGS.includes(settings.racing) ? { pooledRounding: true } : {}),
    // The run's confidence, not the look's: the check is no verdict, so it needs no share per look.
    ...(settings.racing === 'sticky-focused' ? { pooledLawConfidence: settings.confidence } : {}),
  };
}

/** Whether the racing lets the scaling model guide the choice (domain/model-choice.ts). */
export function usesModel(racing: Racing | undefined): boolean {
  return MODEL_RACINGS.includes(racing);
}

/** Whether eliminations hold across looks (every racing but the first, per-look one). */
export function isSticky(racing: Racing | undefined): boolean {
  return racing === 'sticky' || racing === 'sticky-laws' || usesModel(racing);
}

/** The eliminations recorded so far, as decide() takes them. */
export function eliminations(
  sizes: readonly { power: number; eliminatedBy?: number }[],
): Map<number, number> {
  return new Map(
    sizes.flatMap((s) => (s.eliminatedBy === undefined ? [] : [[s.power, s.eliminatedBy] as const])),
  );
}

/**
 * Errors outside allowedExceptions are measured, not fatal: a size is out only when its error
 * rate is proven (at the run's confidence) to exceed maxErrorRate, or when nothing succeeded.
 */
export function errorInfeasibility(
  summary: SizeSummary,
  settings: Pick<SamplingSettings, 'maxErrorRate' | 'confidence'>,
  /** The first failure as the run reports it (the original's wording), when known. */
  firstFailure?: string,
  /** How many sizes are judged together: the confidence is shared among them (Bonferroni). */
  sizeCount = 1,
): string | undefined {
  if (summary.errors === 0) return undefined;
  const first = firstFailure
    ? `: ${firstFailure}`
    : summary.firstError
      ? ` (first error ${summary.firstError.type}: ${summary.firstError.message})`
      : '';
  if (summary.errors === summary.invocations) return `all ${summary.invocations} invocations failed${first}`;
  const level = 1 - (1 - settings.confidence) / Math.max(1, sizeCount);
  const rate = proportionInterval(summary.errors, summary.invocations, level);
  if (rate.lower > settings.maxErrorRate) {
    return (
      `${summary.errors} of ${summary.invocations} invocations failed (error rate ${(rate.estimate * 100).toFixed(1)}%, ` +
      `at least ${(rate.lower * 100).toFixed(1)}% at ${+(level * 100).toFixed(2)}% confidence, above the ${(settings.maxErrorRate * 100).toFixed(1)}% allowed)${first}`
    );
  }
  return undefined;
}

/** Not ruled out: no resource failure, and no error rate proven too high. */
function stillFeasible(size: SizeProgress, settings: SamplingSettings, sizeCount: number): boolean {
  return !size.infeasibleReason && !errorInfeasibility(size.summary, settings, undefined, sizeCount);
}

/** The sizes the decision is made among: still feasible, with at least one measurement. */
export function feasibleSizes(sizes: SizeProgress[], settings: SamplingSettings): MeasuredSize[] {
  return sizes.filter((s) => stillFeasible(s, settings, sizes.length) && s.summary.durationMs.count > 0);
}

/**
 * Sizes still feasible whose calls were all cold starts: every environment's first call is one,
 * and a function whose calls rotate among several environments of a version (after a burst, say)
 * can spend a whole first round on them.
 */
export function unwarmedSizes(sizes: SizeProgress[], settings: SamplingSettings): SizeProgress[] {
  return sizes.filter(
    (s) =>
      s.summary.invocations > 0 &&
      s.summary.durationMs.count === 0 &&
      s.eliminatedBy === undefined &&
      stillFeasible(s, settings, sizes.length),
  );
}

/** The first round: `num` for every size, under both policies. */
export function firstRound(powers: number[], num: number): Round {
  return { requests: powers.map((power) => ({ power, count: num })) };
}

export function spentInvocations(sizes: SizeProgress[]): number {
  return sizes.reduce((sum, s) => sum + s.summary.invocations, 0);
}

/**
 * The next round after `look` looks at the data (the first round is look 1), or why there is none.
 */
export function nextRound(
  settings: SamplingSettings,
  sizes: SizeProgress[],
  price: PriceRate,
  look = 1,
): Round {
  if (settings.policy === 'fixed') {
    const requests = sizes.flatMap((s) => fixedRequest(settings, s, sizes.length) ?? []);
    return requests.length > 0 ? { requests } : { requests: [], stop: 'grid-complete' };
  }
  const unwarmed = settings.warmUnmeasured ? unwarmedSizes(sizes, settings) : [];
  const left = settings.maxInvocations - spentInvocations(sizes);
  if (unwarmed.length > 0 && look < MAX_LOOKS && left >= unwarmed.length) {
    const each = Math.min(settings.num, Math.floor(left / unwarmed.length));
    return { requests: unwarmed.map((s) => ({ power: s.power, count: each })) };
  }
  const feasible = feasibleSizes(sizes, settings);
  if (feasible.length === 0) return { requests: [], stop: 'nothing-feasible' };
  if (!isSticky(settings.racing)) return perLookRound(settings, sizes, feasible, price);

  const known = eliminations(sizes);
  const outcome = decideWithin(feasible, lookSettings(settings), price, known, settings.constraints);
  const eliminated = outcome.decision ? newEliminations(outcome.decision, known) : [];
  const done = (stop: StopReason): Round => ({
    requests: [],
    stop,
    ...(eliminated.length ? { eliminated } : {}),
  });
  if (outcome.settled) return done('settled');
  if (look >= MAX_LOOKS) return done('budget-spent');

  const targets = outcome.decisive.map((power) => feasible.find((s) => s.power === power) as MeasuredSize);
  // A latency bound has no verdict before a percentile's upper bound exists: a size sampled for
  // it gets that many calls at once, not a doubling at a time.
  const least = settings.constraints
    ? Math.max(
        settings.num,
        latencySamplesNeeded(
          settings.constraints,
          settings.confidence,
          sizes.length,
          MAX_LOOKS,
          settings.hostAwareConstraints === true,
        ),
      )
    : settings.num;
  const shares =
    settings.lastRoundTakesRest === true && look === MAX_LOOKS - 1
      ? share(targets, left, Math.ceil(left / Math.max(1, targets.length)))
      : roundShares(settings, targets, outcome.decision, left, least);
  const requests =
    settings.growEnvironmentsTo !== undefined
      ? growContested(shares, sizes, outcome.judged, least, settings.growEnvironmentsTo)
      : shares;
  return requests.length > 0
    ? { requests, ...(eliminated.length ? { eliminated } : {}) }
    : done('budget-spent');
}

/**
 * Whether the policy decides each size's next request from that size's samples alone (the fixed
 * grid), so a size can go on as soon as its own round ends; adaptive looks compare the sizes and
 * need the whole round.
 */
export function decidesPerSize(settings: Pick<SamplingSettings, 'policy'>): boolean {
  return settings.policy === 'fixed';
}

/**
 * The fixed grid's next request for one size of `sizeCount`: failed invocations are replaced, up
 * to half the grid again, so a sporadic error costs a size a measurement, not its place.
 * Undefined once the size has its grid or is out.
 */
export function fixedRequest(
  settings: SamplingSettings,
  size: SizeProgress,
  sizeCount: number,
): RoundRequest | undefined {
  if (!stillFeasible(size, settings, sizeCount)) return undefined;
  const count = Math.min(
    settings.num - size.summary.durationMs.count,
    settings.num + Math.ceil(settings.num / 2) - size.summary.invocations,
  );
  return count > 0 ? { power: size.power, count } : undefined;
}

/**
 * Splits what is left of the budget among the sizes to sample, each asking to double its
 * samples (at least `num`): doubling keeps the number of rounds, and the history, logarithmic.
 * The fewest-sampled go first, so a tight budget goes where it narrows intervals most.
 */
export function share(targets: MeasuredSize[], budget: number, num: number): RoundRequest[] {
  if (budget < targets.length) return [];
  let remaining = budget;
  const ordered = [...targets].sort(
    (a, b) => a.summary.invocations - b.summary.invocations || a.power - b.power,
  );
  const requests: RoundRequest[] = [];
  for (const [i, size] of ordered.entries()) {
    const wanted = Math.max(num, size.summary.invocations);
    const count = Math.min(wanted, Math.floor(remaining / (ordered.length - i)));
    if (count <= 0) continue;
    requests.push({ power: size.power, count });
    remaining -= count;
  }
  return requests.sort((a, b) => a.power - b.power);
}

/** The first adaptive policy: each look judged alone, every contender sampled. */
function perLookRound(
  settings: SamplingSettings,
  sizes: SizeProgress[],
  feasible: MeasuredSize[],
  price: PriceRate,
): Round {
  const decision = decide(feasible, settings, price);
  if (decision.verdicts.every((v) => v.standing !== 'uncertain')) return { requests: [], stop: 'settled' };
  const contenders = decision.contenders.map(
    (power) => feasible.find((s) => s.power === power) as MeasuredSize,
  );
  const requests = share(contenders, settings.maxInvocations - spentInvocations(sizes), settings.num);
  return requests.length > 0 ? { requests } : { requests: [], stop: 'budget-spent' };
}

/**
 * The calls of a round among the sizes to sample. Under focused racing, a choice that is only the
 * best estimate is decided by how the closest rivals compare with it: they get the calls
 * (focusedShare); otherwise each target doubles (share). Not with constraints: their bounds need
 * calls of their own (`least` each).
 */
export function roundShares(
  settings: Pick<SamplingSettings, 'racing' | 'constraints' | 'num'>,
  targets: MeasuredSize[],
  decision: Decision | undefined,
  budget: number,
  least = settings.num,
): RoundRequest[] {
  return settings.racing === 'sticky-focused' &&
    !hasConstraints(settings.constraints) &&
    decision?.byEstimate === true
    ? focusedShare(targets, decision, budget, settings.num)
    : share(targets, budget, least);
}

/**
 * A round for a choice that is only the best estimate (Decision.byEstimate): as many calls as a
 * doubling round would take, given so that each target's total moves towards the split that makes
 * a wrong best estimate least likely on a fixed budget (optimal computing budget allocation, Chen
 * et al. 2000): a rival's share grows with (its spread / its gap to the best)², the best's with
 * the root of the sum of the rivals' squared shares over their spreads². The last calls of the
 * budget go in this round when fewer than `num` would be left for another.
 */
export function focusedShare(
  targets: MeasuredSize[],
  decision: Pick<Decision, 'best' | 'verdicts'>,
  budget: number,
  num: number,
): RoundRequest[] {
  const verdictOf = (power: number) => decision.verdicts.find((v) => v.power === power);
  const best = verdictOf(decision.best);
  if (!best || targets.length < 2 || !targets.some((t) => t.power === decision.best))
    return share(targets, budget, num);
  const calls = (s: MeasuredSize) => s.summary.invocations;
  // One call's standard deviation, from the estimate's standard error.
  const spreadOf = (s: MeasuredSize) =>
    (verdictOf(s.power)?.standardError ?? 0) * Math.sqrt(Math.max(1, calls(s)));
  // A rival estimated level with the best would take every call: its gap is at least a thousandth.
  const least = Math.abs(best.metric.estimate) * 1e-3;
  const rivals = targets.filter((s) => s.power !== decision.best);
  const rivalWeight = (s: MeasuredSize) => {
    const gap = Math.abs((verdictOf(s.power)?.metric.estimate ?? 0) - best.metric.estimate);
    return (spreadOf(s) / Math.max(least, gap)) ** 2;
  };
  const bestSpread = spreadOf(targets.find((s) => s.power === decision.best) as MeasuredSize);
  const bestWeight =
    bestSpread *
    Math.sqrt(
      rivals.reduce((sum, s) => {
        const spread = spreadOf(s);
        return spread > 0 ? sum + (rivalWeight(s) / spread) ** 2 : sum;
      }, 0),
    );
  const weightOf = (s: MeasuredSize) => (s.power === decision.best ? bestWeight : rivalWeight(s));
  const total = targets.reduce((sum, s) => sum + weightOf(s), 0);
  if (!(total > 0) || !Number.isFinite(total)) return share(targets, budget, num);
  const doubling = targets.reduce((sum, s) => sum + Math.max(num, calls(s)), 0);
  const round = budget - doubling < num ? budget : doubling;
  const after = targets.reduce((sum, s) => sum + calls(s), 0) + round;
  const deficit = (s: MeasuredSize) => Math.max(0, (weightOf(s) / total) * after - calls(s));
  const wanted = targets.reduce((sum, s) => sum + deficit(s), 0);
  if (!(wanted > 0)) return share(targets, budget, num);
  // Whole calls by largest remainders, so the round spends exactly its calls (no stray look for one).
  const exact = targets.map((s) => (deficit(s) / wanted) * round);
  const counts = exact.map(Math.floor);
  const order = exact
    .map((_, i) => i)
    .sort((a, b) => exact[b]! - counts[b]! - (exact[a]! - counts[a]!) || a - b);
  for (const i of order.slice(0, round - counts.reduce((sum, c) => sum + c, 0))) counts[i]! += 1;
  return targets
    .map((s, i) => ({ power: s.power, count: counts[i] as number }))
    .filter((r) => r.count > 0)
    .sort((a, b) => a.power - b.power);
}
