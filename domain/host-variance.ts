/**
 * The spread between execution environments (domain/environments.ts). A size whose calls are
 * shared among several environments measures it: the spread of their means beyond what their
 * own calls explain. It is pooled over every size as a relative variance τ² (a host is a few
 * percent faster whatever the memory size), by the method of moments, and each size's trimmed
 * mean then carries τ²·mean²/K (domain/decision.ts).
 *
 * Sizes with a handful of calls per environment (those raced out after the first round) say
 * almost nothing about τ²: their own spread estimate rests on one or two degrees of freedom.
 * Each size's moment estimate is therefore weighted by the precision it would have under
 * multiplicative noise, (K − 1)·h², h its trimmed calls per environment. Unweighted, their noise
 * alone made τ up to 2% on a function with no host spread at all (bench/decisions `gc-pressure`).
 */
import { yuenParts, type YuenParts } from './intervals.js';
import type { SizeSummary } from './sample-summary.js';
import type { ValueSketch } from './sketch.js';
import type { HostSpread } from './types.js';

export interface HostVariance {
  /** Relative variance of an environment's speed (0: no spread beyond the calls' own). */
  relative: number;
  /** Effective degrees of freedom of the estimate (Satterthwaite over the weighted sizes). */
  df: number;
}

export const NO_HOST_VARIANCE: HostVariance = { relative: 0, df: 0 };

/** Pooled over the sizes' environments (each with at least 2 trimmed values). */
export function hostVariance(
  sizes: { environments?: SizeSummary[] }[],
  discardTopBottom: number,
): HostVariance {
  let weighted = 0;
  let weights = 0;
  let weightsSquaredPerDf = 0;
  for (const size of sizes) {
    const parts = (size.environments ?? [])
      .map((e) => yuenParts(e.durationMs, discardTopBottom))
      .filter((p) => p.d !== undefined && p.h >= 2);
    if (parts.length < 2) continue;
    const k = parts.length;
    const mean = parts.reduce((sum, p) => sum + p.estimate, 0) / k;
    if (!(mean > 0)) continue;
    const between = parts.reduce((sum, p) => sum + (p.estimate - mean) ** 2, 0) / (k - 1);
    const within = parts.reduce((sum, p) => sum + (p.d as number), 0) / k;
    const calls = parts.reduce((sum, p) => sum + p.h, 0) / k;
    const weight = (k - 1) * calls * calls;
    weighted += (weight * (between - within)) / (mean * mean);
    weights += weight;
    weightsSquaredPerDf += (weight * weight) / (k - 1);
  }
  if (weights === 0) return NO_HOST_VARIANCE;
  return { relative: Math.max(0, weighted / weights), df: (weights * weights) / weightsSquaredPerDf };
}

/**
 * A trimmed mean measured in `environments` environments, with the hosts' variance added: a
 * host's bias averages out over the environments, not over the calls. Its degrees of freedom
 * combine both parts' (Welch–Satterthwaite), so a small host share barely changes them.
 */
export function withHosts(parts: YuenParts, hosts: HostVariance, environments: number): YuenParts {
  if (hosts.relative === 0 || parts.d === undefined || parts.h < 2) return parts;
  const calls = parts.d;
  const host = (hosts.relative * parts.estimate * parts.estimate) / Math.max(1, environments);
  const df = (calls + host) ** 2 / (calls ** 2 / (parts.h - 1) + host ** 2 / hosts.df);
  return { ...parts, d: calls + host, h: Math.min(parts.h, 1 + df) };
}

/** A size's trimmed mean of `sketch` with the hosts' variance added (one environment: as measured). */
export function hostAwareParts(
  sketch: ValueSketch,
  discard: number,
  hosts: HostVariance,
  environments: SizeSummary[] | undefined,
): YuenParts {
  return withHosts(yuenParts(sketch, discard), hosts, environments?.length ?? 1);
}

/**
 * What the output says about the hosts, for a run whose sizes were spread over `environments`
 * (more than 1), some perhaps over up to `most`; undefined otherwise.
 */
export function hostSpread(
  hosts: HostVariance,
  environments: number,
  most = environments,
): HostSpread | undefined {
  if (environments < 2) return undefined;
  const spread = Math.sqrt(hosts.relative);
  const degreesOfFreedom = Math.round(hosts.df * 10) / 10;
  const measured =
    spread > 0
      ? `their hosts differed in speed by about ${(spread * 100).toFixed(1)}% (one standard deviation, a rough ` +
        `estimate on ${degreesOfFreedom} degrees of freedom), which every interval and comparison includes.`
      : "no difference between their hosts beyond the calls' own noise was measured.";
  const grown = most > environments ? `, and those whose verdict stayed open on up to ${most}` : '';
  return {
    environments,
    ...(most > environments ? { mostEnvironments: most } : {}),
    spread,
    degreesOfFreedom,
    statement: `Each size ran on ${environments} versions of its own (execution environments)${grown}; ${measured}`,
  };
}
