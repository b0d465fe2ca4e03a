/** Axis helpers for the report's charts: round tick steps and a linear scale. */

/** A step of 1, 2, 2.5 or 5 × 10^n giving about `count` ticks from 0 to max. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  return step ?? 10 * magnitude;
}

/** Ticks 0, step, 2·step … up to the first one at or above max. */
export function niceTicks(max: number, count = 5): number[] {
  const step = niceStep(max, count);
  const ticks = [0];
  while ((ticks[ticks.length - 1] as number) < max) ticks.push(ticks.length * step);
  return ticks;
}

/** Maps [domainMin, domainMax] onto [rangeMin, rangeMax]. */
export function linear(domainMin: number, domainMax: number, rangeMin: number, rangeMax: number) {
  const span = domainMax - domainMin || 1;
  return (v: number) => rangeMin + ((v - domainMin) / span) * (rangeMax - rangeMin);
}

/** Maps [domainMin, domainMax] onto [rangeMin, rangeMax] on a log scale (both ends > 0). */
export function logarithmic(domainMin: number, domainMax: number, rangeMin: number, rangeMax: number) {
  const lo = Math.log(domainMin);
  const span = Math.log(domainMax) - lo || 1;
  return (v: number) => rangeMin + ((Math.log(v) - lo) / span) * (rangeMax - rangeMin);
}

const COARSE = [1, 2, 5];
const FINE = [1, 1.5, 2, 3, 4, 5, 6, 8];
const DECADES = [1];

/**
 * A log axis covering [min, max] (both > 0) with room around them (`pad`, a ratio), and round
 * ticks inside it: 1-2-5, finer for a short range (evenly spaced for a very short one), decades
 * for a long one.
 */
export function logTicks(
  min: number,
  max: number,
  pad = 1.15,
): { ticks: number[]; lower: number; upper: number } {
  if (!(min > 0) || !(max >= min) || !Number.isFinite(max)) return { ticks: [1, 10], lower: 1, upper: 10 };
  const lower = min / pad;
  const upper = max * pad;
  const coarse = roundValuesWithin(lower, upper, COARSE);
  if (coarse.length > 8) return { ticks: roundValuesWithin(lower, upper, DECADES), lower, upper };
  if (coarse.length >= 3) return { ticks: coarse, lower, upper };
  const fine = roundValuesWithin(lower, upper, FINE);
  if (fine.length >= 3) return { ticks: fine, lower, upper };
  // A range too short for round log values (a flat curve): evenly spaced round values.
  const step = niceStep(upper - lower, 4);
  const ticks: number[] = [];
  for (let t = Math.ceil(lower / step) * step; t <= upper; t += step) ticks.push(Number(t.toPrecision(6)));
  return { ticks, lower, upper };
}

/** m × 10^k for each mantissa, from lower to upper. */
function roundValuesWithin(lower: number, upper: number, mantissas: number[]): number[] {
  const values: number[] = [];
  for (let k = Math.floor(Math.log10(lower)); k <= Math.ceil(Math.log10(upper)); k++)
    for (const m of mantissas) values.push(Number((m * 10 ** k).toPrecision(6)));
  return values.filter((v) => v >= lower && v <= upper);
}

/** Memory ticks for a log axis: both ends of the range and the powers of two between them. */
export function memoryTicks(lowestMb: number, highestMb: number): number[] {
  const ticks = [lowestMb];
  for (let p = 2 ** Math.ceil(Math.log2(lowestMb)); p < highestMb; p *= 2) if (p > lowestMb) ticks.push(p);
  if (highestMb > lowestMb) ticks.push(highestMb);
  return ticks;
}
