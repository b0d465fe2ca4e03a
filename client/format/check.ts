/**
 * The CI gate's verdict on a finished tuning: is the function's current memory size within the
 * allowed regression of the recommendation? One paragraph for people, one object for `--json`.
 * The figures come from domain/current-regression.ts; this file only words and classifies them.
 */
import { currentRegression, type CurrentRegression } from '../../domain/current-regression.js';
import type { Estimate, Strategy, TuningOutput } from '../../domain/types.js';

export type CheckVerdict = 'within' | 'beyond' | 'uncertain' | 'current-failed' | 'no-recommendation';

export interface CheckReport {
  verdict: CheckVerdict;
  /** What the gate answers: false fails the pipeline (exit 1). */
  pass: boolean;
  strategy: Strategy;
  currentPower: number;
  recommendedPower: number | null;
  /** The allowed regression, as a fraction (0.1 = 10%). */
  allowed: number;
  /** metric(current) / metric(recommended) − 1 with its bounds, when both sizes were measured. */
  regression?: Estimate;
  /** Confidence of the bounds together (0 when the run had no intervals). */
  level?: number;
  statement: string;
}

export interface CheckOptions {
  allowed: number;
  /** Fail when the data can show neither within nor beyond. */
  strict: boolean;
  balancedWeight?: number;
}

const pct = (fraction: number) => {
  if (!Number.isFinite(fraction)) return 'unbounded';
  const value = fraction * 100;
  return `${Math.abs(value) < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')}%`;
};

/** "costs 38% more per invocation than", "is 12% slower than", by strategy. */
function worseBy(strategy: Strategy, fraction: number): string {
  if (strategy === 'cost') return `costs ${pct(fraction)} more per invocation than`;
  if (strategy === 'speed') return `is ${pct(fraction)} slower than`;
  return `scores ${pct(fraction)} worse on the balanced score than`;
}

function betterBy(strategy: Strategy, fraction: number): string {
  if (strategy === 'cost') return `costs ${pct(fraction)} less per invocation than`;
  if (strategy === 'speed') return `is ${pct(fraction)} faster than`;
  return `scores ${pct(fraction)} better on the balanced score than`;
}

function intervalText(r: CurrentRegression): string {
  if (r.level <= 0) return ' (the run had no confidence intervals: a point estimate)';
  return ` (${pct(r.regression.lower)} to ${pct(r.regression.upper)}, ${pct(r.level)} confidence)`;
}

/** `currentPower`: the function's memory size before the tuning (from the output or the user). */
export function checkCurrentSize(
  output: TuningOutput,
  currentPower: number,
  opts: CheckOptions,
): CheckReport {
  const base = {
    strategy: output.strategy,
    currentPower,
    recommendedPower: output.power,
    allowed: opts.allowed,
  };
  const today = `${currentPower} MB (today)`;
  if (output.power === null) {
    return {
      ...base,
      verdict: 'no-recommendation',
      pass: false,
      statement: `FAIL: no memory size was shown to meet the constraints, ${today} included. ${
        output.constraints?.statement ?? ''
      }`.trim(),
    };
  }
  const current = output.results.find((r) => r.power === currentPower);
  if (current && current.averageDuration === null) {
    const why = current.infeasibleReason ? `: ${current.infeasibleReason}` : '';
    return {
      ...base,
      verdict: 'current-failed',
      pass: false,
      statement: `FAIL: ${today} could not be measured${why}. The recommendation is ${output.power} MB.`,
    };
  }
  const moves = output.architectures;
  if (moves && moves.chosen !== moves.current) {
    // The sizes compared below run on the chosen architecture: none of them is today's configuration.
    throw new Error(
      `the recommendation moves the function to ${moves.chosen}, and today's ${currentPower} MB on ${moves.current} ` +
        `is not compared across architectures; check it without --architectures`,
    );
  }
  const found = currentRegression(output, currentPower, opts.allowed, opts.balancedWeight);
  if (!found) {
    throw new Error(
      `${currentPower} MB was not measured by this tuning, so it cannot be compared with the recommendation`,
    );
  }
  const { regression, verdict } = found;
  const limit = `the ${pct(opts.allowed)} allowed`;
  const rec = `the recommended ${output.power} MB`;
  const figures = { ...base, regression, level: found.level };
  if (currentPower === output.power) {
    return {
      ...figures,
      verdict: 'within',
      pass: true,
      statement: `PASS: ${today} is the size this tuning recommends for ${output.strategy}.`,
    };
  }
  const compared =
    regression.estimate >= 0
      ? `${today} ${worseBy(output.strategy, regression.estimate)} ${rec}`
      : `${today} ${betterBy(output.strategy, -regression.estimate)} ${rec}`;
  if (verdict === 'beyond') {
    return {
      ...figures,
      verdict,
      pass: false,
      statement:
        `FAIL: ${compared}${intervalText(found)}, beyond ${limit}. ` +
        `Set the memory to ${output.power} MB (powertune run with --auto-optimize applies it).`,
    };
  }
  if (verdict === 'within') {
    return {
      ...figures,
      verdict,
      pass: true,
      statement: `PASS: ${compared}${intervalText(found)}, within ${limit}.`,
    };
  }
  return {
    ...figures,
    verdict,
    pass: !opts.strict,
    statement:
      `${opts.strict ? 'FAIL' : 'PASS'} (uncertain): ${compared}${intervalText(found)}: ` +
      `the data shows it neither within nor beyond ${limit}` +
      `${opts.strict ? ' (--strict fails on that)' : ''}. More invocations (--max-invocations) would settle it.`,
  };
}
