/** Number formatting shared by the terminal tables, the CSV-free views and the HTML report. */
import type { TuningOutput } from '../../domain/types.js';

export type Currency = TuningOutput['currency'];

const CURRENCY_SYMBOL: Record<Currency, string> = { USD: '$', CNY: '¥' };

/** Milliseconds with a precision that suits their size: 3.14, 42.7, 1234; `-` when unknown. */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  if (ms === 0) return '0';
  if (Math.abs(ms) < 10) return ms.toFixed(2);
  if (Math.abs(ms) < 1000) return ms.toFixed(1);
  return Math.round(ms).toString();
}

/**
 * A price with three significant digits and no exponent: Lambda prices per invocation are
 * millionths of a dollar, and `2.1e-7` is easy to misread in a table.
 */
export function formatMoney(value: number | null, currency: Currency = 'USD'): string {
  if (value === null || !Number.isFinite(value)) return '-';
  const symbol = CURRENCY_SYMBOL[currency];
  if (value === 0) return `${symbol}0`;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.min(20, Math.max(2, 2 - magnitude));
  return `${value < 0 ? '-' : ''}${symbol}${Math.abs(value).toFixed(decimals)}`;
}

/** A ratio such as 1.35×. */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '-';
}

/** A signed percentage change such as +12.5% or -3.0%. */
export function formatChange(fraction: number): string {
  if (!Number.isFinite(fraction)) return '-';
  const pct = fraction * 100;
  const text = Math.abs(pct) < 0.05 ? '0.0' : Math.abs(pct).toFixed(1);
  const sign = text === '0.0' ? '±' : pct > 0 ? '+' : '-';
  return `${sign}${text}%`;
}

/** Elapsed time as m:ss or h:mm:ss. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * The half-width of an interval relative to its estimate, as `±3.1%`. The wider side is used, so
 * a slightly lopsided interval (cost rounds billed time up) is never shown narrower than it is.
 */
export function formatSpread(estimate: number, interval: { lower: number; upper: number }): string {
  const half = Math.max(interval.upper - estimate, estimate - interval.lower);
  if (!(estimate > 0) || !Number.isFinite(half)) return '±?';
  const pct = (Math.max(0, half) / estimate) * 100;
  return `±${pct < 10 ? pct.toFixed(1) : Math.round(pct).toString()}%`;
}

/** An interval's two ends with one formatter: `119.6–127.2`. */
export function formatRange(
  interval: { lower: number; upper: number },
  format: (v: number) => string,
): string {
  return `${format(interval.lower)}–${format(interval.upper)}`;
}

/** A share such as an error rate: 20%, 5.7%, 0.25%. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '-';
  const pct = fraction * 100;
  if (pct === 0) return '0%';
  if (Math.abs(pct) >= 10) return `${Math.round(pct)}%`;
  if (Math.abs(pct) >= 1) return `${pct.toFixed(1)}%`;
  return `${Number(pct.toPrecision(2))}%`;
}

/** A confidence level as people say it: 0.95 → 95%, 0.999 → 99.9%. */
export function formatLevel(level: number): string {
  return `${Number((level * 100).toFixed(2))}%`;
}
