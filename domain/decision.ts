/**
 * The recommendation as a statistical decision. Each strategy has a primary metric (speed:
 * duration; cost: price per invocation; balanced: the balanced score) and a secondary one used to
 * choose among sizes that are not meaningfully worse on the primary (speed: price, among sizes not
 * proven slower; cost and balanced: duration then price, among sizes proven within the tolerance). "Meaningfully worse" means: the lower confidence bound of the
 * difference to the best size exceeds `tolerance` × the best's value. So noise is never reported
 * as a decision, and with noise-free measurements and tolerance 0 the original's answers hold.
 *
 * Every metric is linear in one trimmed mean (duration, or billed duration for price), so its
 * differences get Yuen–Welch intervals. Comparisons are Bonferroni-corrected over every ordered
 * pair of sizes, so all verdicts hold together at the stated confidence.
 *
 * With `scalingLaws`, two facts of Lambda's scaling settle what noise alone cannot (see
 * domain/README.md "Scaling laws"): more memory never makes a function slower, and it lowers the
 * cost only when the speed-up is more than proportional.
 */
import { studentTQuantile } from './distributions.js';
import { blend, coldEstimates, pointEstimates } from './estimates.js';
import { yuenParts, type YuenParts } from './intervals.js';
import type { SizeSummary } from './sample-summary.js';
import { hostAwareParts, hostVariance, NO_HOST_VARIANCE, type HostVariance } from './host-variance.js';
import { curvesJustify, modelPick, type ModelPick } from './model-choice.js';
import { balancedScore } from './strategies.js';
import type { Strategy } from './types.js';

export interface DecisionSettings {
  strategy: Strategy;
  balancedWeight: number;
  discardTopBottom: number;
  /** Joint confidence of the comparisons, e.g. 0.95. */
  confidence: number;
  /** Relative difference below which two sizes count as equally good (0 = any proven difference). */
  tolerance: number;
  /**
   * Use Lambda's scaling laws: speed, a size smaller than one proven slower is slower too; cost,
   * without a size proven as cheap as the best, the smallest size not proven dearer is taken,
   * unless the data shows a smaller size dearer than a larger one.
   */
  scalingLaws?: boolean;
  /**
   * Also let Lambda's scaling model (domain/model-choice.ts) pick among the sizes still in the
   * race, unless the measurements prove another size meaningfully better.
   */
  scalingModel?: boolean;
  /**
   * The scaling model bills each size at the ms rounding pooled over every size's calls
   * (model-choice.ts billingOffsets) instead of the size's own trimmed one.
   */
  pooledRounding?: boolean;
  /**
   * Speed and balanced: the scaling model's pick may be larger (under the cost law, dearer) than
   * another size still in the race only for a speed-up proven beyond the tolerance, by the
   * measurements (at the comparison level) or under every plausible fit of the model; otherwise
   * the smallest such size takes its place. Off in runs started before it, so they replay unchanged.
   */
  provenSpeedup?: boolean;
  /**
   * Share of production invocations that are cold. When set, each size's metrics blend its warm
   * and its cold invocations (MeasuredSize.cold) at this rate.
   */
  coldStartRate?: number;
  /**
   * Judge constraints with the hosts' variance when sizes were spread over several environments
   * (domain/host-percentile.ts); off in runs started before it, so they replay unchanged.
   */
  hostAwareConstraints?: boolean;
  /**
   * While no size is shown to meet the constraints, sample first the uncertain sizes whose
   * estimates are inside every bound (domain/constrained-decision.ts): one of them can become a
   * recommendation, while a size estimated outside can at best be shown to fail. Absent in runs
   * started before it, so they replay unchanged.
   */
  likelyFirst?: boolean;
  /**
   * With constraints, an uncertain size stays a contender for the choice until shown not to beat
   * it by more than the tolerance (domain/constrained-decision.ts), not only while its estimate
   * ranks first. Absent in runs started before it, so they replay unchanged.
   */
  contendUntilShown?: boolean;
  /**
   * Also take the cost law as contradicted when the sizes below some size are on average proven
   * dearer than it, at this confidence over the K such contrasts (pooledContradiction). It only
   * decides whether the law and the model may choose, never a size's verdict. Absent in runs
   * started before it, so they replay unchanged.
   */
  pooledLawConfidence?: number;
}

export interface MeasuredSize {
  power: number;
  summary: SizeSummary;
  /** With a cold-start rate: the size's cold invocations, each on a fresh version. */
  cold?: SizeSummary;
  /** Spread over several execution environments: the warm invocations again, per environment. */
  environments?: SizeSummary[];
}

/**
 * best: the best estimate on the primary metric; equivalent: shown to be within the tolerance of
 * it; uncertain: neither shown equivalent nor worse; worse: meaningfully worse.
 */
export type Standing = 'best' | 'equivalent' | 'uncertain' | 'worse';

export interface SizeVerdict {
  power: number;
  standing: Standing;
  /** Primary metric: estimate and its confidence interval (per-comparison level). */
  metric: { estimate: number; lower: number; upper: number };
  /** The estimate's standard error (0 when the measurements give none). */
  standardError: number;
}

export interface Decision {
  /** The recommended size. */
  choice: number;
  /** The size with the best primary estimate. */
  best: number;
  verdicts: SizeVerdict[];
  /**
   * True when more samples could not change the choice: it is the best or proven within the
   * tolerance of it, and every size the strategy would prefer to it is proven meaningfully worse.
   */
  settled: boolean;
  /** Sizes not proven meaningfully worse than the best: statistically indistinguishable from it. */
  equivalentSizes: number[];
  /** Sizes still in the race (not meaningfully worse). */
  contenders: number[];
  /**
   * Where further samples help the decision most: while an uncertain size could still take the
   * choice's place (the strategy prefers it to every proven one), those sizes, the choice and the
   * best; then the choice and each size it is not yet proven as good as.
   */
  decisive: number[];
  /** Confidence of each single comparison after the Bonferroni correction. */
  comparisonConfidence: number;
  /** True when the scaling model picked the choice among the sizes not proven worse. */
  modelled?: boolean;
  /**
   * The model's pick the proven-speed-up guard declined (DecisionSettings.provenSpeedup): the
   * choice is a smaller size not proven slower than it.
   */
  unprovenSpeedup?: number;
  /**
   * True when the choice is simply the best estimate on the primary metric (neither the model nor
   * the cost law placed it): the final answer is then whichever size estimates best, and samples
   * are worth most on the sizes closest to it (sampling-policy.ts focusedShare).
   */
  byEstimate?: boolean;
}

export interface PriceRate {
  perGbSecond: number;
  perRequest: number;
}

/**
 * A metric's point value (exactly as the original computes it) and how it moves with the trimmed
 * means behind it: metric ≈ Σ scale · trimmedMean(sample) + constant, which gives its standard
 * error. One term (the warm invocations), or two when warm and cold invocations are blended.
 */
interface MetricTerm {
  parts: YuenParts;
  scale: number;
}

interface LinearMetric {
  power: number;
  terms: MetricTerm[];
  value: number;
}

const costScale = (power: number, price: PriceRate) => (power / 1024 / 1000) * price.perGbSecond;

/** Cold invocations are all kept: each one is a cold start, which is what they measure. */
const COLD_DISCARD = 0;

/** What a size's figures depend on besides its measurements. */
type FigureSettings = Pick<DecisionSettings, 'discardTopBottom' | 'coldStartRate'>;

/** One size's figures: warm, and with a cold-start rate blended with its cold invocations. */
function sizeFigures(
  s: MeasuredSize,
  settings: FigureSettings,
  price: PriceRate,
  hosts: HostVariance = NO_HOST_VARIANCE,
) {
  const discard = settings.discardTopBottom;
  const warm = {
    ...pointEstimates(s.summary, s.power, discard, price),
    duration: hostAwareParts(s.summary.durationMs, discard, hosts, s.environments),
    billed: hostAwareParts(s.summary.billedMs, discard, hosts, s.environments),
  };
  const rate = settings.coldStartRate ?? 0;
  const coldFigures = rate > 0 && s.cold ? coldEstimates(s.cold, s.power, price) : undefined;
  if (rate === 0 || !s.cold) {
    return {
      power: s.power,
      averageDuration: warm.averageDuration,
      averagePrice: warm.averagePrice,
      duration: [{ parts: warm.duration, weight: 1 }],
      billed: [{ parts: warm.billed, weight: 1 }],
    };
  }
  // Without a measured cold invocation the blend cannot be estimated: no claim either way.
  const none: YuenParts = { estimate: 0, n: 0, h: 0, d: undefined };
  const coldDuration = coldFigures ? yuenParts(s.cold.durationMs, COLD_DISCARD) : none;
  const coldBilled = coldFigures ? yuenParts(s.cold.billedMs, COLD_DISCARD) : none;
  return {
    power: s.power,
    averageDuration: blend(warm.averageDuration, coldFigures?.averageDuration ?? 0, rate),
    averagePrice: blend(warm.averagePrice, coldFigures?.averagePrice ?? 0, rate),
    duration: [
      { parts: warm.duration, weight: 1 - rate },
      { parts: coldDuration, weight: rate },
    ],
    billed: [
      { parts: warm.billed, weight: 1 - rate },
      { parts: coldBilled, weight: rate },
    ],
  };
}

type Weighted = { parts: YuenParts; weight: number }[];
/** A blend's terms at the metric's scale; a share of 0 (rate 0 or 1) contributes nothing. */
const scaled = (terms: Weighted, scale: number): MetricTerm[] =>
  terms.filter((t) => t.weight > 0).map((t) => ({ parts: t.parts, scale: t.weight * scale }));

function metricsFor(sizes: MeasuredSize[], settings: DecisionSettings, price: PriceRate) {
  const hosts = hostVariance(sizes, settings.discardTopBottom);
  const estimates = sizes.map((s) => sizeFigures(s, settings, price, hosts));
  const durationMetric: LinearMetric[] = estimates.map((e) => ({
    power: e.power,
    terms: scaled(e.duration, 1),
    value: e.averageDuration,
  }));
  const costMetric: LinearMetric[] = estimates.map((e) => ({
    power: e.power,
    terms: scaled(e.billed, costScale(e.power, price)),
    value: e.averagePrice,
  }));
  if (settings.strategy === 'speed') return { primary: durationMetric, secondary: [costMetric] };
  if (settings.strategy === 'cost') return { primary: costMetric, secondary: [durationMetric] };
  // Balanced: the original's score; billed time tracks duration, so its uncertainty is taken
  // from the duration's trimmed means (the maxima held as constants).
  const w = settings.balancedWeight;
  const maxPrice = Math.max(...estimates.map((e) => e.averagePrice));
  const maxDuration = Math.max(...estimates.map((e) => e.averageDuration));
  const score: LinearMetric[] = estimates.map((e) => ({
    power: e.power,
    terms: scaled(
      e.duration,
      (maxPrice > 0 ? (w / maxPrice) * costScale(e.power, price) : 0) +
        (maxDuration > 0 ? (1 - w) / maxDuration : 0),
    ),
    value: balancedScore(e, maxPrice, maxDuration, w),
  }));
  return { primary: score, secondary: [costMetric, durationMetric] };
}

/** Variance and Welch–Satterthwaite degrees of freedom of Σ factor·scale·trimmedMean; undefined without a spread. */
function spread(terms: { term: MetricTerm; factor: number }[]): { variance: number; df: number } | undefined {
  let variance = 0;
  let dfDenominator = 0;
  for (const { term, factor } of terms) {
    if (term.parts.d === undefined) return undefined;
    const v = factor * factor * term.scale * term.scale * term.parts.d;
    variance += v;
    dfDenominator += (v * v) / (term.parts.h - 1 || 1);
  }
  return {
    variance,
    df: dfDenominator > 0 ? (variance * variance) / dfDenominator : Number.POSITIVE_INFINITY,
  };
}

/** Upper (or lower) one-sided bound of a − (1 + tolerance)·b at the given confidence. */
function contrastBound(
  a: LinearMetric,
  b: LinearMetric,
  tolerance: number,
  confidence: number,
  side: 'upper' | 'lower',
): number {
  const factor = 1 + tolerance;
  const estimate = a.value - factor * b.value;
  const s = spread([
    ...a.terms.map((term) => ({ term, factor: 1 })),
    ...b.terms.map((term) => ({ term, factor })),
  ]);
  if (s === undefined) {
    // Too few values to estimate a spread: no claim either way.
    return side === 'upper' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }
  if (s.variance === 0) return estimate;
  const half = studentTQuantile(confidence, s.df) * Math.sqrt(s.variance);
  return side === 'upper' ? estimate + half : estimate - half;
}

/** One size's cost per invocation as the strategies compare it (warm, or blended), as a linear metric. */
function costMetricOf(
  size: MeasuredSize,
  settings: FigureSettings,
  price: PriceRate,
  hosts: HostVariance,
): LinearMetric {
  const e = sizeFigures(size, settings, price, hosts);
  return { power: e.power, terms: scaled(e.billed, costScale(e.power, price)), value: e.averagePrice };
}

/**
 * cost(a) − cost(b) per invocation, as the strategies compare costs (blended with cold
 * invocations at the rate), with its two-sided interval at `level` (Welch–Satterthwaite).
 */
export function costDifference(
  a: MeasuredSize,
  b: MeasuredSize,
  settings: FigureSettings,
  price: PriceRate,
  level: number,
  /** The run's hosts' variance when its sizes were spread (hostVariance of every size). */
  hosts: HostVariance = NO_HOST_VARIANCE,
): { estimate: number; lower: number; upper: number } {
  const ma = costMetricOf(a, settings, price, hosts);
  const mb = costMetricOf(b, settings, price, hosts);
  const estimate = ma.value - mb.value;
  const s = spread([...ma.terms, ...mb.terms].map((term) => ({ term, factor: 1 })));
  if (s === undefined || s.variance === 0) return { estimate, lower: estimate, upper: estimate };
  const half = studentTQuantile((1 + level) / 2, s.df) * Math.sqrt(s.variance);
  return { estimate, lower: estimate - half, upper: estimate + half };
}

/** One size's cost per invocation as the strategies compare it, with its two-sided interval at `level`. */
export function costInterval(
  size: MeasuredSize,
  settings: FigureSettings,
  price: PriceRate,
  level: number,
  hosts: HostVariance = NO_HOST_VARIANCE,
): { estimate: number; lower: number; upper: number } {
  return metricInterval(costMetricOf(size, settings, price, hosts), level);
}

/**
 * One size's duration as the strategies compare it (warm, or blended with its cold invocations
 * at the rate), with its two-sided interval at `level` (Welch–Satterthwaite across the blend).
 */
export function durationInterval(
  size: MeasuredSize,
  settings: FigureSettings,
  price: PriceRate,
  level: number,
  hosts: HostVariance = NO_HOST_VARIANCE,
): { estimate: number; lower: number; upper: number } {
  const e = sizeFigures(size, settings, price, hosts);
  return metricInterval({ power: e.power, terms: scaled(e.duration, 1), value: e.averageDuration }, level);
}

function metricInterval(m: LinearMetric, confidence: number) {
  const s = spread(m.terms.map((term) => ({ term, factor: 1 })));
  if (s === undefined || s.variance === 0 || m.terms.some((t) => t.parts.h < 2))
    return { estimate: m.value, lower: m.value, upper: m.value };
  const half = studentTQuantile((1 + confidence) / 2, s.df) * Math.sqrt(s.variance);
  return { estimate: m.value, lower: m.value - half, upper: m.value + half };
}

/**
 * The level of each single comparison. The best is picked by the data, so a size compared with
 * it is in effect compared with every other: bounding all K(K−1) ordered comparisons keeps the
 * family's error at 1 − confidence.
 */
function pairwiseLevel(confidence: number, sizeCount: number): number {
  return 1 - (1 - confidence) / Math.max(1, sizeCount * (sizeCount - 1));
}

/**
 * Speed under the scaling laws: duration never grows with memory, so every size smaller than one
 * proven slower than the best is slower still.
 */
function slowerBelowSlower(verdicts: SizeVerdict[], bestPower: number): void {
  const slowerPowers = verdicts
    .filter((v) => v.standing === 'worse' && v.power < bestPower)
    .map((v) => v.power);
  const floor = Math.max(0, ...slowerPowers);
  for (const v of verdicts) if (v.power < floor) v.standing = 'worse';
}

/** The mean of several sizes' metrics, as one linear metric (its terms scaled by 1/count). */
function meanOf(metrics: LinearMetric[]): LinearMetric {
  const share = 1 / metrics.length;
  return {
    power: Math.min(...metrics.map((m) => m.power)),
    terms: metrics.flatMap((m) => m.terms.map((t) => ({ parts: t.parts, scale: t.scale * share }))),
    value: metrics.reduce((sum, m) => sum + m.value, 0) * share,
  };
}

/**
 * True when the sizes below some size are, on average, proven dearer than it: one contrast per
 * size, so K comparisons instead of K(K−1), and each pools every smaller size's calls.
 */
function pooledContradiction(cost: LinearMetric[], tolerance: number, level: number): boolean {
  return cost.some((large) => {
    const smaller = cost.filter((m) => m.power < large.power);
    return smaller.length > 0 && contrastBound(meanOf(smaller), large, tolerance, level, 'lower') > 0;
  });
}

/**
 * True when some size is proven dearer than a larger one, or (with `pooledLevel`) the sizes below
 * some size are on average: the cost law does not hold here.
 */
function contradictsCostLaw(
  cost: LinearMetric[],
  tolerance: number,
  level: number,
  pooledLevel?: number,
): boolean {
  if (pooledLevel !== undefined && pooledContradiction(cost, tolerance, pooledLevel)) return true;
  return cost.some((small) =>
    cost.some(
      (large) => small.power < large.power && contrastBound(small, large, tolerance, level, 'lower') > 0,
    ),
  );
}

/**
 * Whether the data contradict the cost law as decide() judges it with these settings (the strategy's
 * cost metric; the pooled check with `pooledLawConfidence`), e.g. for tests of its error rate.
 */
export function costLawContradicted(
  sizes: MeasuredSize[],
  settings: DecisionSettings,
  price: PriceRate,
  familySize = sizes.length,
): boolean {
  const cost = metricsFor(sizes, { ...settings, strategy: 'cost' }, price).primary;
  return contradictsCostLaw(
    cost,
    settings.tolerance,
    pairwiseLevel(settings.confidence, Math.max(familySize, sizes.length)),
    pooledLawLevel(settings, sizes.length),
  );
}

/** The pooled cost-law check's level for each of its K contrasts; undefined when it is off. */
function pooledLawLevel(settings: DecisionSettings, sizeCount: number): number | undefined {
  return settings.pooledLawConfidence === undefined
    ? undefined
    : 1 - (1 - settings.pooledLawConfidence) / Math.max(1, sizeCount);
}

/** Sizes a decision shows meaningfully worse that were not eliminated before, and what beat them. */
export function newEliminations(
  decision: Decision,
  known: ReadonlyMap<number, number>,
): { power: number; by: number }[] {
  return decision.verdicts
    .filter((v) => v.standing === 'worse' && !known.has(v.power))
    .map((v) => ({ power: v.power, by: decision.best }));
}

/**
 * The proven-speed-up guard (DecisionSettings.provenSpeedup). The model applies only where the
 * data do not contradict the cost law, under which a smaller size is the cheaper one unless the
 * larger is more than proportionally faster. So the pick stands against each smaller candidate
 * only where its price is justified: the measurements prove it faster beyond the tolerance (at
 * the comparison level), or under every curve the model must hold under it is either that much
 * faster or no more than the tolerance dearer (the speed-up below one vCPU, pooled over every
 * size, stays the model's to see). Otherwise the smallest candidate it is not justified against
 * takes its place. Equal durations can never be proven apart, so without it a fit misled by
 * outliers pays for a speed-up nothing shows (bench: 188% regret). Smaller, not cheaper by
 * estimate: a size measured a few times can look cheaper than a smaller one by noise alone.
 */
function smallestAsFast(
  pick: LinearMetric,
  model: ModelPick,
  /** Primary metrics of the sizes that may take the pick's place. */
  candidates: LinearMetric[],
  duration: LinearMetric[],
  s: { tolerance: number; level: number; price: PriceRate },
): LinearMetric {
  const durationOf = (power: number) => duration.find((d) => d.power === power) as LinearMetric;
  const asFast = candidates
    .filter((c) => c.power < pick.power)
    .sort((a, b) => a.power - b.power)
    .find(
      (c) =>
        contrastBound(durationOf(c.power), durationOf(pick.power), s.tolerance, s.level, 'lower') <= 0 &&
        !curvesJustify(model, c.power, s.tolerance, s.price),
    );
  return asFast ?? pick;
}

/**
 * Decides among feasible sizes (at least one). Deterministic: ties go to the lower power.
 * (With constraints, domain/constrained-decision.ts calls it on the sizes that meet them.)
 * `eliminated` holds sizes an earlier look already proved meaningfully worse (power → the size
 * it lost to): they stay worse, so a noisy later look cannot bring them back.
 */
export function decide(
  sizes: MeasuredSize[],
  settings: DecisionSettings,
  price: PriceRate,
  eliminated: ReadonlyMap<number, number> = new Map(),
  /** Sizes the family of comparisons spans (more than `sizes` when only some are eligible). */
  familySize = sizes.length,
): Decision {
  if (sizes.length === 0) throw new Error('decide needs at least one size');
  const { primary, secondary } = metricsFor(sizes, settings, price);
  const comparisonConfidence = pairwiseLevel(settings.confidence, Math.max(familySize, sizes.length));

  // Every size cannot have lost (that would take a cycle of errors); then trust this look alone.
  const out = primary.every((m) => eliminated.has(m.power)) ? new Map<number, number>() : eliminated;
  const byPrimary = primary
    .filter((m) => !out.has(m.power))
    .sort((a, b) => a.value - b.value || a.power - b.power);
  const best = byPrimary[0] as LinearMetric;
  const standingAt = (m: LinearMetric, level: number): Standing => {
    if (m === best) return 'best';
    if (out.has(m.power)) return 'worse';
    if (contrastBound(m, best, settings.tolerance, level, 'lower') > 0) return 'worse';
    return contrastBound(m, best, settings.tolerance, level, 'upper') <= 0 ? 'equivalent' : 'uncertain';
  };
  const verdicts: SizeVerdict[] = primary.map((m) => ({
    power: m.power,
    standing: standingAt(m, comparisonConfidence),
    metric: metricInterval(m, comparisonConfidence),
    standardError: Math.sqrt(spread(m.terms.map((term) => ({ term, factor: 1 })))?.variance ?? 0),
  }));
  if (settings.scalingLaws && settings.strategy === 'speed') slowerBelowSlower(verdicts, best.power);

  const secondaryValue = (power: number) =>
    secondary.map((list) => list.find((m) => m.power === power)?.value ?? 0);
  const preference = (a: LinearMetric, b: LinearMetric) => {
    const sa = secondaryValue(a.power);
    const sb = secondaryValue(b.power);
    for (let i = 0; i < sa.length; i++) {
      const diff = (sa[i] as number) - (sb[i] as number);
      if (diff !== 0) return diff;
    }
    return a.value - b.value || a.power - b.power;
  };
  // Which sizes the secondary metric may choose among. For speed: every size not proven slower,
  // since the switch saves proven money at the risk of a slowdown the data cannot see. For cost
  // and balanced: only sizes proven within the tolerance, since switching to a faster size that is
  // merely not proven dearer would spend the very money the user asked to save (bench/decisions
  // measured up to 24× the cost at n = 10 with the wider set).
  const choose = (standing: Map<number, Standing>) => {
    const eligible = primary.filter((m) =>
      settings.strategy === 'speed'
        ? standing.get(m.power) !== 'worse'
        : standing.get(m.power) === 'best' || standing.get(m.power) === 'equivalent',
    );
    return [...eligible].sort(preference)[0] as LinearMetric;
  };

  const standing = new Map(verdicts.map((v) => [v.power, v.standing]));
  const proven = (m: LinearMetric) =>
    standing.get(m.power) === 'best' || standing.get(m.power) === 'equivalent';
  const notWorse = primary.filter((m) => standing.get(m.power) !== 'worse');
  const pooledLevel = pooledLawLevel(settings, sizes.length);
  // Cost under the scaling laws: with nothing proven as cheap as the best, the best estimate is
  // only the luckiest of a near-tie, while the smallest size not proven dearer is, by the law,
  // no dearer than any larger one. Not when the data contradicts the law (memory pressure).
  const lawfulCheapest =
    settings.scalingLaws &&
    settings.strategy === 'cost' &&
    primary.filter(proven).length === 1 &&
    !contradictsCostLaw(primary, settings.tolerance, comparisonConfidence, pooledLevel)
      ? [...notWorse].sort((a, b) => a.power - b.power)[0]
      : undefined;
  // Under the scaling model, the curve's pick among the sizes still in the race, unless some
  // size is proven meaningfully better than it (domain/model-choice.ts).
  // Not where the data contradict what the model implies: cost never falls with memory.
  const costMetric = settings.strategy === 'cost' ? primary : (secondary[0] as LinearMetric[]);
  const modelApplies =
    settings.scalingModel &&
    !contradictsCostLaw(costMetric, settings.tolerance, comparisonConfidence, pooledLevel);
  const pick = modelApplies
    ? modelPick(
        sizes,
        notWorse.map((n) => n.power),
        settings,
        price,
      )
    : undefined;
  // No size proven meaningfully better than it on the primary metric.
  const holds = (m: LinearMetric) =>
    !primary.some(
      (o) =>
        o !== m &&
        !out.has(o.power) &&
        contrastBound(m, o, settings.tolerance, comparisonConfidence, 'lower') > 0,
    );
  const modelled = pick === undefined ? undefined : primary.find((m) => m.power === pick.power);
  const modelHolds = modelled !== undefined && holds(modelled);
  const guarded =
    modelHolds && pick && settings.provenSpeedup && settings.strategy !== 'cost'
      ? smallestAsFast(
          modelled,
          pick,
          notWorse.filter(holds),
          settings.strategy === 'speed' ? primary : (secondary[1] as LinearMetric[]),
          { tolerance: settings.tolerance, level: comparisonConfidence, price },
        )
      : modelled;
  const chosen = modelHolds ? (guarded as LinearMetric) : (lawfulCheapest ?? choose(standing));
  // Only uncertain sizes the strategy would rank before the anchor can still take the choice's
  // place. Under the scaling laws the anchor is the choice itself: for speed, the sizes between it
  // and the cheapest proven one are then tried one at a time, as each below is proven slower.
  // A choice the model made has ranked them already.
  const anchor = settings.scalingLaws
    ? chosen
    : ([...primary.filter(proven)].sort(preference)[0] as LinearMetric);
  const open = modelHolds
    ? []
    : primary.filter((m) => standing.get(m.power) === 'uncertain' && preference(m, anchor) < 0);
  // Settled also needs the choice within the tolerance of every size still in the race, not
  // only of the best estimate: a size measured too little could be the truly best one.
  const unconfirmed = notWorse.filter(
    (m) => m !== chosen && contrastBound(chosen, m, settings.tolerance, comparisonConfidence, 'upper') > 0,
  );
  // With nothing left that could take the choice's place, the choice changes only if the best
  // proves it worse (under the scaling laws, sample just those two); or, when it is the best,
  // if another size overtakes it.
  const decisive =
    open.length > 0
      ? [best, chosen, ...open]
      : settings.scalingLaws && chosen !== best && !modelHolds
        ? [chosen, best]
        : [chosen, ...unconfirmed];
  return {
    choice: chosen.power,
    best: best.power,
    verdicts: verdicts.sort((a, b) => a.power - b.power),
    settled: open.length === 0 && unconfirmed.length === 0,
    equivalentSizes: notWorse.map((m) => m.power).sort((a, b) => a - b),
    contenders: notWorse.map((m) => m.power).sort((a, b) => a - b),
    decisive: [...new Set(decisive.map((m) => m.power))].sort((a, b) => a - b),
    comparisonConfidence,
    ...(modelHolds && chosen === modelled ? { modelled: true } : {}),
    ...(chosen !== modelled && modelHolds ? { unprovenSpeedup: modelled.power } : {}),
    ...(chosen === best && !modelHolds && lawfulCheapest === undefined ? { byEstimate: true } : {}),
  };
}

/**
 * Checks a choice made elsewhere (e.g. a model's prediction) against the measurements:
 * contradicted when some size is proven meaningfully better on the primary metric; unconfirmed
 * lists the sizes it is not yet proven within the tolerance of. Same levels as decide().
 */
export function checkChoice(
  sizes: MeasuredSize[],
  settings: DecisionSettings,
  price: PriceRate,
  choice: number,
  eliminated: ReadonlyMap<number, number> = new Map(),
): { contradicted: boolean; unconfirmed: number[] } {
  const { primary } = metricsFor(sizes, settings, price);
  const level = pairwiseLevel(settings.confidence, sizes.length);
  const chosen = primary.find((m) => m.power === choice);
  if (!chosen) throw new Error(`checkChoice: ${choice} MB was not measured`);
  const others = primary.filter((m) => m !== chosen && !eliminated.has(m.power));
  return {
    contradicted:
      eliminated.has(choice) ||
      others.some((m) => contrastBound(chosen, m, settings.tolerance, level, 'lower') > 0),
    unconfirmed: others
      .filter((m) => contrastBound(chosen, m, settings.tolerance, level, 'upper') > 0)
      .map((m) => m.power),
  };
}
