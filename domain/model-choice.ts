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
import { sketchMean } from './sketch.js';
import { regrets, type SizeOutcome } from './regret.js';
import type { Strategy } from './types.js';

export interface ModelChoiceSettings {
  strategy: Strategy;
  balancedWeight: number;
  discardTopBottom: number;
  confidence: number;
  tolerance: number;
  coldStartRate?: number;
}

/** The model fitted to the sizes' trimmed mean durations (warm invocations). */
export function fitSizes(sizes: MeasuredSize[], settings: ModelChoiceSettings): DurationFit | undefined {
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
    const outcomes: SizeOutcome[] = powers.map((power) => {
      const duration = curve.expected(power);
      const offset = billingOffset?.get(power);
      const billed = offset !== undefined ? duration + offset : Math.ceil(duration);
      return { power, duration, cost: invocationCost(Math.max(1, billed), power, price) };
    });
    const regret = regrets(settings.strategy, outcomes, settings.tolerance, settings.balancedWeight);
    for (const [power, r] of regret)
      expected.set(power, (expected.get(power) ?? 0) + (r * curve.likelihood) / total);
  }
  return expected;
}

/**
 * What each size's calls are billed beyond their duration, as measured: the rounding up to the
 * next ms (and the 1 ms minimum), which decides the cost of short functions and is smooth in
 * expectation, unlike the rounding of a predicted mean. The plain means, not trimmed ones: each
 * call's extra is bounded (under 1 ms), so there are no outliers to trim, and the calls billed a
 * whole extra ms are the upper tail a trimmed mean drops (a 1.8 ms function billed 3 ms on 15% of
 * its calls costs 2.15 ms a call, not 2).
 */
export function billingOffsets(sizes: MeasuredSize[]): Map<number, number> {
  return new Map(
    sizes.map((s) => [
      s.power,
      Math.max(0, sketchMean(s.summary.billedMs) - sketchMean(s.summary.durationMs)),
    ]),
  );
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
  if ((settings.coldStartRate ?? 0) > 0 || eligible.length === 0) return undefined;
  const fit = fitSizes(sizes, settings);
  if (!fit) return undefined;
  const offsets = billingOffsets(sizes);
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
  return best;
}
