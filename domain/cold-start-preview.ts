/**
 * What a cold-start rate would change, for runs that did not give one. Every size's first call
 * starts an execution environment, so each size has at least one Init Duration measured anyway.
 * Taking a cold call as the size's warm figures plus that init, the figures are blended at a few
 * rates and the strategy's least-regret size (domain/regret.ts, with the run's tolerance) is
 * compared with the one on warm figures. One cold start per size is an indication, not a
 * measurement: the statement says so and points to `coldStartRate`, which measures it.
 */
import { blend } from './estimates.js';
import { sketchMean, sketchTrimmedMean } from './sketch.js';
import { invocationCost } from './pricing.js';
import { regrets } from './regret.js';
import type { SizeSummary } from './sample-summary.js';
import type { ColdStartPreview, Strategy } from './types.js';

/** Shares of cold production calls the preview is worked out at. */
export const PREVIEW_RATES: readonly number[] = [0.01, 0.1, 0.5];

export interface PreviewSettings {
  strategy: Strategy;
  tolerance: number;
  balancedWeight: number;
  discardTopBottom: number;
}

const leastRegret = (regret: Map<number, number>): number =>
  [...regret].sort((a, b) => a[1] - b[1] || a[0] - b[0])[0]![0];

const percent = (rate: number) => `${+(rate * 100).toFixed(2)}%`;

/**
 * The preview over the feasible sizes; undefined when a size has no measured cold start (nothing
 * to blend) or there are fewer than two sizes (nothing to choose between).
 */
export function coldStartPreview(
  sizes: { power: number; summary: SizeSummary }[],
  settings: PreviewSettings,
  price: { perGbSecond: number; perRequest: number },
): ColdStartPreview | undefined {
  if (sizes.length < 2 || sizes.some((s) => s.summary.initMs.count === 0)) return undefined;
  const figures = sizes.map(({ power, summary }) => {
    const duration = sketchTrimmedMean(summary.durationMs, settings.discardTopBottom);
    const billed = sketchTrimmedMean(summary.billedMs, settings.discardTopBottom);
    const initMs = sketchMean(summary.initMs);
    return {
      power,
      initMs,
      coldStarts: summary.initMs.count,
      warm: { duration, cost: invocationCost(Math.ceil(billed), power, price) },
      cold: { duration: duration + initMs, cost: invocationCost(Math.ceil(billed + initMs), power, price) },
    };
  });
  const choiceAt = (rate: number) =>
    leastRegret(
      regrets(
        settings.strategy,
        figures.map((f) => ({
          power: f.power,
          duration: blend(f.warm.duration, f.cold.duration, rate),
          cost: blend(f.warm.cost, f.cold.cost, rate),
        })),
        settings.tolerance,
        settings.balancedWeight,
      ),
    );
  const warmChoice = choiceAt(0);
  const byRate = PREVIEW_RATES.map((rate) => ({ rate, power: choiceAt(rate) }));
  const moved = byRate.filter((r) => r.power !== warmChoice);
  const basis =
    'from the one or few cold starts measured per size (their Init Duration added to the warm figures); ' +
    'set coldStartRate to measure cold invocations and decide on the blend.';
  const statement =
    moved.length === 0
      ? `Cold starts would not change the choice: at cold-start rates up to ${percent(PREVIEW_RATES.at(-1) as number)}, ${warmChoice} MB stays first ${basis}`
      : `Cold starts could change the choice: at a cold-start rate of ${percent(moved[0]!.rate)}, ${moved[0]!.power} MB would come first instead of ${warmChoice} MB ${basis}`;
  return {
    init: figures.map((f) => ({ power: f.power, initMs: f.initMs, coldStarts: f.coldStarts })),
    warmChoice,
    byRate,
    statement,
  };
}
