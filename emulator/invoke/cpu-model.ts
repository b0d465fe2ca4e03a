/**
 * How memory size turns into speed. Lambda allocates CPU in proportion to memory: 1,769 MB is
 * one full vCPU, and the maximum, 10,240 MB, has up to 6 vCPUs. Work that can use only one
 * thread stops getting faster past one vCPU.
 */
import type { NoiseDistribution, SyntheticProfile } from '../model/types.js';

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

/** Each synthetic call draws exactly three numbers: two for the noise, one for the error. */
export interface SyntheticDraws {
  noise1: number;
  noise2: number;
  error: number;
}

export function noiseMs(distribution: NoiseDistribution, size: number, u1: number, u2: number): number {
  switch (distribution) {
    case 'none':
      return 0;
    case 'uniform':
      return (u1 * 2 - 1) * size;
    case 'normal':
      // Box-Muller; 1 - u1 keeps the logarithm finite.
      return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2) * size;
  }
}

/** Duration of a synthetic call before rounding: cpu / min(threads, vCPUs) + I/O wait + noise, at least 0. */
export function syntheticDuration(
  profile: SyntheticProfile,
  memoryMb: number,
  draws: SyntheticDraws,
): number {
  const cpu = profile.cpuMs / Math.min(profile.threads, vcpusFor(memoryMb));
  const noise = noiseMs(profile.noise.distribution, profile.noise.size, draws.noise1, draws.noise2);
  return Math.max(0, cpu + profile.ioWaitMs + noise);
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
