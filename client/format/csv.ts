/** One CSV row per tested memory size (RFC 4180 quoting), for spreadsheets and CI artifacts. */
import type { TuningOutput } from '../../domain/types.js';
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
    };
    lines.push(CSV_COLUMNS.map((c) => csvField(values[c])).join(','));
  }
  return `${lines.join('\n')}\n`;
}
