/**
 * From per-size summaries of the invocations to the recommendation: statistics per power value,
 * feasibility, the strategy's choice and the output in the original's shape.
 */
import { invocationCost, lambdaPrice } from './pricing.js';
import type { SizeSummary } from './sample-summary.js';
import { sketchPercentile, sketchStdDev, sketchTrimmedMean } from './sketch.js';
import { chooseOptimal } from './strategies.js';
import type { Architecture, PowerValueStats, TuningConfig, TuningOutput } from './types.js';
import { visualizationUrl } from './visualization.js';

export interface PowerValueSummary {
  power: number;
  /** Bounded whatever the number of invocations (see sample-summary.ts). */
  summary: SizeSummary;
  /** Set by the workflow when the size could not be measured at all (e.g. setup failed). */
  infeasibleReason?: string;
}

export interface AnalysisInput {
  config: TuningConfig;
  functionName: string;
  /** The function's region: it decides the price table and the currency. */
  region: string;
  architecture: Architecture;
  results: PowerValueSummary[];
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
): PowerValueStats {
  const { power, summary } = results;
  const durations = summary.durationMs;
  const stats: PowerValueStats = {
    power,
    invocations: summary.invocations,
    errors: summary.errors,
    coldStarts: summary.coldStarts,
    averageDuration: sketchTrimmedMean(durations, discardTopBottom),
    // Billed time is whole milliseconds; the trimmed mean of it is rounded up as upstream.
    averagePrice: invocationCost(
      Math.ceil(sketchTrimmedMean(summary.billedMs, discardTopBottom)),
      power,
      price,
    ),
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
  };
  const reason = results.infeasibleReason ?? noMeasurementReason(summary);
  if (reason !== undefined) {
    stats.feasible = false;
    stats.infeasibleReason = reason;
  }
  return stats;
}

function noMeasurementReason(summary: SizeSummary): string | undefined {
  if (summary.invocations === 0) return 'no invocation was made';
  if (summary.errors < summary.invocations) return undefined;
  const first = summary.firstError;
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
  const results = [...input.results]
    .sort((a, b) => a.power - b.power)
    .map((r) => summarisePowerValue(r, config.discardTopBottom, price));
  const feasible = results.filter((r) => r.feasible);
  if (feasible.length === 0) {
    throw new NoFeasiblePowerError(
      results.map((r) => ({ power: r.power, reason: r.infeasibleReason ?? 'unknown' })),
    );
  }
  const best = chooseOptimal(feasible, config.strategy, config.balancedWeight);
  const stats = config.includeOutputResults
    ? feasible.map((r) => ({
        value: r.power,
        averagePrice: r.averagePrice,
        averageDuration: r.averageDuration,
      }))
    : undefined;
  return {
    power: best.power,
    cost: best.averagePrice,
    duration: best.averageDuration,
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
  };
}
