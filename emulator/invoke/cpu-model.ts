/**
 * How memory size turns into speed. Lambda allocates CPU in proportion to memory: 1,769 MB is
 * one full vCPU, and the maximum, 10,240 MB, has up to 6 vCPUs. Work that can use only one
 * thread stops getting faster past one vCPU.
 */
import type { Architecture, NoiseDistribution, SyntheticProfile } from '../model/types.js';

export const MB_PER_VCPU = 1769;
export const MAX_VCPUS = 6;

/** The vCPU share a memory size buys (0.072 at 128 MB, 1 at 1,769 MB, 5.79 at 10,240 MB). */
export function vcpusFor(memoryMb: number): number {
  return Math.min(MAX_VCPUS, memoryMb / MB_PER_VCPU);
}

/**
 * Emulated duration of a real handler call from what the host measured. CPU time is scaled by
 * the vCPU share; the rest of the wall time (waiting on timers, I/O) is not.
 * Parallelism is estimated from cpu/wall: a handler that kept 2 host cores busy used 2 threads.
 */
export function realHandlerDuration(cpuMs: number, wallMs: number, memoryMb: number): number {
  const threads = wallMs > 0 ? Math.max(1, cpuMs / wallMs) : 1;
  const busyWallMs = cpuMs / threads;
  const waitMs = Math.max(0, wallMs - busyWallMs);
  return cpuMs / Math.min(threads, vcpusFor(memoryMb)) + waitMs;
}

/**
 * The numbers one synthetic call draws, in this order: two for the additive noise and one for the
 * error rate (every profile: exactly three, as before the multiplicative noise existed), then two
 * for `relativeNoise` and one for `outliers`, only when the profile sets them.
 */
export interface SyntheticDraws {
  noise1: number;
  noise2: number;
  error: number;
  /** Two uniforms for the relative noise's normal deviate. */
  relative?: [number, number];
  /** One uniform: the call is an outlier when it is below `outliers.rate`. */
  outlier?: number;
}

/** A standard normal deviate from two uniforms in [0, 1) (Box–Muller; 1 − u1 keeps the log finite). */
export function standardNormal(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/** exp(σ·Z): a lognormal factor with median 1. */
export function lognormalFactor(sigma: number, u1: number, u2: number): number {
  return Math.exp(sigma * standardNormal(u1, u2));
}

export function noiseMs(distribution: NoiseDistribution, size: number, u1: number, u2: number): number {
  switch (distribution) {
    case 'none':
      return 0;
    case 'uniform':
      return (u1 * 2 - 1) * size;
    case 'normal':
      return standardNormal(u1, u2) * size;
  }
}

const hasRelativeNoise = (p: SyntheticProfile): boolean => (p.relativeNoise ?? 0) > 0;
const hasOutliers = (p: SyntheticProfile): boolean => (p.outliers?.rate ?? 0) > 0;

/** Draws what one call needs from the version's stream (see SyntheticDraws for the order). */
export function drawCall(profile: SyntheticProfile, random: () => number): SyntheticDraws {
  const draws: SyntheticDraws = { noise1: random(), noise2: random(), error: random() };
  if (hasRelativeNoise(profile)) draws.relative = [random(), random()];
  if (hasOutliers(profile)) draws.outlier = random();
  return draws;
}

/**
 * The speed factor of a new execution environment: exp(σ·Z) with σ = environmentSpread (two
 * draws), or exactly 1 without drawing anything when the profile has no spread.
 */
export function environmentFactor(profile: SyntheticProfile, random: () => number): number {
  const sigma = profile.environmentSpread ?? 0;
  if (sigma <= 0) return 1;
  return lognormalFactor(sigma, random(), random());
}

/** The profile's speed factor on `architecture` (`architectures.<name>.speedFactor`, else 1). */
export const architectureSpeedFactor = (profile: SyntheticProfile, architecture: Architecture): number =>
  profile.architectures?.[architecture]?.speedFactor ?? 1;

/**
 * Duration without any noise: cpu / min(threads, vCPUs) + I/O wait (a warm call, in ms), times
 * the memory pressure below its threshold when the profile has one, times the architecture's
 * speed factor (1 on x86_64 unless the profile gives one).
 */
export function noiseFreeDuration(
  profile: SyntheticProfile,
  memoryMb: number,
  architecture: Architecture = 'x86_64',
): number {
  const base = profile.cpuMs / Math.min(profile.threads, vcpusFor(memoryMb)) + profile.ioWaitMs;
  const pressure = profile.memoryPressure;
  const eased =
    !pressure || memoryMb >= pressure.belowMb
      ? base
      : base * (1 + pressure.extra * (1 - memoryMb / pressure.belowMb));
  return eased * architectureSpeedFactor(profile, architecture);
}

/** The product of the multiplicative factors of one call: environment, relative noise, outlier. */
export function durationFactor(profile: SyntheticProfile, draws: SyntheticDraws, speedFactor = 1): number {
  let factor = speedFactor;
  if (draws.relative && hasRelativeNoise(profile))
    factor *= lognormalFactor(profile.relativeNoise ?? 0, draws.relative[0], draws.relative[1]);
  if (draws.outlier !== undefined && profile.outliers && draws.outlier < profile.outliers.rate)
    factor *= profile.outliers.factor;
  return factor;
}

/**
 * Duration of a synthetic call before rounding:
 * (cpu / min(threads, vCPUs) + I/O wait) × architecture × environment × relative noise × outlier
 * + noise, at least 0. Without the optional fields every factor is exactly 1, so old profiles give
 * exactly the durations they always did.
 */
export function syntheticDuration(
  profile: SyntheticProfile,
  memoryMb: number,
  draws: SyntheticDraws,
  speedFactor = 1,
  architecture: Architecture = 'x86_64',
): number {
  const noise = noiseMs(profile.noise.distribution, profile.noise.size, draws.noise1, draws.noise2);
  return Math.max(
    0,
    noiseFreeDuration(profile, memoryMb, architecture) * durationFactor(profile, draws, speedFactor) + noise,
  );
}

/** Lambda reports durations with two decimals and bills whole milliseconds, rounded up. */
export const roundDuration = (ms: number): number => Math.round(ms * 100) / 100;
export const billedMs = (reportedMs: number): number => Math.max(1, Math.ceil(reportedMs - 1e-9));

/**
 * Billed Duration of a call. Since August 2025 Lambda bills the INIT phase of every on-demand
 * function too, so a cold start bills Duration + Init Duration; `billInit: false` gives the older rule.
 */
export const billedFor = (durationMs: number, initMs: number | undefined, billInit: boolean): number =>
  billedMs(durationMs + (billInit ? (initMs ?? 0) : 0));
