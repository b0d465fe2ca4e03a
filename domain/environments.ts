/**
 * Spreading a size over execution environments. Lambda runs each published version in its own
 * environments, on hosts of slightly different speed, and calls made one at a time mostly reuse
 * one environment: a size measured on one version carries its host's bias in every call, which
 * no number of calls averages out. Publishing the size `environments` times (one alias each) and
 * sharing its calls among them turns that bias into variance the decision can measure
 * (domain/host-variance.ts).
 */

/** Environments per size of adaptive runs unless the input says otherwise. */
export const DEFAULT_ENVIRONMENTS = 3;
/**
 * Environments per size of adaptive runs with a latency bound unless the input says otherwise: a
 * percentile's bound carries the hosts' variance (domain/host-percentile.ts), estimated from each
 * size's environments, and at 3 it rests on so few degrees of freedom that few sizes can be shown
 * to meet a bound (bench/README.md "Constraints").
 */
export const LATENCY_ENVIRONMENTS = 5;
/** The most the input accepts: each one is a published version per size. */
export const MAX_ENVIRONMENTS = 5;

/**
 * How many of `count` new calls each environment gets, so that their totals (`done` so far) end
 * as even as they can: the emptiest first, ties to the lower index. Deterministic.
 */
export function splitAcross(count: number, done: readonly number[]): number[] {
  if (done.length === 0) throw new Error('splitAcross needs at least one environment');
  const totals = [...done];
  const shares = done.map(() => 0);
  for (let i = 0; i < count; i++) {
    let emptiest = 0;
    for (let e = 1; e < totals.length; e++)
      if ((totals[e] as number) < (totals[emptiest] as number)) emptiest = e;
    totals[emptiest] = (totals[emptiest] as number) + 1;
    shares[emptiest] = (shares[emptiest] as number) + 1;
  }
  return shares;
}
