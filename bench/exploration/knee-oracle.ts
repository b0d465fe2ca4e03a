/**
 * How well the speed optimum could be placed at all with the exploration's budget: an oracle that
 * knows the profile's exact law (duration = I/O + CPU × 1,769 / memory below the knee at one
 * vCPU per thread, flat above) and its noise, and needs only the two numbers it does not know. It
 * spends the whole budget on the two sizes that tell them apart best, 128 MB and the knee (shared
 * in proportion to their durations, which their noise scales with), estimates both by trimmed
 * means and puts the knee where the truth's rule puts it. No tuner knows that much, so its share
 * of runs within the regret target bounds what a tuner can reach; bench/README.md shows it beside
 * each speed cell.
 */
import { groundTruth } from '../decisions/truth.js';
import { SizeUnderTest } from '../decisions/measure.js';
import type { BenchProfile } from '../decisions/profiles.js';
import { DISCARD_TOP_BOTTOM } from '../decisions/settings.js';
import { sketchTrimmedMean } from '../../domain/sketch.js';
import { MAX_VCPUS, MB_PER_VCPU } from '../../domain/duration-model.js';
import { noiseFreeDuration } from '../../emulator/invoke/cpu-model.js';

const SMALLEST_MB = 128;
const COARSE_STEP_MB = 32;

/** The oracle's law holds: no memory pressure, no failures, and 128 MB works. */
export function oracleApplies(bench: BenchProfile): boolean {
  const { memoryPressure, minMemoryMb, errorRate } = bench.profile;
  return memoryPressure === undefined && minMemoryMb <= SMALLEST_MB && errorRate === 0;
}

/** Where code on `threads` threads stops getting faster: a vCPU each, up to Lambda's six. */
const kneeOf = (threads: number) => MB_PER_VCPU * Math.min(threads, MAX_VCPUS);

/** The size the oracle chooses for the speed strategy in run `run`, spending `budget` calls. */
export function oracleSpeedChoice(bench: BenchProfile, budget: number, run: number): number {
  if (!oracleApplies(bench)) throw new Error(`${bench.name}: the knee oracle's law does not hold`);
  const kneeMb = kneeOf(bench.profile.threads);
  const slowest = noiseFreeDuration(bench.profile, SMALLEST_MB);
  const fastest = noiseFreeDuration(bench.profile, kneeMb);
  const small = new SizeUnderTest(bench, SMALLEST_MB, run, 'out-of-memory');
  const knee = new SizeUnderTest(bench, kneeMb, run, 'out-of-memory');
  // Each environment's first call is cold: enough calls that trimming drops every one of them.
  const least = 10 * bench.environments;
  if (budget < 2 * least) throw new Error(`the knee oracle needs at least ${2 * least} calls`);
  const atSmall = Math.min(
    budget - least,
    Math.max(least, Math.round((budget * slowest) / (slowest + fastest))),
  );
  small.invoke(atSmall);
  knee.invoke(budget - atSmall);
  const meanSmall = sketchTrimmedMean(small.progress.summary.durationMs, DISCARD_TOP_BOTTOM);
  const meanKnee = sketchTrimmedMean(knee.progress.summary.durationMs, DISCARD_TOP_BOTTOM);
  // Both trimmed means carry the same noise bias, so the knee (a ratio of the two) does not.
  const cpu = (meanSmall - meanKnee) / (MB_PER_VCPU / SMALLEST_MB - MB_PER_VCPU / kneeMb);
  const io = meanKnee - (cpu * MB_PER_VCPU) / kneeMb;
  const estimated = { ...bench.profile, cpuMs: Math.max(1e-3, cpu), ioWaitMs: Math.max(0, io) };
  // The truth's rule on the estimated law: every 32 MB up to the knee, then every MB from well
  // below the best of those to the knee. Regrets are relative to the sizes compared: the fine
  // set holds the fastest size (the knee) and the edge of the tolerance below the best.
  const between = (from: number, to: number, step: number) => {
    const sizes = new Set([kneeMb]);
    for (let p = Math.max(SMALLEST_MB, from); p <= Math.min(kneeMb, to); p += step) sizes.add(p);
    return [...sizes];
  };
  const coarse = groundTruth(estimated, between(SMALLEST_MB, kneeMb, COARSE_STEP_MB), 'speed').best;
  return groundTruth(estimated, between(coarse - 4 * COARSE_STEP_MB, kneeMb, 1), 'speed').best;
}
