/** Adaptive races against a simulated function: lognormal noise around a known noise-free curve. */
import { lambdaPrice } from '../../domain/pricing.js';
import { mergeSummaries, summariseInvocations } from '../../domain/sample-summary.js';
import {
  firstRound,
  nextRound,
  type SamplingSettings,
  type SizeProgress,
} from '../../domain/sampling-policy.js';
import { createRng } from './prng.js';
import { warmInvocation } from './summaries.js';

const price = lambdaPrice('us-east-1', 'x86_64');

/** Runs the policy until it stops; every call is truth(power) × e^(noise · N(0, 1)). */
export function raceToStop(
  truth: (power: number) => number,
  powers: number[],
  s: SamplingSettings,
  seed: number,
  noise: number,
): SizeProgress[] {
  const rng = createRng(seed);
  const sizes: SizeProgress[] = powers.map((power) => ({ power, summary: summariseInvocations([]) }));
  let round = firstRound(powers, s.num);
  for (let look = 1; ; look++) {
    for (const r of round.requests) {
      const size = sizes.find((x) => x.power === r.power)!;
      const draws = Array.from({ length: r.count }, () =>
        warmInvocation(truth(r.power) * Math.exp(noise * rng.normal())),
      );
      size.summary = mergeSummaries(size.summary, summariseInvocations(draws));
    }
    round = nextRound(s, sizes, price, look);
    for (const e of round.eliminated ?? []) sizes.find((x) => x.power === e.power)!.eliminatedBy ??= e.by;
    if (round.stop) return sizes;
  }
}
