/** Adaptive races against a simulated function: lognormal noise around a known noise-free curve. */
import { splitAcross } from '../../domain/environments.js';
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

/**
 * Hosts of different speed: each size's calls are shared among `environments` aliases (as the
 * workflow does, by splitAcross), each on a host whose speed factor is e^(spread · N(0, 1)).
 */
export interface RaceHosts {
  spread: number;
  environments: number;
}

/**
 * Runs the policy until it stops; every call is truth(power) × host × e^(noise · N(0, 1)), the
 * host factor 1 without `hosts`.
 */
export function raceToStop(
  truth: (power: number) => number,
  powers: number[],
  s: SamplingSettings,
  seed: number,
  noise: number,
  hosts?: RaceHosts,
): SizeProgress[] {
  const rng = createRng(seed);
  const environments = hosts?.environments ?? 1;
  const factors = new Map(
    powers.map((power) => [
      power,
      // No draw without hosts: the races of other tests keep their random streams.
      Array.from({ length: environments }, () => (hosts ? Math.exp(hosts.spread * rng.normal()) : 1)),
    ]),
  );
  const sizes: SizeProgress[] = powers.map((power) => ({
    power,
    summary: summariseInvocations([]),
    ...(environments > 1
      ? { environments: Array.from({ length: environments }, () => summariseInvocations([])) }
      : {}),
  }));
  let round = firstRound(powers, s.num);
  for (let look = 1; ; look++) {
    for (const r of round.requests) {
      const size = sizes.find((x) => x.power === r.power)!;
      const perHost = size.environments ?? [size.summary];
      const shares = splitAcross(
        r.count,
        perHost.map((e) => e.invocations),
      );
      for (const [slot, share] of shares.entries()) {
        const host = factors.get(r.power)![slot]!;
        const draws = Array.from({ length: share }, () =>
          warmInvocation(truth(r.power) * host * Math.exp(noise * rng.normal())),
        );
        const summary = summariseInvocations(draws);
        size.summary = mergeSummaries(size.summary, summary);
        if (size.environments) size.environments[slot] = mergeSummaries(size.environments[slot]!, summary);
      }
    }
    round = nextRound(s, sizes, price, look);
    for (const e of round.eliminated ?? []) sizes.find((x) => x.power === e.power)!.eliminatedBy ??= e.by;
    if (round.stop) return sizes;
  }
}
