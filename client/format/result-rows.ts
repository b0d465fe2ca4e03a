/**
 * One row per tested memory size with the figures every view shows (terminal table, CSV,
 * HTML report), relative to the recommended size so each view says the same thing.
 */
import { hasAverages } from '../../domain/analysis.js';
import type { MeasuredStats, PowerValueStats, TuningOutput } from '../../domain/types.js';
import { comparedFigures } from './cold.js';
import type { SizeVerdict } from './constraints.js';
import { formatLevel, formatPercent, formatRange } from './units.js';

export type Standing = NonNullable<PowerValueStats['standing']>;

export interface ResultRow {
  power: number;
  recommended: boolean;
  feasible: boolean;
  stats: PowerValueStats;
  /**
   * Average cost per invocation divided by the recommended size's (1 for the recommendation);
   * blended figures with a cold-start rate.
   */
  relativeCost?: number;
  /** How many times as fast as the recommended size (recommended duration / this duration). */
  relativeSpeed?: number;
  /** Against the best size under the strategy; absent for infeasible sizes and older runs. */
  standing?: Standing;
  /** With constraints: the size's verdict and checks; absent for sizes not judged (infeasible). */
  constraints?: SizeVerdict;
}

/** The recommended size's statistics, when the output has them. */
export function recommendedStats(output: TuningOutput): MeasuredStats | undefined {
  return output.results.find((r): r is MeasuredStats => hasAverages(r) && r.power === output.power);
}

/**
 * True when the output carries the statistics of the decision (intervals, standings, the
 * statement). Results of runs made before them lack every one, so the views fall back to the
 * figures alone instead of showing empty columns.
 */
export function hasStatistics(output: TuningOutput): boolean {
  return (
    output.confidence !== undefined ||
    output.results.some((r) => r.durationInterval !== undefined || r.standing !== undefined)
  );
}

/**
 * Rel. cost and Rel. speed compare the figures the strategy compared: the warm averages, or with
 * a cold-start rate the blended ones (client/format/cold.ts).
 */
export function resultRows(output: TuningOutput): ResultRow[] {
  const best = recommendedStats(output);
  const bestFigures = best && comparedFigures(output, best);
  return [...output.results]
    .sort((a, b) => a.power - b.power)
    .map((stats) => {
      const row: ResultRow = {
        power: stats.power,
        recommended: best !== undefined && stats.power === best.power,
        feasible: stats.feasible,
        stats,
      };
      const figures = comparedFigures(output, stats);
      if (figures && bestFigures) {
        row.relativeCost = ratio(figures.averagePrice, bestFigures.averagePrice);
        row.relativeSpeed = ratio(bestFigures.averageDuration, figures.averageDuration);
      }
      if (stats.feasible && stats.standing !== undefined) row.standing = stats.standing;
      const verdict = output.constraints?.sizes.find((s) => s.power === stats.power);
      if (verdict) row.constraints = verdict;
      return row;
    });
}

/**
 * The standing in a few characters: ✓ chosen, ≈ not told apart from the best, ? not yet told
 * either way, blank for a size shown to be worse (the common case stays quiet).
 */
export function standingLabel(row: ResultRow): string {
  if (row.recommended && row.standing !== undefined) return '✓ chosen';
  switch (row.standing) {
    case 'best':
      // Best estimate on the strategy's figure, but another size within the noise was preferred.
      return '≈ best estimate';
    case 'equivalent':
      return '≈ equivalent';
    case 'uncertain':
      return '? uncertain';
    default:
      return '';
  }
}

/** `2 failed (20%, 95% CI 5.7%–51%)`, or `2 failed` when the run has no error-rate interval. */
export function errorText(stats: PowerValueStats, level: number | undefined): string {
  const failed = `${stats.errors} failed`;
  if (stats.errorRate === undefined) return failed;
  const interval = stats.errorRateInterval
    ? `, ${level === undefined ? '' : `${formatLevel(level)} `}CI ${formatRange(stats.errorRateInterval, formatPercent)}`
    : '';
  return `${failed} (${formatPercent(stats.errorRate)}${interval})`;
}

function ratio(a: number, b: number): number | undefined {
  return b > 0 && Number.isFinite(a) ? a / b : undefined;
}
