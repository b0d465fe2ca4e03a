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
    // Figures an infeasible size does not report, and their intervals, are left empty.
    const figure = (value: unknown) => (row.feasible ? value : undefined);
    const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
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
    };
    lines.push(CSV_COLUMNS.map((c) => csvField(values[c])).join(','));
  }
  return `${lines.join('\n')}\n`;
}
