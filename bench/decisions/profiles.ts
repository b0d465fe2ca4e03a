/**
 * The functions the decision benchmark tunes: synthetic profiles (see emulator/README.md), each
 * with realistic noise, plus how many execution environments a size's invocations spread over
 * (1 = the tuner's default sequential invocations; more = parallelInvocation).
 */
import { syntheticProfileSchema } from '../../emulator/model/definitions.js';
import type { SyntheticProfile } from '../../emulator/model/types.js';

export interface BenchProfile {
  name: string;
  /** What it models and what makes it hard. */
  description: string;
  profile: SyntheticProfile;
  /** Execution environments per size; invocation i of a size runs in environment i mod this. */
  environments: number;
}

function define(
  name: string,
  description: string,
  fields: Record<string, unknown>,
  environments = 1,
): BenchProfile {
  // Parsed like a functions file, so the defaults and the checks are the emulator's own.
  return { name, description, profile: syntheticProfileSchema.parse(fields), environments };
}

export const PROFILES: readonly BenchProfile[] = [
  define(
    'cpu-bound',
    'single-threaded CPU: cost nearly flat up to 1,769 MB (near-ties), no speed gain above it',
    {
      cpuMs: 400,
      ioWaitMs: 10,
      coldStartMs: 180,
      relativeNoise: 0.05,
      outliers: { rate: 0.01, factor: 2.5 },
      environmentSpread: 0.01,
    },
  ),
  define('io-bound', 'waits on I/O: the smallest size is cheapest, speed flat from about 1 GB', {
    cpuMs: 5,
    ioWaitMs: 150,
    coldStartMs: 120,
    relativeNoise: 0.08,
    outliers: { rate: 0.02, factor: 3 },
  }),
  define('multi-threaded', '4 threads: keeps getting faster up to 4 vCPUs (7,076 MB)', {
    cpuMs: 3000,
    threads: 4,
    ioWaitMs: 20,
    coldStartMs: 250,
    relativeNoise: 0.05,
  }),
  define('memory-floor', 'killed (out of memory) below 512 MB', {
    cpuMs: 150,
    ioWaitMs: 30,
    minMemoryMb: 512,
    memoryUsedMb: 400,
    relativeNoise: 0.05,
  }),
  define('heavy-tails', 'lognormal σ 0.3 and 5% of calls 5× slower', {
    cpuMs: 200,
    ioWaitMs: 40,
    relativeNoise: 0.3,
    outliers: { rate: 0.05, factor: 5 },
  }),
  define(
    'cold-start',
    '1.5 s init against a 50 ms handler, invocations spread over 2 environments',
    { cpuMs: 30, ioWaitMs: 20, coldStartMs: 1500, relativeNoise: 0.05 },
    2,
  ),
  define('tiny', 'about 2 ms from 1,769 MB up: 1 ms billing granularity decides the cost', {
    cpuMs: 1.2,
    ioWaitMs: 0.4,
    coldStartMs: 80,
    relativeNoise: 0.1,
  }),
  define(
    'mixed',
    '2 threads + I/O, every kind of noise, slower hosts, 3 environments per size',
    {
      cpuMs: 250,
      threads: 2,
      ioWaitMs: 80,
      coldStartMs: 400,
      relativeNoise: 0.08,
      outliers: { rate: 0.02, factor: 3 },
      environmentSpread: 0.05,
      noise: { distribution: 'normal', size: 2 },
    },
    3,
  ),
  define('flaky', '5% of calls fail at every size (feasible: the limit is 10%)', {
    cpuMs: 120,
    ioWaitMs: 15,
    errorRate: 0.05,
    relativeNoise: 0.05,
  }),
  define('near-tie-cost', '128 MB is 2% cheaper than 256 MB, 6% cheaper than 512 MB', {
    cpuMs: 100,
    ioWaitMs: 28,
    relativeNoise: 0.05,
  }),
  define('near-tie-speed', '1,536 MB is 1.4% slower than 1,769 MB and above', {
    cpuMs: 20,
    ioWaitMs: 200,
    relativeNoise: 0.05,
  }),
  define(
    'gc-pressure',
    'CPU-bound with garbage collection that eases up to 4 GB: breaks the plain CPU law the model assumes',
    {
      cpuMs: 300,
      ioWaitMs: 20,
      relativeNoise: 0.05,
      memoryPressure: { belowMb: 4096, extra: 0.6 },
    },
  ),
  define('slow-hosts', 'CPU-bound, sequential, hosts differ by σ 5%: each size is measured on one host', {
    cpuMs: 300,
    ioWaitMs: 10,
    relativeNoise: 0.02,
    environmentSpread: 0.05,
  }),
];

/** The profiles with these names, or every profile when no name is given. */
export function selectProfiles(names: readonly string[]): readonly BenchProfile[] {
  return names.length > 0 ? PROFILES.filter((p) => names.includes(p.name)) : PROFILES;
}

/**
 * The profile with its durations on arm64 multiplied by `speedFactor` (the emulator's
 * `architectures.arm64.speedFactor`); x86_64 is unchanged. Same name, so the same random streams.
 */
export function withArm64Factor(bench: BenchProfile, speedFactor: number): BenchProfile {
  const profile = syntheticProfileSchema.parse({
    ...bench.profile,
    architectures: { ...bench.profile.architectures, arm64: { speedFactor } },
  });
  return { ...bench, profile };
}
