/**
 * Money per month: each size's cost per invocation times the production volume, and what the
 * recommendation saves against the function's current size, with intervals at the run's
 * confidence. The saving's interval is Yuen–Welch on the two sizes' billed durations, each
 * weighted by its price per billed ms (the request fees cancel).
 */
import { scaledTrimmedMeanDifference } from './intervals.js';
import type { SizeSummary } from './sample-summary.js';
import type { Estimate, MeasuredStats, MonthlyReport, TuningConfig } from './types.js';
import { VOLUME_FROM_CLOUDWATCH, type MeasuredVolume } from './volume.js';
import { groupDigits } from './describe.js';

/** Price of one billed ms at a memory size, request fee excluded. */
const perBilledMs = (power: number, perGbSecond: number) => (power / 1024 / 1000) * perGbSecond;

/** The volume the monthly figures use: the input's, or the one read from CloudWatch. */
export interface MonthlyVolume {
  invocationsPerMonth: number;
  /** Present when the volume was read from CloudWatch. */
  measured?: MeasuredVolume;
}

/** The config's volume, resolved; undefined when there is none (no monthly figures). */
export function monthlyVolume(
  invocationsPerMonth: TuningConfig['invocationsPerMonth'],
  measured: MeasuredVolume | undefined,
): MonthlyVolume | undefined {
  if (invocationsPerMonth !== VOLUME_FROM_CLOUDWATCH) {
    return invocationsPerMonth === undefined ? undefined : { invocationsPerMonth };
  }
  // The inspection reads it whenever asked; without it there is nothing to multiply by.
  return measured ? { invocationsPerMonth: measured.perMonth, measured } : undefined;
}

export interface MonthlyInput extends MonthlyVolume {
  /** Feasible sizes with their statistics (priceInterval at `level`). */
  feasible: MeasuredStats[];
  summaries: { power: number; summary: SizeSummary }[];
  /** The recommended size; null when there is none. */
  choice: number | null;
  currentPower: number;
  price: { perGbSecond: number; perRequest: number };
  discard: number;
  level: number;
  currency: string;
}

export function monthlyReport(input: MonthlyInput): MonthlyReport {
  const n = input.invocationsPerMonth;
  const sizes = input.feasible.map((s) => ({
    power: s.power,
    estimate: n * s.averagePrice,
    lower: n * (s.priceInterval?.lower ?? s.averagePrice),
    upper: n * (s.priceInterval?.upper ?? s.averagePrice),
  }));
  const saving = savingAgainstCurrent(input);
  return {
    invocationsPerMonth: n,
    ...(input.measured
      ? {
          source: input.measured.source,
          windowDays: input.measured.windowDays,
          invocationsInWindow: input.measured.invocations,
        }
      : { source: 'input' as const }),
    level: input.level,
    sizes,
    currentPower: input.currentPower,
    ...(saving ? { saving } : {}),
    statement: statement(input, saving),
  };
}

function savingAgainstCurrent(input: MonthlyInput): Estimate | undefined {
  const { choice, currentPower } = input;
  if (choice === null) return undefined;
  const current = input.feasible.find((s) => s.power === currentPower);
  const chosen = input.feasible.find((s) => s.power === choice);
  const currentSummary = input.summaries.find((s) => s.power === currentPower)?.summary;
  const chosenSummary = input.summaries.find((s) => s.power === choice)?.summary;
  if (!current || !chosen || !currentSummary || !chosenSummary) return undefined;
  const n = input.invocationsPerMonth;
  const estimate = n * (current.averagePrice - chosen.averagePrice);
  if (choice === currentPower) return { estimate, lower: estimate, upper: estimate };
  // cost(current) − cost(chosen) = k_c·(tm_c − (k_r/k_c)·tm_r) for the billed trimmed means.
  const kCurrent = perBilledMs(currentPower, input.price.perGbSecond);
  const kChosen = perBilledMs(choice, input.price.perGbSecond);
  const diff = scaledTrimmedMeanDifference(
    currentSummary.billedMs,
    chosenSummary.billedMs,
    kChosen / kCurrent,
    input.discard,
    input.level,
  );
  const half = n * kCurrent * (diff.upper - diff.estimate);
  return { estimate, lower: estimate - half, upper: estimate + half };
}

function statement(input: MonthlyInput, saving: Estimate | undefined): string {
  const money = (v: number) =>
    `${input.currency === 'USD' ? '$' : ''}${Math.abs(v).toFixed(2)}${input.currency === 'USD' ? '' : ` ${input.currency}`}`;
  const measured = input.measured;
  if (measured?.invocations === 0) {
    return `CloudWatch recorded no invocations of the function in the last ${days(measured.windowDays)}, so every monthly figure is 0.`;
  }
  const volume = `${groupDigits(input.invocationsPerMonth)} invocations a month${measured ? ` (CloudWatch, last ${days(measured.windowDays)})` : ''}`;
  const level = `${+(input.level * 100).toFixed(1)}%`;
  if (input.choice === null)
    return `At ${volume}: no recommendation to compare with today's ${input.currentPower} MB.`;
  if (!saving) {
    return `At ${volume}: today's ${input.currentPower} MB was not measured, so the saving of ${input.choice} MB against it is unknown.`;
  }
  if (input.choice === input.currentPower)
    return `At ${volume}: ${input.choice} MB is today's size; nothing to save.`;
  const verb = saving.estimate >= 0 ? 'saves' : 'costs';
  const spread = `(${level} interval ${saving.lower < 0 ? '−' : ''}${money(saving.lower)} to ${saving.upper < 0 ? '−' : ''}${money(saving.upper)})`;
  return `At ${volume}, ${input.choice} MB ${verb} ${money(saving.estimate)} a month ${saving.estimate >= 0 ? 'against' : 'more than'} today's ${input.currentPower} MB ${spread}.`;
}

const days = (n: number) => (n === 1 ? 'day' : `${n} days`);
