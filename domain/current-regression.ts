/**
 * How far the function's current size is from the recommendation, on the strategy's own metric
 * (speed: duration; cost: cost per invocation; balanced: the original's score): metric(current) /
 * metric(recommended) − 1, with bounds from the two sizes' intervals (each at the run's
 * confidence, so the pair holds at least at 1 − 2·(1 − confidence)). A CI gate compares it with
 * the regression it allows.
 */
import { balancedScore } from './strategies.js';
import type { Estimate, MeasuredStats, Strategy, TuningOutput } from './types.js';
import { comparedStats } from './analysis.js';

export type RegressionVerdict = 'within' | 'beyond' | 'uncertain';

export interface CurrentRegression {
  strategy: Strategy;
  currentPower: number;
  recommendedPower: number;
  /** metric(current) / metric(recommended) − 1: 0.25 = the current size is 25% worse. */
  regression: Estimate;
  /** Confidence of the bounds together. */
  level: number;
  /** within: proven within `allowed`; beyond: proven beyond it; uncertain: neither. */
  verdict: RegressionVerdict;
  allowed: number;
}

/** A size's figure on the strategy's metric (lower is better), with the bounds of its interval. */
export interface Figures {
  value: number;
  low: number;
  high: number;
}

/**
 * The strategy's metric of one size: its price (cost), its duration (speed), or the balanced score
 * with the price and duration scaled by `maxima` (the largest over the sizes compared).
 */
export function metricFigures(
  stats: MeasuredStats,
  strategy: Strategy,
  maxima: { price: number; duration: number },
  weight: number,
): Figures {
  const duration = {
    value: stats.averageDuration,
    low: stats.durationInterval?.lower ?? stats.averageDuration,
    high: stats.durationInterval?.upper ?? stats.averageDuration,
  };
  const price = {
    value: stats.averagePrice,
    low: stats.priceInterval?.lower ?? stats.averagePrice,
    high: stats.priceInterval?.upper ?? stats.averagePrice,
  };
  if (strategy === 'speed') return duration;
  if (strategy === 'cost') return price;
  // The score grows with both figures, so their bounds bound it.
  const score = (p: number, d: number) =>
    balancedScore(
      { power: stats.power, averagePrice: p, averageDuration: d },
      maxima.price,
      maxima.duration,
      weight,
    );
  return {
    value: score(price.value, duration.value),
    low: score(price.low, duration.low),
    high: score(price.high, duration.high),
  };
}

/** metricFigures with the maxima held as in the analysis: over every feasible size. */
function figures(stats: MeasuredStats, strategy: Strategy, all: MeasuredStats[], weight: number): Figures {
  const maxima = {
    price: Math.max(...all.map((s) => s.averagePrice)),
    duration: Math.max(...all.map((s) => s.averageDuration)),
  };
  return metricFigures(stats, strategy, maxima, weight);
}

/**
 * Undefined when there is no recommendation or the current size was not measured (or could not
 * be: an infeasible current size is reported by the caller as such).
 */
export function currentRegression(
  output: TuningOutput,
  currentPower: number,
  allowed: number,
  balancedWeight = 0.5,
): CurrentRegression | undefined {
  if (output.power === null) return undefined;
  // The figures the strategy compared: blended with cold starts when the run had a rate.
  const feasible = output.results.flatMap((r) => comparedStats(output, r) ?? []);
  const current = feasible.find((s) => s.power === currentPower);
  const chosen = feasible.find((s) => s.power === output.power);
  if (!current || !chosen) return undefined;
  const cur = figures(current, output.strategy, feasible, balancedWeight);
  const rec = figures(chosen, output.strategy, feasible, balancedWeight);
  const regression: Estimate =
    current === chosen
      ? { estimate: 0, lower: 0, upper: 0 }
      : {
          estimate: cur.value / rec.value - 1,
          lower: cur.low / Math.max(rec.high, Number.MIN_VALUE) - 1,
          upper: rec.low > 0 ? cur.high / rec.low - 1 : Number.POSITIVE_INFINITY,
        };
  const level = output.confidence ? 1 - 2 * (1 - output.confidence.level) : 0;
  const verdict: RegressionVerdict =
    regression.upper <= allowed ? 'within' : regression.lower > allowed ? 'beyond' : 'uncertain';
  return {
    strategy: output.strategy,
    currentPower,
    recommendedPower: output.power,
    regression,
    level,
    verdict,
    allowed,
  };
}
