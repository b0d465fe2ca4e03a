/**
 * The monthly figures (output.monthly) as people read them: one row per size with its monthly
 * cost and interval, marked for the recommendation and for today's size, and the statement. The
 * terminal summary and the HTML report both take their words from here.
 */
import type { TuningOutput } from '../../domain/types.js';

export interface MonthlyRow {
  power: number;
  /** "$41.20" */
  cost: string;
  /** "$38.10 to $44.30" */
  interval: string;
  chosen: boolean;
  today: boolean;
}

/** Monthly money with cents: the figures are dollars, not fractions of a cent per call. */
function monthlyMoney(value: number, currency: TuningOutput['currency']): string {
  if (!Number.isFinite(value)) return '-';
  const sign = value < 0 ? '−' : '';
  const amount = Math.abs(value).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return currency === 'USD' ? `${sign}$${amount}` : `${sign}${amount} ${currency}`;
}

export function monthlyRows(output: TuningOutput): MonthlyRow[] {
  const monthly = output.monthly;
  if (!monthly) return [];
  return monthly.sizes.map((s) => ({
    power: s.power,
    cost: monthlyMoney(s.estimate, output.currency),
    interval: `${monthlyMoney(s.lower, output.currency)} to ${monthlyMoney(s.upper, output.currency)}`,
    chosen: s.power === output.power,
    today: s.power === monthly.currentPower,
  }));
}

/** "Monthly cost at 1,000,000 invocations (95% intervals):", saying when CloudWatch gave the volume. */
export function monthlyCaption(output: TuningOutput): string | undefined {
  const monthly = output.monthly;
  if (!monthly) return undefined;
  const level = `${+(monthly.level * 100).toFixed(1)}%`;
  const source =
    monthly.source === 'cloudwatch' && monthly.windowDays !== undefined
      ? `from CloudWatch over the last ${monthly.windowDays === 1 ? 'day' : `${monthly.windowDays} days`}; `
      : '';
  return `Monthly cost at ${monthly.invocationsPerMonth.toLocaleString('en-US')} invocations (${source}${level} intervals):`;
}

/** The terminal's lines: the caption and one aligned row per size (the statement leads the summary). */
export function monthlyLines(output: TuningOutput): string[] {
  const caption = monthlyCaption(output);
  if (!caption || !output.monthly) return [];
  const rows = monthlyRows(output);
  const costWidth = Math.max(...rows.map((r) => r.cost.length), 0);
  const powerWidth = Math.max(...rows.map((r) => String(r.power).length), 0);
  return [
    caption,
    ...rows.map((r) => {
      const marks = [r.chosen ? 'recommended' : '', r.today ? 'today' : ''].filter(Boolean).join(', ');
      const mark = r.chosen ? '★' : ' ';
      return (
        `  ${mark} ${String(r.power).padStart(powerWidth)} MB  ${r.cost.padStart(costWidth)}  (${r.interval})` +
        (marks ? `  ${marks}` : '')
      );
    }),
  ];
}
