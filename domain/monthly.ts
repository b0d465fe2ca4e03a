/**
 * Money per month: each size's cost per invocation times the production volume, and what the
 * recommendation saves against the function's current size, with intervals at the run's
 * confidence. The saving's interval is Yuen–Welch on the two sizes' billed durations, each
 * weighted by its price per billed ms (the request fees cancel).
 */
import { costDifference, costInterval } from './decision.js';
import { hostAwareParts, hostVariance } from './host-variance.js';
import { partsDifference } from './intervals.js';
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
  summaries: { power: number; summary: SizeSummary; cold?: SizeSummary; environments?: SizeSummary[] }[];
  /** With a cold-start rate, monthly costs blend warm and cold invocations as the strategies do. */
  coldStartRate?: number;
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
  const sizes = input.feasible.map((s) => {
    const blended = blendedCost(input, s.power);
    if (blended)
      return {
        power: s.power,
        estimate: n * blended.estimate,
        lower: n * blended.lower,
        upper: n * blended.upper,
      };
    return {
      power: s.power,
      estimate: n * s.averagePrice,
      lower: n * (s.priceInterval?.lower ?? s.averagePrice),
      upper: n * (s.priceInterval?.upper ?? s.averagePrice),
    };
  });
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

/** With a cold-start rate: one size's blended cost per invocation and its interval. */
function blendedCost(input: MonthlyInput, power: number): Estimate | undefined {
  const size = input.summaries.find((s) => s.power === power);
  if (input.coldStartRate === undefined || !size) return undefined;
  return costInterval(
    size,
    figureSettings(input),
    input.price,
    input.level,
    hostVariance(input.summaries, input.discard),
  );
}

const figureSettings = (input: MonthlyInput) => ({
  discardTopBottom: input.discard,
  ...(input.coldStartRate !== undefined ? { coldStartRate: input.coldStartRate } : {}),
});

function savingAgainstCurrent(input: MonthlyInput): Estimate | undefined {
  const { choice, currentPower } = input;
  if (choice === null) return undefined;
  if (input.coldStartRate !== undefined) return blendedSaving(input, choice);
  const current = input.feasible.find((s) => s.power === currentPower);
  const chosen = input.feasible.find((s) => s.power === choice);
  const currentSize = input.summaries.find((s) => s.power === currentPower);
  const chosenSize = input.summaries.find((s) => s.power === choice);
  if (!current || !chosen || !currentSize || !chosenSize) return undefined;
  const n = input.invocationsPerMonth;
  const estimate = n * (current.averagePrice - chosen.averagePrice);
  if (choice === currentPower) return { estimate, lower: estimate, upper: estimate };
  // cost(current) − cost(chosen) = k_c·(tm_c − (k_r/k_c)·tm_r) for the billed trimmed means.
  const kCurrent = perBilledMs(currentPower, input.price.perGbSecond);
  const kChosen = perBilledMs(choice, input.price.perGbSecond);
  // Spread over environments, each billed trimmed mean also carries the hosts' variance.
  const hosts = hostVariance(input.summaries, input.discard);
  const billed = (size: typeof currentSize) =>
    hostAwareParts(size.summary.billedMs, input.discard, hosts, size.environments);
  const diff = partsDifference(billed(currentSize), billed(chosenSize), kChosen / kCurrent, input.level);
  const half = n * kCurrent * (diff.upper - diff.estimate);
  return { estimate, lower: estimate - half, upper: estimate + half };
}

/** With a cold-start rate: today's blended cost minus the choice's, per month, with its interval. */
function blendedSaving(input: MonthlyInput, choice: number): Estimate | undefined {
  const current = input.summaries.find((s) => s.power === input.currentPower);
  const chosen = input.summaries.find((s) => s.power === choice);
  const feasible = (power: number) => input.feasible.some((s) => s.power === power);
  if (!current || !chosen || !feasible(input.currentPower) || !feasible(choice)) return undefined;
  const n = input.invocationsPerMonth;
  const hosts = hostVariance(input.summaries, input.discard);
  const diff = costDifference(current, chosen, figureSettings(input), input.price, input.level, hosts);
  if (choice === input.currentPower) return { estimate: 0, lower: 0, upper: 0 };
  return { estimate: n * diff.estimate, lower: n * diff.lower, upper: n * diff.upper };
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
