/** One CSV row per tested memory size (RFC 4180 quoting), for spreadsheets and CI artifacts. */
import type { TuningOutput } from '../../domain/types.js';
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

export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'number' && !Number.isFinite(value) ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function resultCsv(output: TuningOutput): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of resultRows(output)) {
    const s = row.stats;
    const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      memoryMB: row.power,
      recommended: row.recommended,
      feasible: row.feasible,
      invocations: s.invocations,
      errors: s.errors,
      allowedErrors: s.allowedErrors ?? 0,
      coldStarts: s.coldStarts,
      averageDurationMs: row.feasible ? s.averageDuration : undefined,
      p50Ms: row.feasible ? s.p50 : undefined,
      p90Ms: row.feasible ? s.p90 : undefined,
      p99Ms: row.feasible ? s.p99 : undefined,
      stdDevMs: row.feasible ? s.stdDev : undefined,
      averageCost: row.feasible ? s.averagePrice : undefined,
      totalCost: s.totalCost,
      relativeCost: row.relativeCost,
      relativeSpeed: row.relativeSpeed,
      currency: output.currency,
      infeasibleReason: s.infeasibleReason,
      // Intervals of figures an infeasible size does not report are left out like the figures.
      averageDurationLowerMs: row.feasible ? s.durationInterval?.lower : undefined,
      averageDurationUpperMs: row.feasible ? s.durationInterval?.upper : undefined,
      averageCostLower: row.feasible ? s.priceInterval?.lower : undefined,
      averageCostUpper: row.feasible ? s.priceInterval?.upper : undefined,
      errorRate: s.errorRate,
      errorRateLower: s.errorRateInterval?.lower,
      errorRateUpper: s.errorRateInterval?.upper,
      p90LowerMs: row.feasible ? s.p90Interval?.lower : undefined,
      p90UpperMs: row.feasible ? s.p90Interval?.upper : undefined,
      p90Bounded: row.feasible ? s.p90Interval?.bounded : undefined,
      standing: row.standing,
      confidenceLevel: output.confidence?.level,
      constraints: row.constraints?.verdict,
      constraintChecks:
        row.constraints && output.constraints
          ? verdictText(row.constraints, output.constraints, output.currency)
          : undefined,
    };
    lines.push(CSV_COLUMNS.map((c) => csvField(values[c])).join(','));
  }
  return `${lines.join('\n')}\n`;
}
