/**
 * The architecture sweep (issue #11: "With two architectures: the right architecture in ≥ 95% of
 * runs"): tunings with `architectures: ["x86_64","arm64"]` on a function running on x86_64, done
 * as the workflow does them (workflows/architectures.ts): one adaptive pass per architecture
 * with that architecture's durations and price, each analysed by domain/analysis.ts, then
 * `chooseArchitecture` between the two recommendations. Profiles are given arm64 speed factors
 * from faster to slower; each run is scored against architecture-truth.ts.
 */
import { performance } from 'node:perf_hooks';
import { chooseArchitecture, passOrder, type ArchitecturePass } from '../../domain/architectures.js';
import { analyzeTuning, NoFeasiblePowerError } from '../../domain/analysis.js';
import type { Architecture, Strategy, TuningConfig } from '../../domain/types.js';
import {
  architectureTruth,
  CURRENT,
  pairRegret,
  type ArchitectureGroundTruth,
  type ArchitectureTruth,
} from './architecture-truth.js';
import { withArm64Factor, type BenchProfile } from './profiles.js';
import { architecturesConfig, GRID_INVOCATIONS, REGION, STRATEGIES } from './settings.js';
import { simulatePass } from './simulate.js';

/** arm64 durations × these: much faster, faster, the same, as slow as its lower price pays for, slower. */
export const ARM64_SPEED_FACTORS: readonly number[] = [0.6, 0.8, 1, 1.25, 1.6];

/**
 * The profiles swept: single-threaded CPU (the optimum at 1,769 MB), I/O wait (128–1,536 MB,
 * where the request fee weighs and balanced is a near-tie at factor 1), four threads (up to
 * 10,240 MB). A speed factor scales each alike, so more profiles add run time, not cases.
 */
export const ARCHITECTURE_PROFILES: readonly string[] = ['cpu-bound', 'io-bound', 'multi-threaded'];

/** The share of runs that must choose the right architecture (issue #11). */
export const RIGHT_TARGET = 0.95;

/** One tuning over both architectures, scored. */
export interface ArchitectureRun {
  /** The recommended architecture; null when neither pass recommends a size. */
  chosen: Architecture | null;
  power: number | null;
  /** How the rule compared the two recommendations (ArchitectureReport.difference). */
  difference: 'better' | 'indistinguishable' | 'only-feasible';
  right: boolean;
  /** Of the chosen architecture and size; absent without a recommendation. */
  regret?: number;
  /** Both passes. */
  invocations: number;
}

export interface ArchitectureCell {
  profile: string;
  /** arm64 durations are x86_64's × this. */
  speedFactor: number;
  strategy: Strategy;
  runs: number;
  truth: ArchitectureTruth;
  /** Share of runs choosing `truth.right`. */
  rightShare: number;
  /** The architecture chosen most often (ties: x86_64); null when no run chose one. */
  modal: Architecture | null;
  modalShare: number;
  /** Runs choosing each architecture. */
  choices: Partial<Record<Architecture, number>>;
  /** Runs per way the rule compared the passes: better (moved), indistinguishable (kept), only-feasible. */
  differences: Partial<Record<ArchitectureRun['difference'], number>>;
  /** Over the runs with a recommendation. */
  maxRegret: number;
  meanRegret: number;
  /** Mean invocations of a run (both passes) / the fixed grid's (num × sizes). */
  invocationRatio: number;
  /** Runs without any recommendation. */
  failedRuns: number;
  meets: boolean;
}

export interface ArchitectureSweep {
  factors: readonly number[];
  /** The sweep's profiles among those selected (none: the sweep did not run). */
  profiles: string[];
  runs: number;
  target: number;
  cells: ArchitectureCell[];
  /** Cells with at least `target` right. */
  met: number;
  line: string;
  seconds: number;
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);

/** A pass as workflows/architectures.ts records it: the analysis's output, or why there is none. */
function analysedPass(
  bench: BenchProfile,
  config: TuningConfig,
  architecture: Architecture,
  run: number,
): ArchitecturePass & { invocations: number } {
  const sample = simulatePass(bench, config.strategy, architecture, run);
  try {
    const output = analyzeTuning({
      config,
      stop: sample.stop,
      ...(sample.racing ? { racing: sample.racing } : {}),
      ...(sample.provenSpeedup ? { provenSpeedup: true } : {}),
      functionName: bench.name,
      region: REGION,
      architecture,
      results: sample.sizes,
    });
    return { architecture, output, invocations: sample.invocations };
  } catch (err) {
    if (!(err instanceof NoFeasiblePowerError)) throw err;
    return { architecture, infeasibleReason: err.message, invocations: sample.invocations };
  }
}

/** The choice between the two passes, as the workflow makes it, scored against the truth. */
export function scoreRun(
  ground: ArchitectureGroundTruth,
  config: TuningConfig,
  passes: readonly (ArchitecturePass & { invocations: number })[],
): ArchitectureRun {
  const { pass, report } = chooseArchitecture(passes, CURRENT, {
    strategy: config.strategy,
    tolerance: config.sampling.tolerance,
    balancedWeight: config.balancedWeight,
    // As runs started since the `architecture-difference-interval` patch choose.
    differenceInterval: true,
  });
  const power = pass?.output?.power ?? null;
  const chosen = pass ? report.chosen : null;
  return {
    chosen,
    power,
    difference: report.difference,
    right: chosen === ground.truth.right,
    ...(chosen !== null && power !== null ? { regret: pairRegret(ground, chosen, power) } : {}),
    invocations: passes.reduce((sum, p) => sum + p.invocations, 0),
  };
}

function cell(
  bench: BenchProfile,
  speedFactor: number,
  strategy: Strategy,
  ground: ArchitectureGroundTruth,
  runs: ArchitectureRun[],
): ArchitectureCell {
  const choices: Partial<Record<Architecture, number>> = {};
  const differences: ArchitectureCell['differences'] = {};
  for (const r of runs) {
    if (r.chosen) choices[r.chosen] = (choices[r.chosen] ?? 0) + 1;
    differences[r.difference] = (differences[r.difference] ?? 0) + 1;
  }
  // Sorted by count, x86_64 (the function's own) first among equals.
  const ranked = (Object.entries(choices) as [Architecture, number][]).sort(
    (a, b) => b[1] - a[1] || Number(b[0] === CURRENT) - Number(a[0] === CURRENT),
  );
  const regrets = runs.flatMap((r) => (r.regret === undefined ? [] : [r.regret]));
  const rightShare = runs.filter((r) => r.right).length / runs.length;
  return {
    profile: bench.name,
    speedFactor,
    strategy,
    runs: runs.length,
    truth: ground.truth,
    rightShare,
    modal: ranked[0]?.[0] ?? null,
    modalShare: (ranked[0]?.[1] ?? 0) / runs.length,
    choices,
    differences,
    maxRegret: Math.max(0, ...regrets),
    meanRegret: mean(regrets),
    invocationRatio: mean(runs.map((r) => r.invocations / GRID_INVOCATIONS)),
    failedRuns: runs.filter((r) => r.chosen === null).length,
    meets: rightShare >= RIGHT_TARGET,
  };
}

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

export function architectureLine(sweep: Pick<ArchitectureSweep, 'cells' | 'met' | 'profiles'>): string {
  if (sweep.profiles.length === 0)
    return `architectures: not run (none of ${ARCHITECTURE_PROFILES.join(', ')} selected)`;
  const lowest = [...sweep.cells].sort((a, b) => a.rightShare - b.rightShare)[0];
  const worst = lowest
    ? `; lowest ${pct(lowest.rightShare)} (${lowest.profile}, arm64 × ${lowest.speedFactor}, ${lowest.strategy})`
    : '';
  return (
    `architectures: the right architecture in ≥ ${pct(RIGHT_TARGET, 0)} of runs in ${sweep.met} of ` +
    `${sweep.cells.length} profile × factor × strategy cells${worst}; ` +
    `max regret ${pct(Math.max(0, ...sweep.cells.map((c) => c.maxRegret)), 2)}`
  );
}

/**
 * Runs the sweep on the selected profiles that are among `profiles` (default
 * ARCHITECTURE_PROFILES). The x86_64 pass does not depend on the arm64 factor: each run's is
 * tuned once per strategy and compared with every factor's arm64 pass.
 */
export function architectureSweep(
  selected: readonly BenchProfile[],
  runs: number,
  progress: (name: string) => void = () => undefined,
  options: { factors?: readonly number[]; profiles?: readonly string[] } = {},
): ArchitectureSweep {
  const started = performance.now();
  const factors = options.factors ?? ARM64_SPEED_FACTORS;
  const names = options.profiles ?? ARCHITECTURE_PROFILES;
  const benches = selected.filter((b) => names.includes(b.name));
  const cells: ArchitectureCell[] = [];
  for (const bench of benches) {
    progress(bench.name);
    const configs = new Map(STRATEGIES.map((s) => [s, architecturesConfig(s)]));
    const order = (config: TuningConfig) => passOrder(config.architectures ?? [CURRENT], CURRENT);
    const own = new Map(
      STRATEGIES.map((s) => {
        const config = configs.get(s) as TuningConfig;
        return [s, Array.from({ length: runs }, (_, run) => analysedPass(bench, config, CURRENT, run))];
      }),
    );
    for (const speedFactor of factors) {
      const variant = withArm64Factor(bench, speedFactor);
      for (const strategy of STRATEGIES) {
        const config = configs.get(strategy) as TuningConfig;
        const ground = architectureTruth(variant.profile, strategy);
        const outcomes = Array.from({ length: runs }, (_, run) => {
          const passes = order(config).map((architecture) =>
            architecture === CURRENT
              ? (own.get(strategy)?.[run] as ReturnType<typeof analysedPass>)
              : analysedPass(variant, config, architecture, run),
          );
          return scoreRun(ground, config, passes);
        });
        cells.push(cell(bench, speedFactor, strategy, ground, outcomes));
      }
    }
  }
  const sweep = {
    factors,
    profiles: benches.map((b) => b.name),
    runs,
    target: RIGHT_TARGET,
    cells,
    met: cells.filter((c) => c.meets).length,
  };
  return { ...sweep, line: architectureLine(sweep), seconds: (performance.now() - started) / 1000 };
}
