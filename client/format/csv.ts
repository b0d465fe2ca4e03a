/** One CSV row per tested memory size (RFC 4180 quoting), for spreadsheets and CI artifacts. */
import type { TuningOutput } from '../../domain/types.js';
import { isBlended } from './cold.js';
import { verdictText } from './constraints.js';
import { resultRows } from './result-rows.js';

export const CSV_COLUMNS = [
  'memoryMB',
  'recommended',
  'feasible',
  'invocations',
  'errors',
  'allowedErrors',
  'coldStarts',
  'averageDurationMs',
  'p50Ms',
  'p90Ms',
  'p99Ms',
  'stdDevMs',
  'averageCost',
  'totalCost',
  'relativeCost',
  'relativeSpeed',
  'currency',
  'infeasibleReason',
  // Added with the decision's statistics, at the end so scripts reading by position keep working;
  // empty for results of older runs.
  'averageDurationLowerMs',
  'averageDurationUpperMs',
  'averageCostLower',
  'averageCostUpper',
  'errorRate',
  'errorRateLower',
  'errorRateUpper',
  'p90LowerMs',
  'p90UpperMs',
  'p90Bounded',
  'standing',
  'confidenceLevel',
  // Added with constraints: the size's verdict (meets, fails, uncertain) and the checks behind
  // it as the table words them; empty without constraints and for sizes not judged (infeasible).
  'constraints',
  'constraintChecks',
] as const;

/**
 * Added with a cold-start rate, after CSV_COLUMNS, only to the CSV of such a run (older outputs
 * keep their header): the size's cold invocations (duration and cost include the Init Duration)
 * and the warm and cold figures blended at the rate, which the strategy compared; relativeCost and
 * relativeSpeed then compare the blended figures, as the table does.
 */
export const COLD_CSV_COLUMNS = [
  'coldStartRate',
  'coldInvocations',
  'coldErrors',
  'coldAverageDurationMs',
  'coldAverageInitDurationMs',
  'coldAverageCost',
  'blendedAverageDurationMs',
  'blendedAverageCost',
] as const;

type Column = (typeof CSV_COLUMNS)[number] | (typeof COLD_CSV_COLUMNS)[number];

/** The header of this output's CSV: CSV_COLUMNS, then COLD_CSV_COLUMNS with a cold-start rate. */
export function csvColumns(output: TuningOutput): readonly Column[] {
  return isBlended(output) ? [...CSV_COLUMNS, ...COLD_CSV_COLUMNS] : CSV_COLUMNS;
}

export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'number' && !Number.isFinite(value) ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function resultCsv(output: TuningOutput): string {
  const columns = csvColumns(output);
  const lines = [columns.join(',')];
  for (const row of resultRows(output)) {
    const s = row.stats;
    // Figures an infeasible size does not report, and their intervals, are left empty.
    const figure = (value: unknown) => (row.feasible ? value : undefined);
    const values: Record<Column, unknown> = {
      memoryMB: row.power,
      recommended: row.recommended,
      feasible: row.feasible,
      invocations: s.invocations,
      errors: s.errors,
      allowedErrors: s.allowedErrors ?? 0,
      coldStarts: s.coldStarts,
      averageDurationMs: figure(s.averageDuration),
      p50Ms: figure(s.p50),
      p90Ms: figure(s.p90),
      p99Ms: figure(s.p99),
      stdDevMs: figure(s.stdDev),
      averageCost: figure(s.averagePrice),
      totalCost: s.totalCost,
      relativeCost: row.relativeCost,
      relativeSpeed: row.relativeSpeed,
      currency: output.currency,
      infeasibleReason: s.infeasibleReason,
      averageDurationLowerMs: figure(s.durationInterval?.lower),
      averageDurationUpperMs: figure(s.durationInterval?.upper),
      averageCostLower: figure(s.priceInterval?.lower),
      averageCostUpper: figure(s.priceInterval?.upper),
      errorRate: s.errorRate,
      errorRateLower: s.errorRateInterval?.lower,
      errorRateUpper: s.errorRateInterval?.upper,
      p90LowerMs: figure(s.p90Interval?.lower),
      p90UpperMs: figure(s.p90Interval?.upper),
      p90Bounded: figure(s.p90Interval?.bounded),
      standing: row.standing,
      confidenceLevel: output.confidence?.level,
      constraints: row.constraints?.verdict,
      constraintChecks:
        row.constraints && output.constraints
          ? verdictText(row.constraints, output.constraints, output.currency)
          : undefined,
      coldStartRate: output.coldStartRate,
      coldInvocations: s.cold?.invocations,
      coldErrors: s.cold?.errors,
      coldAverageDurationMs: figure(s.cold?.averageDuration),
      coldAverageInitDurationMs: figure(s.cold?.averageInitDuration),
      coldAverageCost: figure(s.cold?.averagePrice),
      blendedAverageDurationMs: figure(s.blended?.averageDuration),
      blendedAverageCost: figure(s.blended?.averagePrice),
    };
    lines.push(columns.map((c) => csvField(values[c])).join(','));
  }
  return `${lines.join('\n')}\n`;
}
