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
