/**
 * One row per tested memory size with the figures every view shows (terminal table, CSV,
 * HTML report), relative to the recommended size so each view says the same thing.
 */
import type { PowerValueStats, TuningOutput } from '../../domain/types.js';

export interface ResultRow {
  power: number;
  recommended: boolean;
  feasible: boolean;
  stats: PowerValueStats;
  /** Average cost per invocation divided by the recommended size's (1 for the recommendation). */
  relativeCost?: number;
  /** How many times as fast as the recommended size (recommended duration / this duration). */
  relativeSpeed?: number;
}

/** The recommended size's statistics, when the output has them. */
export function recommendedStats(output: TuningOutput): PowerValueStats | undefined {
  return output.results.find((r) => r.feasible && r.power === output.power);
}

export function resultRows(output: TuningOutput): ResultRow[] {
  const best = recommendedStats(output);
  return [...output.results]
    .sort((a, b) => a.power - b.power)
    .map((stats) => {
      const row: ResultRow = {
        power: stats.power,
        recommended: best !== undefined && stats.power === best.power,
        feasible: stats.feasible,
        stats,
      };
      if (stats.feasible && best) {
        row.relativeCost = ratio(stats.averagePrice, best.averagePrice);
        row.relativeSpeed = ratio(best.averageDuration, stats.averageDuration);
      }
      return row;
    });
}

function ratio(a: number, b: number): number | undefined {
  return b > 0 && Number.isFinite(a) ? a / b : undefined;
}
