/**
 * A tuning over several architectures, as rows a person reads: each architecture's own
 * recommendation (or why it could not run the code), which one was chosen and why. Shared by the
 * HTML report and the CLI summary.
 */
import type { TuningOutput } from '../../domain/types.js';
import { formatMoney, formatMs } from './units.js';

export interface ArchitectureRow {
  architecture: string;
  /** `512 MB`, or `none` when the pass recommends no size. */
  size: string;
  cost: string;
  duration: string;
  /** chosen / today's, in words. */
  notes: string;
  /** Why the architecture could not be measured, when it could not. */
  reason?: string;
}

export function architectureRows(output: TuningOutput): ArchitectureRow[] {
  const report = output.architectures;
  if (!report) return [];
  return report.compared.map((c) => ({
    architecture: c.architecture,
    size: c.power === null ? 'none' : `${c.power} MB`,
    cost: c.averagePrice === null ? '-' : formatMoney(c.averagePrice, output.currency),
    duration: c.averageDuration === null ? '-' : `${formatMs(c.averageDuration)} ms`,
    notes: [
      c.architecture === report.chosen ? 'chosen' : '',
      c.architecture === report.current ? 'today' : '',
    ]
      .filter(Boolean)
      .join(', '),
    ...(c.infeasibleReason ? { reason: c.infeasibleReason } : {}),
  }));
}

/** What the charts and the table below show in such a run. */
export const ARCHITECTURE_SCOPE_NOTE =
  'The charts and the table below show the chosen architecture’s sizes; for the other, only its own recommendation is listed here.';
