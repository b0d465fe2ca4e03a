/**
 * From per-size summaries of the invocations to the recommendation: statistics per power value,
 * feasibility, the strategy's choice and the output in the original's shape.
 */
import { decideWithin, type ConstrainedDecision } from './constrained-decision.js';
import { describeCheck, planLatency, type SizeConstraints } from './constraints.js';
import { monthlyReport, monthlyVolume } from './monthly.js';
import { costInterval, durationInterval, type Decision } from './decision.js';
import { coldStartPreview } from './cold-start-preview.js';
import { blend, coldEstimates, pointEstimates } from './estimates.js';
import { partsInterval, percentileInterval, proportionInterval } from './intervals.js';
import {
  hostAwareParts,
  hostSpread,
  hostVariance,
  NO_HOST_VARIANCE,
  type HostVariance,
} from './host-variance.js';
import {
  eliminations,
  errorInfeasibility,
  lookSettings,
  type Racing,
  type StopReason,
} from './sampling-policy.js';
import { invocationCost, lambdaPrice } from './pricing.js';
import type { SizeSummary } from './sample-summary.js';
import { sketchPercentile, sketchStdDev } from './sketch.js';
import type {
  Architecture,
  ColdStats,
  ConstraintsConfig,
  ConstraintsReport,
  DecisionConfidence,
  MeasuredStats,
  PowerValueStats,
  SamplingConfig,
  TuningConfig,
  TuningOutput,
} from './types.js';
import { visualizationUrl } from './visualization.js';
import { gridInvocations64 } from './exploration-plan.js';
import { explorationReport } from './exploration-report.js';
import type { MeasuredVolume } from './volume.js';

export interface PowerValueSummary {
  power: number;
  /** Bounded whatever the number of invocations (see sample-summary.ts). */
  summary: SizeSummary;
  /** Set by the workflow when the size could not be measured at all (e.g. setup failed). */
  infeasibleReason?: string;
  /** The first function error as the run reports it (the original's wording). */
  firstFailure?: string;
  /** Proven meaningfully worse than this size during sticky racing (sampling-policy.ts). */
  eliminatedBy?: number;
  /** With a cold-start rate: the size's cold invocations, each on a fresh version. */
  cold?: SizeSummary;
  /** Spread over several execution environments: the warm invocations per environment. */
  environments?: SizeSummary[];
}

export interface AnalysisInput {
  config: TuningConfig;
  /** Why sampling stopped (from the sampling policy); absent for the fixed grid. */
  stop?: StopReason;
  /** How the adaptive run raced; the final verdicts are taken at its last look's level. */
  racing?: Racing;
  /** Constraints were judged with the hosts' variance during sampling: the final verdicts are too. */
  hostAwareConstraints?: boolean;
  /** The scaling model's pick was guarded during sampling (DecisionSettings.provenSpeedup): the final decision is too. */
  provenSpeedup?: boolean;
  /**
   * Uncertain sizes stayed contenders until shown no better than the choice during sampling
   * (DecisionSettings.contendUntilShown): the final verdict on "settled" uses the same rule.
   */
  contendUntilShown?: boolean;
  functionName: string;
  /** The function's region: it decides the price table and the currency. */
  region: string;
  architecture: Architecture;
  results: PowerValueSummary[];
  /** The function's memory size before the tuning, for the saving against today. */
  currentPower?: number;
  /** With invocationsPerMonth "cloudwatch": the volume read before the tuning invoked anything. */
  volume?: MeasuredVolume;
}

/** No memory size produced a usable measurement; the message lists each size's reason. */
export class NoFeasiblePowerError extends Error {
  readonly reasons: { power: number; reason: string }[];

  constructor(reasons: { power: number; reason: string }[]) {
    super(`No memory size could be measured, so there is no recommendation. ${groupReasons(reasons)}`);
    this.name = 'NoFeasiblePowerError';
    this.reasons = reasons;
  }
}

/** Sizes that failed the same way share one line: `128 MB, 256 MB: <reason>`. */
function groupReasons(reasons: { power: number; reason: string }[]): string {
  const byReason = new Map<string, number[]>();
  for (const r of reasons) byReason.set(r.reason, [...(byReason.get(r.reason) ?? []), r.power]);
  return [...byReason]
    .map(([reason, powers]) => `${powers.map((p) => `${p} MB`).join(', ')}: ${reason}`)
    .join('; ');
}

/** Statistics of one power value. */
export function summarisePowerValue(
  results: PowerValueSummary,
  discardTopBottom: number,
  price: { perGbSecond: number; perRequest: number },
  sampling: Pick<SamplingConfig, 'confidence' | 'maxErrorRate'> = { confidence: 0.95, maxErrorRate: 1 },
  /** Sizes judged together, for the error-rate test's correction. */
  sizeCount = 1,
  /** The run's hosts' variance, when its sizes were spread over environments. */
  hosts: HostVariance = NO_HOST_VARIANCE,
): PowerValueStats {
  const { power, summary } = results;
  const durations = summary.durationMs;
  const stats: PowerValueStats = {
    power,
    invocations: summary.invocations,
    errors: summary.errors,
    coldStarts: summary.coldStarts,
    ...pointEstimates(summary, power, discardTopBottom, price),
    p50: sketchPercentile(durations, 50),
    p90: sketchPercentile(durations, 90),
    p99: sketchPercentile(durations, 99),
    stdDev: sketchStdDev(durations),
    // Every invocation is billed, failed ones included. Cost is linear in billed time, so
    // Σ cost(ceil(billed)) = cost of Σ ceil(billed) without the fee, plus one fee each.
    totalCost:
      invocationCost(summary.billedMsTotal, power, { ...price, perRequest: 0 }) +
      summary.invocations * price.perRequest,
    feasible: true,
    allowedErrors: summary.allowedErrors,
    ...sizeIntervals(results, discardTopBottom, price, sampling.confidence, hosts),
  };
  const { cold } = results;
  if (cold) {
    stats.cold = coldStats(cold, power, price);
    // Cold invocations are billed like any other.
    stats.totalCost +=
      invocationCost(cold.billedMsTotal, power, { ...price, perRequest: 0 }) +
      cold.invocations * price.perRequest;
  }
  const reason =
    results.infeasibleReason ??
    noMeasurementReason(summary, results.firstFailure) ??
    (cold && cold.invocations > 0 && cold.errors === cold.invocations
      ? `all ${cold.invocations} cold invocations failed${cold.firstError ? ` (first error ${cold.firstError.type}: ${cold.firstError.message})` : ''}`
      : undefined) ??
    errorInfeasibility(summary, sampling, results.firstFailure, sizeCount);
  if (reason !== undefined) {
    stats.feasible = false;
    stats.infeasibleReason = reason;
    // No averages for a size that cannot be used: an all-failed size would otherwise show a
    // duration of 0 and the bare request fee, which a script taking the cheapest row would pick.
    stats.averageDuration = null;
    stats.averagePrice = null;
    delete stats.durationInterval;
    delete stats.priceInterval;
  }
  return stats;
}

/** The cold invocations of a size, as the output reports them. */
function coldStats(
  cold: SizeSummary,
  power: number,
  price: { perGbSecond: number; perRequest: number },
): ColdStats {
  const figures = coldEstimates(cold, power, price);
  return {
    invocations: cold.invocations,
    errors: cold.errors,
    averageDuration: figures?.averageDuration ?? null,
    averageInitDuration: figures?.averageInitDuration ?? null,
    averagePrice: figures?.averagePrice ?? null,
  };
}

/** True for a feasible size, whose averages are known. */
export function hasAverages(stats: PowerValueStats): stats is MeasuredStats {
  return stats.feasible && stats.averageDuration !== null && stats.averagePrice !== null;
}

/**
 * A size's figures as the strategy compared them: with a cold-start rate the blended ones (and
 * their intervals), else the warm ones. Undefined when the size has none of them, so a warm
 * figure is never set against a blended one.
 */
export function comparedStats(
  output: Pick<TuningOutput, 'coldStartRate'>,
  stats: PowerValueStats,
): MeasuredStats | undefined {
  if (!hasAverages(stats)) return undefined;
  if (output.coldStartRate === undefined) return stats;
  const blended = stats.blended;
  if (!blended) return undefined;
  // The warm intervals do not describe the blend: only the blend's own, when recorded.
  const compared: MeasuredStats = {
    ...stats,
    averageDuration: blended.averageDuration,
    averagePrice: blended.averagePrice,
  };
  delete compared.durationInterval;
  delete compared.priceInterval;
  if (blended.durationInterval) compared.durationInterval = blended.durationInterval;
  if (blended.priceInterval) compared.priceInterval = blended.priceInterval;
  return compared;
}

function noMeasurementReason(summary: SizeSummary, firstFailure?: string): string | undefined {
  if (summary.invocations === 0) return 'no invocation was made';
  if (summary.errors < summary.invocations) return undefined;
  const first = summary.firstError;
  if (firstFailure) return `all ${summary.invocations} invocations failed: ${firstFailure}`;
  return `all ${summary.invocations} invocations failed${first ? ` (first error ${first.type}: ${first.message})` : ''}`;
}

/**
 * The workflow's result. `optimized` is false here: the workflow sets it after applying the
 * recommendation. `stateMachine.executionCost` is 0: Temporal has no per-transition fee
 * (the original charged Step Functions transitions). `stats` and the visualization cover the
 * feasible sizes only, in power order.
 */
export function analyzeTuning(input: AnalysisInput): TuningOutput {
  const { config } = input;
  const price = lambdaPrice(input.region, input.architecture, config.prices);
  // Over every measured size, as decide() pools it over the feasible ones.
  const hosts = hostVariance(input.results, config.discardTopBottom);
  const results = [...input.results]
    .sort((a, b) => a.power - b.power)
    .map((r) =>
      summarisePowerValue(r, config.discardTopBottom, price, config.sampling, input.results.length, hosts),
    );
  const rate = config.coldStartRate;
  if (rate !== undefined) {
    const figureSettings = { discardTopBottom: config.discardTopBottom, coldStartRate: rate };
    const level = config.sampling.confidence;
    for (const row of results) {
      if (!hasAverages(row) || row.cold?.averageDuration == null || row.cold.averagePrice === null) continue;
      const size = input.results.find((r) => r.power === row.power);
      const duration = size && durationInterval(size, figureSettings, price, level, hosts);
      const cost = size && costInterval(size, figureSettings, price, level, hosts);
      row.blended = {
        averageDuration: blend(row.averageDuration, row.cold.averageDuration, rate),
        averagePrice: blend(row.averagePrice, row.cold.averagePrice, rate),
        ...(duration ? { durationInterval: { lower: duration.lower, upper: duration.upper } } : {}),
        ...(cost ? { priceInterval: { lower: cost.lower, upper: cost.upper } } : {}),
      };
    }
  }
  const feasible = results.filter(hasAverages);
  if (feasible.length === 0) {
    throw new NoFeasiblePowerError(
      results.map((r) => ({ power: r.power, reason: r.infeasibleReason ?? 'unknown' })),
    );
  }
  const measured = input.results.filter((r) => feasible.some((f) => f.power === r.power));
  const outcome = decideWithin(
    measured,
    lookSettings({
      ...config.sampling,
      num: config.num,
      strategy: config.strategy,
      balancedWeight: config.balancedWeight,
      discardTopBottom: config.discardTopBottom,
      ...(input.racing ? { racing: input.racing } : {}),
      ...(input.hostAwareConstraints ? { hostAwareConstraints: true } : {}),
      ...(input.provenSpeedup ? { provenSpeedup: true } : {}),
      ...(input.contendUntilShown ? { contendUntilShown: true } : {}),
      ...(config.coldStartRate !== undefined ? { coldStartRate: config.coldStartRate } : {}),
    }),
    price,
    eliminations(measured),
    config.sampling.constraints,
  );
  const decision = outcome.decision;
  // Only the output plans how many calls an uncertain latency verdict needs (not every look).
  const judged =
    config.sampling.constraints && outcome.constraintLevel !== undefined
      ? planLatency(
          outcome.judged,
          measured,
          config.sampling.constraints,
          config.discardTopBottom,
          outcome.constraintLevel,
          outcome.hosts,
        )
      : outcome.judged;
  for (const verdict of decision?.verdicts ?? []) {
    const row = results.find((r) => r.power === verdict.power);
    if (row) row.standing = verdict.standing;
  }
  for (const judged of outcome.judged) {
    const row = results.find((r) => r.power === judged.power);
    if (row) row.constraints = judged.verdict;
  }
  const best = decision ? (feasible.find((r) => r.power === decision.choice) as MeasuredStats) : undefined;
  const stats = config.includeOutputResults
    ? feasible.map((r) => ({
        value: r.power,
        averagePrice: r.averagePrice,
        averageDuration: r.averageDuration,
      }))
    : undefined;
  const constraints = config.sampling.constraints
    ? constraintsReport(
        config.sampling.constraints,
        { ...outcome, judged },
        price.currency,
        config.sampling.confidence,
      )
    : undefined;
  const volume = monthlyVolume(config.invocationsPerMonth, input.volume);
  // Without a cold-start rate, what one would change (all-cold and dry runs have nothing to blend).
  const spreads = input.results.map((r) => r.environments?.length ?? 1).filter((n) => n > 1);
  const spreadOver = hostSpread(
    hosts,
    spreads.length > 0 ? Math.min(...spreads) : 1,
    Math.max(1, ...spreads),
  );
  // With constraints, only the sizes shown to meet them can be chosen at any rate.
  const choosable =
    outcome.judged.length > 0
      ? measured.filter((m) => outcome.judged.some((j) => j.power === m.power && j.verdict === 'meets'))
      : measured;
  const preview =
    rate === undefined && !config.onlyColdStarts && !config.dryRun
      ? coldStartPreview(
          choosable,
          {
            strategy: config.strategy,
            tolerance: config.sampling.tolerance,
            balancedWeight: config.balancedWeight,
            discardTopBottom: config.discardTopBottom,
          },
          price,
        )
      : undefined;
  const invocationsSpent = results.reduce((sum, r) => sum + r.invocations + (r.cold?.invocations ?? 0), 0);
  return {
    power: best?.power ?? null,
    cost: best?.averagePrice ?? null,
    duration: best?.averageDuration ?? null,
    stateMachine: {
      executionCost: 0,
      lambdaCost: results.reduce((sum, r) => sum + r.totalCost, 0),
      visualization: visualizationUrl(
        feasible.map((r) => ({ power: r.power, duration: r.averageDuration, cost: r.averagePrice })),
        config.visualizationURL,
        price.currency,
      ),
    },
    ...(stats ? { stats } : {}),
    strategy: config.strategy,
    functionName: input.functionName,
    region: input.region,
    architecture: input.architecture,
    currency: price.currency,
    dryRun: config.dryRun,
    optimized: false,
    results,
    confidence: decision
      ? confidenceStatement(config, decision, input.stop, outcome.settled, outcome.openContenders)
      : noChoiceStatement(config, outcome, input.stop),
    equivalentSizes: decision?.equivalentSizes ?? [],
    invocationsSpent,
    gridInvocations: config.exploration
      ? gridInvocations64(config.exploration, config.num)
      : config.num * config.powerValues.length,
    ...(config.exploration
      ? {
          exploration: explorationReport({
            range: config.exploration,
            num: config.num,
            invokedPowers: input.results.filter((r) => r.summary.invocations > 0).map((r) => r.power),
            feasible: measured,
            invocationsSpent,
            discardTopBottom: config.discardTopBottom,
            confidence: config.sampling.confidence,
          }),
        }
      : {}),
    ...(constraints ? { constraints } : {}),
    ...(rate !== undefined ? { coldStartRate: rate } : {}),
    ...(preview ? { coldStartPreview: preview } : {}),
    ...(spreadOver ? { hosts: spreadOver } : {}),
    ...(input.currentPower !== undefined ? { currentPower: input.currentPower } : {}),
    ...(volume !== undefined && input.currentPower !== undefined
      ? {
          monthly: monthlyReport({
            ...volume,
            feasible,
            summaries: input.results,
            ...(config.coldStartRate !== undefined ? { coldStartRate: config.coldStartRate } : {}),
            choice: best?.power ?? null,
            currentPower: input.currentPower,
            price,
            discard: config.discardTopBottom,
            level: config.sampling.confidence,
            currency: price.currency,
          }),
        }
      : {}),
  };
}

/** The constraints part of the output: bounds, every measured size's checks, one sentence. */
function constraintsReport(
  bounds: ConstraintsConfig,
  outcome: ConstrainedDecision,
  currency: string,
  /** The run's confidence: the verdicts and the choice hold together at it (each gets a share). */
  level: number,
): ConstraintsReport {
  const meeting = outcome.judged.filter((j) => j.verdict === 'meets').map((j) => j.power);
  const percent = `${+(level * 100).toFixed(2)}%`;
  const sizeLine = (j: SizeConstraints) =>
    `${j.power} MB ${j.verdict === 'uncertain' ? 'uncertain' : 'fails'}: ` +
    j.checks
      .filter((c) => c.verdict !== 'meets')
      .map((c) => describeCheck(c, bounds.percentile, currency, true))
      .join(', ');
  const others = outcome.judged.filter((j) => j.verdict !== 'meets');
  const statement =
    meeting.length > 0
      ? `With ${percent} confidence, ${meeting.map((p) => `${p} MB`).join(', ')} ${meeting.length === 1 ? 'meets' : 'meet'} every constraint` +
        (others.length > 0 ? `; ${others.map(sizeLine).join('; ')}.` : '.')
      : `No size was shown to meet the constraints at ${percent} confidence, so there is no recommendation: ` +
        `${others.map(sizeLine).join('; ')}.`;
  return {
    bounds: { ...bounds },
    met: meeting.length > 0,
    level,
    sizes: outcome.judged,
    statement,
    ...(outcome.openContenders ? { openContenders: outcome.openContenders } : {}),
  };
}

/** Intervals of one size's figures at the run's confidence. */
/**
 * A size's intervals. Spread over environments, the trimmed means' also carry the hosts'
 * variance: they bound the size's speed on Lambda's hosts, not only on the ones it ran on.
 */
function sizeIntervals(
  { power, summary, environments }: PowerValueSummary,
  discard: number,
  price: { perGbSecond: number; perRequest: number },
  confidence: number,
  hosts: HostVariance,
): Partial<PowerValueStats> {
  const duration = partsInterval(
    hostAwareParts(summary.durationMs, discard, hosts, environments),
    confidence,
  );
  const billed = partsInterval(hostAwareParts(summary.billedMs, discard, hosts, environments), confidence);
  const errors = proportionInterval(summary.errors, summary.invocations, confidence);
  const p90 = percentileInterval(summary.durationMs, 90, confidence);
  // Price is monotone in billed time, so its interval maps through the same rounding.
  const cost = (ms: number) => invocationCost(Math.ceil(Math.max(0, ms)), power, price);
  return {
    durationInterval: { lower: duration.lower, upper: duration.upper },
    priceInterval: { lower: cost(billed.lower), upper: cost(billed.upper) },
    errorRate: errors.estimate,
    errorRateInterval: { lower: errors.lower, upper: errors.upper },
    p90Interval: { lower: p90.lower, upper: p90.upper, bounded: p90.bounded },
  };
}

/** The confidence block when no size meets the constraints. */
function noChoiceStatement(
  config: TuningConfig,
  outcome: ConstrainedDecision,
  stop: StopReason | undefined,
): DecisionConfidence {
  const { confidence: level, tolerance, policy } = config.sampling;
  const open = outcome.judged.filter((j) => j.verdict === 'uncertain').map((j) => `${j.power} MB`);
  const statement = outcome.settled
    ? `With ${+(level * 100).toFixed(1)}% confidence, no size meets every constraint.`
    : `Not settled: no size was shown to meet every constraint; ${open.join(', ')} could` +
      (stop === 'budget-spent'
        ? ' with more invocations (raise maxInvocations).'
        : ' with more invocations.');
  return { level, tolerance, policy, settled: outcome.settled, ...(stop ? { stop } : {}), statement };
}

function confidenceStatement(
  config: TuningConfig,
  decision: Decision,
  stop: StopReason | undefined,
  /** With constraints, also no uncertain size could take the choice's place. */
  settled = decision.settled,
  /** With constraints: the uncertain sizes that still could. */
  openContenders: number[] = [],
): DecisionConfidence {
  const { confidence: level, tolerance, policy } = config.sampling;
  const percent = `${+(level * 100).toFixed(1)}%`;
  const margin = tolerance > 0 ? ` by more than ${+(tolerance * 100).toFixed(2)}%` : '';
  const others = decision.equivalentSizes.filter((p) => p !== decision.choice);
  const metric =
    config.strategy === 'speed'
      ? 'slower'
      : config.strategy === 'cost'
        ? 'dearer'
        : 'worse on the balanced score';
  let statement: string;
  if (settled) {
    statement =
      others.length === 0
        ? `With ${percent} confidence, every other size is ${metric}${margin} than ${decision.choice} MB.`
        : `With ${percent} confidence, ${decision.choice} MB is not ${metric}${margin} than the best size; ` +
          `${others.map((p) => `${p} MB`).join(', ')} could not be told apart from it, and ${decision.choice} MB is preferred among them.`;
  } else if (decision.settled && openContenders.length > 0) {
    const open = openContenders.map((p) => `${p} MB`).join(', ');
    const better = config.strategy === 'speed' ? 'faster' : config.strategy === 'cost' ? 'cheaper' : 'better';
    statement =
      `Not settled: ${decision.choice} MB is the preferred size among those shown to meet the constraints, but ` +
      `${open} may be ${better} and ${openContenders.length === 1 ? 'is' : 'are'} not yet shown to meet or fail them` +
      (stop === 'budget-spent' ? ' within the invocation budget (raise maxInvocations).' : '.');
  } else if (decision.modelled) {
    statement =
      `Not settled: Lambda's scaling model, fitted to every measured size, ranks ${decision.choice} MB first and no size was shown ` +
      `better, but the measurements cannot yet confirm it is not ${metric}${margin} than the others at ${percent}` +
      (stop === 'budget-spent' ? ' within the invocation budget (raise maxInvocations or tolerance).' : '.');
  } else {
    statement =
      `Not settled: ${decision.choice} MB is the preferred size among those not shown ${metric}${margin} than the best ` +
      `(${decision.best} MB), but the measurements cannot yet confirm it at ${percent}` +
      (stop === 'budget-spent' ? ' within the invocation budget (raise maxInvocations or tolerance).' : '.');
  }
  if (config.coldStartRate !== undefined) {
    const rate = `${+(config.coldStartRate * 100).toFixed(2)}%`;
    statement += ` Sizes were compared on warm and cold invocations blended at a cold-start rate of ${rate}.`;
  }
  return { level, tolerance, policy, settled, ...(stop ? { stop } : {}), statement };
}
