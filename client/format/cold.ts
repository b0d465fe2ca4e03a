/**
 * Cold starts, for runs made with coldStartRate: each size's cold invocations (measured on fresh
 * versions) and the warm and cold figures blended at that rate, which the strategy compared. The
 * terminal table, the CSV and the HTML report all take their columns and words from here.
 */
import { comparedStats } from '../../domain/analysis.js';
import type { PowerValueStats, TuningOutput } from '../../domain/types.js';
import { formatLevel, formatMoney, formatMs } from './units.js';

/** An output whose strategy compared warm and cold figures blended at `coldStartRate`. */
export type BlendedOutput = TuningOutput & { coldStartRate: number };

export function isBlended(output: TuningOutput): output is BlendedOutput {
  return output.coldStartRate !== undefined;
}

/** The columns added with a cold-start rate, in order (before Rel. cost and Rel. speed). */
export const COLD_HEADERS = ['Cold (ms)', 'Init (ms)', 'Cold cost', 'Blended (ms)', 'Blended cost'] as const;

export type ColdHeader = (typeof COLD_HEADERS)[number];

/** The figures of one size under COLD_HEADERS; `-` for what was not measured. */
export function coldCells(
  stats: PowerValueStats,
  currency: TuningOutput['currency'],
): Record<ColdHeader, string> {
  const cold = stats.cold;
  return {
    'Cold (ms)': formatMs(cold?.averageDuration ?? null),
    'Init (ms)': formatMs(cold?.averageInitDuration ?? null),
    'Cold cost': formatMoney(cold?.averagePrice ?? null, currency),
    'Blended (ms)': formatMs(stats.blended?.averageDuration ?? null),
    'Blended cost': formatMoney(stats.blended?.averagePrice ?? null, currency),
  };
}

/**
 * `2 of 5 cold failed` for a size whose cold invocations failed; undefined when none did, and in a
 * run without a cold-start rate (whose results carry no cold figures worth showing).
 */
export function coldErrorText(output: TuningOutput, stats: PowerValueStats): string | undefined {
  const cold = stats.cold;
  return isBlended(output) && cold && cold.errors > 0
    ? `${cold.errors} of ${cold.invocations} cold failed`
    : undefined;
}

/**
 * The figures a size is compared on (Rel. cost, Rel. speed, the recommendation's reasons): the
 * blended ones when the strategy blended, else the warm averages. Undefined when the size has
 * none of them, so a warm figure is never set against a blended one.
 */
export function comparedFigures(
  output: TuningOutput,
  stats: PowerValueStats,
): { averageDuration: number; averagePrice: number } | undefined {
  return comparedStats(output, stats);
}

/** `10%` warm and cold shares as people say them: 10%, 12.5%, 90%. */
const share = formatLevel;

/** `5 cold starts measured per size, each on a fresh version`, from the results themselves. */
function measuredText(output: TuningOutput): string {
  const counts = [...new Set(output.results.flatMap((r) => (r.cold ? [r.cold.invocations] : [])))].sort(
    (a, b) => a - b,
  );
  const low = counts[0];
  const high = counts[counts.length - 1];
  if (low === undefined || high === undefined) return 'no cold start could be measured';
  const n = low === high ? String(low) : `${low} to ${high}`;
  return `${n} cold ${high === 1 ? 'start' : 'starts'} measured per size, each on a fresh version`;
}

/**
 * The legend of the cold and blended columns, in one line; undefined for a run without a
 * cold-start rate.
 */
export function blendLegend(output: TuningOutput): string | undefined {
  if (!isBlended(output)) return undefined;
  const rate = output.coldStartRate;
  return (
    `Blended at a cold-start rate of ${share(rate)}: ${share(1 - rate)} warm + ${share(rate)} cold invocations (${measuredText(output)}); ` +
    `the strategy compared these blended figures${output.power === null ? '' : ', and so do Rel. cost and Rel. speed'}. ` +
    'Cold figures include the Init Duration; the other averages are of warm invocations.'
  );
}

/** `, warm and cold invocations blended at a cold-start rate of 10%` for the strategy's rule; empty without one. */
export function blendClause(output: TuningOutput): string {
  return isBlended(output)
    ? `, warm and cold invocations blended at a cold-start rate of ${share(output.coldStartRate)}`
    : '';
}
