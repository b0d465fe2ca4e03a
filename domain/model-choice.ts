/**
 * Lambda's scaling model as a guide to the choice (racing `sticky-model`). A size's own samples
 * cannot tell apart sizes a few percent apart within the budget (a flat balanced optimum, a 2%
 * slowdown under 8% noise), but duration follows one curve over all sizes
 * (domain/duration-model.ts), and fitting it pools every size's invocations. The curve's pick
 * among the measured sizes is only a candidate: decide() takes it unless the measurements prove
 * another size meaningfully better, so a function the model does not describe (memory pressure,
 * slower hosts) is decided on its measurements alone.
 */
import type { MeasuredSize, PriceRate } from './decision.js';
import { fitDurationModel, type DurationFit, type ModelCurve } from './duration-model.js';
import { yuenParts } from './intervals.js';
import { invocationCost } from './pricing.js';
import { sketchEntries, sketchMean } from './sketch.js';
import { regrets, type SizeOutcome } from './regret.js';
import type { Strategy } from './types.js';

export interface ModelChoiceSettings {
  strategy: Strategy;
  balancedWeight: number;
  discardTopBottom: number;
  confidence: number;
  tolerance: number;
  coldStartRate?: number;
  pooledRounding?: boolean;
}

/** The model fitted to the sizes' trimmed mean durations (warm invocations). */
export function fitSizes(
  sizes: MeasuredSize[],
  settings: Pick<ModelChoiceSettings, 'discardTopBottom' | 'confidence'>,
): DurationFit | undefined {
  return fitDurationModel(
    sizes.map((s) => {
      const parts = yuenParts(s.summary.durationMs, settings.discardTopBottom);
      return { power: s.power, mean: parts.estimate, variance: parts.d ?? 0 };
    }),
    settings.confidence,
  );
}

/**
 * The curves a choice must hold under: the plausible whole-thread fits when there are any,
 * otherwise every plausible fit the model keeps.
 */
function curvesToRespect(fit: DurationFit): ModelCurve[] {
  return fit.wholeThreadAlternatives.length > 0 ? fit.wholeThreadAlternatives : fit.alternatives;
}

/**
 * Each of `powers`' regret (domain/regret.ts) expected under the model: averaged over the curves
 * it must hold under, each weighted by how well it fits. A minimax over them would hedge between
 * two knees and pick a size wrong under both. A predicted duration is billed with the size's
 * measured billing offset, or without one as Lambda bills a single call (whole ms, at least 1).
 */
export function modelRegretsAt(
  fit: DurationFit,
  powers: number[],
  settings: ModelChoiceSettings,
  price: PriceRate,
  /** Per size, billed minus actual duration as measured (Lambda rounds each call up to the ms). */
  billingOffset?: ReadonlyMap<number, number>,
): Map<number, number> {
  const expected = new Map<number, number>();
  const curves = curvesToRespect(fit);
  const total = curves.reduce((sum, c) => sum + c.likelihood, 0);
  for (const curve of curves) {
    const outcomes: SizeOutcome[] = powers.map((power) =>
      predictedOutcome(curve, power, price, billingOffset),
    );
    const regret = regrets(settings.strategy, outcomes, settings.tolerance, settings.balancedWeight);
    for (const [power, r] of regret)
      expected.set(power, (expected.get(power) ?? 0) + (r * curve.likelihood) / total);
  }
  return expected;
}

/** A size's duration under a curve, and its cost billed with the size's offset (or whole ms, at least 1). */
function predictedOutcome(
  curve: ModelCurve,
  power: number,
  price: PriceRate,
  billingOffset?: ReadonlyMap<number, number>,
): SizeOutcome {
  const duration = curve.expected(power);
  const offset = billingOffset?.get(power);
  const billed = offset !== undefined ? duration + offset : Math.ceil(duration);
  return { power, duration, cost: invocationCost(Math.max(1, billed), power, price) };
}

/**
 * What each size's calls are billed beyond their duration: the rounding up to the next ms (and
 * the 1 ms minimum), which decides the cost of short functions and is smooth in expectation,
 * unlike the rounding of a predicted mean. It depends on how a size's calls spread around their
 * mean, and Lambda's noise is mostly multiplicative: the same spread, in proportion, at every
 * size. So every measured call is taken relative to its size's mean, and a size's rounding is the
 * mean rounding of its mean times each of them: all sizes' calls, not its own hundred or so, tell
 * how often it crosses into the next ms. Plain means, not trimmed ones: each call's rounding is
 * bounded (under 1 ms), and the calls billed a whole extra ms are the tail a trimmed mean drops.
 */
export function billingOffsets(sizes: MeasuredSize[]): Map<number, number> {
  const relative: { factor: number; count: number }[] = [];
  let calls = 0;
  for (const s of sizes) {
    const mean = sketchMean(s.summary.durationMs);
    if (!(mean > 0)) continue;
    for (const e of sketchEntries(s.summary.durationMs))
      relative.push({ factor: e.value / mean, count: e.count });
    calls += s.summary.durationMs.count;
  }
  return new Map(
    sizes.map((s) => {
      const mean = sketchMean(s.summary.durationMs);
      if (!(mean > 0) || calls === 0) return [s.power, 0];
      // 1e-9: a whole-ms call, rebuilt as its mean times its factor, stays in its own ms.
      let billed = 0;
      for (const r of relative) billed += r.count * Math.max(1, Math.ceil(mean * r.factor - 1e-9));
      return [s.power, Math.max(0, billed / calls - mean)];
    }),
  );
}

/**
 * Each size's rounding from its own calls, as trimmed means (runs racing `sticky-model` replay
 * with it): biased low, since trimming drops the calls billed an extra ms.
 */
function ownBillingOffsets(sizes: MeasuredSize[], discard: number): Map<number, number> {
  return new Map(
    sizes.map((s) => [
      s.power,
      Math.max(
        0,
        yuenParts(s.summary.billedMs, discard).estimate - yuenParts(s.summary.durationMs, discard).estimate,
      ),
    ]),
  );
}

/** The model's pick, the curves it must hold under and the billing it ranked sizes with. */
export interface ModelPick {
  power: number;
  curves: ModelCurve[];
  billingOffset: ReadonlyMap<number, number>;
}

/**
 * The size among `eligible` the model ranks best over all measured `sizes` (ties: the lower
 * one); undefined when the model cannot be fitted (fewer than three sizes) or the run blends cold
 * invocations, which the warm curve does not describe.
 */
export function modelCandidate(
  sizes: MeasuredSize[],
  eligible: number[],
  settings: ModelChoiceSettings,
  price: PriceRate,
): number | undefined {
  return modelPick(sizes, eligible, settings, price)?.power;
}

/** modelCandidate, with what its ranking rests on. */
export function modelPick(
  sizes: MeasuredSize[],
  eligible: number[],
  settings: ModelChoiceSettings,
  price: PriceRate,
): ModelPick | undefined {
  if ((settings.coldStartRate ?? 0) > 0 || eligible.length === 0) return undefined;
  const fit = fitSizes(sizes, settings);
  if (!fit) return undefined;
  const offsets = settings.pooledRounding
    ? billingOffsets(sizes)
    : ownBillingOffsets(sizes, settings.discardTopBottom);
  const regret = modelRegretsAt(
    fit,
    sizes.map((s) => s.power),
    settings,
    price,
    offsets,
  );
  let best: number | undefined;
  for (const power of [...eligible].sort((a, b) => a - b)) {
    const r = regret.get(power);
    if (r !== undefined && (best === undefined || r < (regret.get(best) as number))) best = power;
  }
  return best === undefined
    ? undefined
    : { power: best, curves: curvesToRespect(fit), billingOffset: offsets };
}

/**
 * True when, under every curve the pick must hold under, the pick is worth its price against
 * `other`: more than (1 + tolerance) times as fast, or at most (1 + tolerance) times as dear.
 * One plausible fit under which it pays meaningfully more for a speed-up within the tolerance
 * (a knee the data cannot place) is enough to deny it.
 */
export function curvesJustify(pick: ModelPick, other: number, tolerance: number, price: PriceRate): boolean {
  return pick.curves.every((curve) => {
    const mine = predictedOutcome(curve, pick.power, price, pick.billingOffset);
    const theirs = predictedOutcome(curve, other, price, pick.billingOffset);
    return theirs.duration > (1 + tolerance) * mine.duration || mine.cost <= (1 + tolerance) * theirs.cost;
  });
}
