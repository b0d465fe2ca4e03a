/**
 * The decision with constraints: the strategy chooses among the sizes shown to meet every bound
 * (domain/constraints.ts). The run's error is shared: CONSTRAINT_ERROR_SHARE for the verdicts on
 * the bounds, the rest for the comparisons, so the whole statement holds at the run's confidence.
 * Without constraints it is decide() unchanged.
 */
import {
  decide,
  type Decision,
  type DecisionSettings,
  type MeasuredSize,
  type PriceRate,
  type SizeVerdict,
} from './decision.js';
import { normalQuantile } from './distributions.js';
import { CONSTRAINT_ERROR_SHARE, hasConstraints, judgeSizes, type SizeConstraints } from './constraints.js';
import { hostVariance, type HostVariance } from './host-variance.js';
import type { ConstraintsConfig } from './types.js';

export interface ConstrainedDecision {
  /** The decision among the sizes meeting the constraints; absent when none is shown to. */
  decision?: Decision;
  /** Every size's verdict on the constraints (empty without constraints). */
  judged: SizeConstraints[];
  /** Where more samples can change the outcome. */
  decisive: number[];
  /** True when more samples could not change the outcome. */
  settled: boolean;
  /**
   * Sizes not yet shown to meet or fail the constraints that could still take the choice's place
   * once shown to meet them (absent without a choice or without constraints).
   */
  openContenders?: number[];
  /** Confidence of the constraint verdicts together (absent without constraints). */
  constraintLevel?: number;
  /** The hosts' variance the verdicts were judged with (absent when judged without it). */
  hosts?: HostVariance;
}

/**
 * Sizes whose estimates are inside every bound before the others, each group in `byRank`'s
 * order: while nothing meets the constraints, a size that probably meets them is the one whose
 * samples can produce a recommendation; one estimated outside a bound can at best be shown to
 * fail it, and a percentile's bound takes hundreds of calls either way.
 */
function likelyFirst(
  judged: SizeConstraints[],
  byRank: (a: number, b: number) => number,
): (a: number, b: number) => number {
  const likely = (power: number) =>
    judged.find((j) => j.power === power)?.checks.every((c) => c.estimate <= c.bound) === true;
  return (a, b) => Number(likely(b)) - Number(likely(a)) || byRank(a, b);
}

/**
 * True when `size` is shown not to beat `choice` by more than the tolerance on the primary metric
 * (lower is better): its estimate exceeds (1 − tolerance) × the choice's by more than the normal
 * quantile at the ranking's comparison level times the difference's standard error. Until then an
 * uncertain size could take the choice's place once shown to meet the bounds, even when its few
 * calls estimate it slightly worse: a near-tie is decided by samples, not by the first ten.
 */
function shownNoBetter(
  size: SizeVerdict | undefined,
  choice: SizeVerdict | undefined,
  ranking: Decision,
  tolerance: number,
): boolean {
  if (!size || !choice) return true;
  const keep = 1 - tolerance;
  const gap = size.metric.estimate - keep * choice.metric.estimate;
  const error = Math.hypot(size.standardError, keep * choice.standardError);
  return gap > normalQuantile(ranking.comparisonConfidence) * error;
}

export function decideWithin(
  sizes: MeasuredSize[],
  settings: DecisionSettings,
  price: PriceRate,
  eliminated: ReadonlyMap<number, number>,
  constraints: ConstraintsConfig | undefined,
): ConstrainedDecision {
  if (!hasConstraints(constraints)) {
    const decision = decide(sizes, settings, price, eliminated);
    return { decision, judged: [], decisive: decision.decisive, settled: decision.settled };
  }
  const alpha = 1 - settings.confidence;
  const constraintLevel = 1 - alpha * CONSTRAINT_ERROR_SHARE;
  const shared = { ...settings, confidence: 1 - alpha * (1 - CONSTRAINT_ERROR_SHARE) };
  const hosts = settings.hostAwareConstraints ? hostVariance(sizes, settings.discardTopBottom) : undefined;
  const judged = judgeSizes(sizes, constraints, settings.discardTopBottom, price, constraintLevel, hosts);
  const verdictOf = (power: number) => judged.find((j) => j.power === power)?.verdict;
  const meeting = sizes.filter((s) => verdictOf(s.power) === 'meets');
  const uncertain = sizes.filter((s) => verdictOf(s.power) === 'uncertain').map((s) => s.power);
  // The strategy's ranking of every size by its primary estimate: an uncertain size ranked before
  // the choice (or, with contendUntilShown, not shown no better) could take its place once shown
  // to meet the bounds. Only the first such size is sampled: a percentile's bound needs hundreds
  // of calls, too many to spread over every size.
  const ranking = decide(sizes, shared, price);
  const estimate = (power: number) =>
    ranking.verdicts.find((v) => v.power === power)?.metric.estimate ?? Infinity;
  const byRank = (a: number, b: number) => estimate(a) - estimate(b) || a - b;
  if (meeting.length === 0) {
    const first = settings.likelyFirst ? likelyFirst(judged, byRank) : byRank;
    const next = [...uncertain].sort(first).slice(0, 1);
    return {
      judged,
      decisive: next,
      settled: uncertain.length === 0,
      constraintLevel,
      ...(hosts ? { hosts } : {}),
    };
  }
  const within = new Map([...eliminated].filter(([power]) => meeting.some((m) => m.power === power)));
  const decision = decide(meeting, shared, price, within, sizes.length);
  const verdict = (power: number) => ranking.verdicts.find((v) => v.power === power);
  const couldBeat = settings.contendUntilShown
    ? (power: number) => !shownNoBetter(verdict(power), verdict(decision.choice), ranking, settings.tolerance)
    : (power: number) => estimate(power) < estimate(decision.choice);
  const contenders = uncertain.filter(couldBeat).sort(byRank);
  return {
    decision,
    judged,
    decisive: [...new Set([...decision.decisive, ...contenders.slice(0, 1)])].sort((a, b) => a - b),
    settled: decision.settled && contenders.length === 0,
    ...(contenders.length > 0 ? { openContenders: contenders } : {}),
    constraintLevel,
    ...(hosts ? { hosts } : {}),
  };
}
