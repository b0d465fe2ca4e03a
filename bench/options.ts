/** Command-line options of `npm run bench` and the sizes of each scenario. */
import { parseFlags, positiveInt, UsageError } from './cli-options.js';
import type { WorkerForm } from './worker-build.js';

export type Scale = 'tiny' | 'small' | 'default';

export interface ScenarioSizes {
  /** Scenarios 1 and 5: sequential invocations of a fixed 50 ms function, in real time. */
  efficiency: { powerValues: number; num: number };
  /** Scenario 2: parallel invocations at time scale 0, against the bare SDK. */
  throughput: { powerValues: number; num: number; concurrency: number };
  /** Scenario 3: history size of a large tuning. */
  history: { powerValues: number; num: number };
  /** Scenario 4: many tunings at once on one worker, then `manyTunings` on a fresh one. */
  concurrent: { tunings: number; manyTunings: number; powerValues: number; num: number };
  /** Scenario 6: a CPU-bound function in real time, whole run against the pipelined bound. */
  pipeline: { powerValues: number; num: number };
  /** `--cluster`: concurrent tunings on the native cluster, on one worker and then on two. */
  cluster: { tunings: number; powerValues: number; num: number };
}

export interface BenchOptions {
  /** `--cluster`: the cluster's workload (sizes.cluster) instead of the scenarios. */
  cluster: boolean;
  scenarios: number[];
  scale: Scale;
  sizes: ScenarioSizes;
  json: boolean;
  /** Timed scenarios (1, 2, 5) run tuner and reference this many times each and keep the best. */
  repeat: number;
  /** Emulated duration of the synthetic function, ms. */
  functionMs: number;
  /** How long an emulated configuration update stays InProgress, ms (AWS takes a second or more). */
  updateDelayMs: number;
  /** The worker as the container image runs it (compiled), or as `npm run worker` (tsx). */
  worker: WorkerForm;
  /** Write the worker's V8 CPU profile of each scenario into this folder. */
  cpuProfileDir?: string;
  /** Also write the table in Markdown (for the README) to this file. */
  markdownFile?: string;
}

// One row a figure, its values at the scales default, small and tiny in that order: the scales
// differ only in these numbers, so they stand side by side rather than as three copied blocks.
type PerScale = readonly [defaultScale: number, small: number, tiny: number];
const SCALE_COLUMNS: readonly Scale[] = ['default', 'small', 'tiny'];
const SIZE_TABLE: { [S in keyof ScenarioSizes]: Record<keyof ScenarioSizes[S], PerScale> } = {
  efficiency: { powerValues: [6, 6, 2], num: [100, 30, 5] },
  throughput: { powerValues: [10, 10, 2], num: [500, 100, 10], concurrency: [10, 10, 5] },
  history: { powerValues: [10, 10, 2], num: [1000, 200, 10] },
  concurrent: {
    tunings: [20, 10, 2],
    manyTunings: [100, 30, 3],
    powerValues: [5, 3, 2],
    num: [100, 30, 5],
  },
  pipeline: { powerValues: [6, 6, 2], num: [20, 10, 5] },
  // 40 × 5 batches at once: more than one worker's 100 activity slots, as many as two workers have.
  cluster: { tunings: [40, 10, 2], powerValues: [5, 3, 2], num: [100, 30, 5] },
};

/** Flags of the scenarios that `--cluster` (one workload of its own) does not take. */
const SCENARIO_ONLY_FLAGS = ['scenario', 'many-tunings', 'concurrency', 'repeat', 'cpu-prof'] as const;

function sizesAt(scale: Scale): ScenarioSizes {
  const column = SCALE_COLUMNS.indexOf(scale);
  const pick = (figures: Record<string, PerScale>) =>
    Object.fromEntries(Object.entries(figures).map(([name, values]) => [name, values[column]]));
  return Object.fromEntries(
    Object.entries(SIZE_TABLE).map(([scenario, figures]) => [scenario, pick(figures)]),
  ) as unknown as ScenarioSizes;
}

const SCALES: Record<Scale, ScenarioSizes> = {
  default: sizesAt('default'),
  small: sizesAt('small'),
  tiny: sizesAt('tiny'),
};

export const USAGE = `Usage: npm run bench -- [options]
  --cluster             instead of the scenarios: the native cluster (PostgreSQL + Temporal server),
                        the same concurrent tunings on one worker, then on two; takes --scale,
                        --tunings, --num, --power-values, --update-delay-ms, --worker, --json, --markdown
  --scenario <n>        run only scenario n (1-6); repeatable (default: all)
  --scale <s>           tiny | small | default (default: default, the sizes of the spec)
  --num <n>             invocations per power value in every scenario (overrides the scale)
  --power-values <n>    power values per tuning in every scenario (overrides the scale)
  --tunings <n>         concurrent tunings in scenario 4's first run (default 20), or of --cluster (40)
  --many-tunings <n>    concurrent tunings in scenario 4's second run (default 100)
  --concurrency <n>     parallel invocations per power value in scenario 2 (default 10)
  --repeat <n>          rounds of scenarios 1, 2 and 5, best kept (default 3; 1 at tiny and small)
  --update-delay-ms <n> emulated configuration update time (default 500; 50 at tiny)
  --worker <form>       compiled (default: as the container image runs it) | tsx (as npm run worker)
  --cpu-prof <dir>      write the worker's CPU profile of each scenario into <dir>
  --markdown <file>     also write the table in Markdown to <file>
  --json                print only the summary JSON object on stdout
  -h, --help            this help`;

/** Returns undefined for --help. */
export function parseBenchArgs(argv: string[]): BenchOptions | undefined {
  const values = parseFlags(argv, {
    scenario: { type: 'string', multiple: true },
    scale: { type: 'string', default: 'default' },
    num: { type: 'string' },
    'power-values': { type: 'string' },
    tunings: { type: 'string' },
    'many-tunings': { type: 'string' },
    concurrency: { type: 'string' },
    'update-delay-ms': { type: 'string' },
    repeat: { type: 'string' },
    'cpu-prof': { type: 'string' },
    worker: { type: 'string', default: 'compiled' },
    cluster: { type: 'boolean', default: false },
  });
  if (values.help) return undefined;
  if (values.cluster) {
    const given = SCENARIO_ONLY_FLAGS.filter((flag) => values[flag] !== undefined);
    if (given.length > 0)
      throw new UsageError(
        `--cluster runs one workload of its own (--tunings tunings on one worker, then on two); ` +
          `it takes no ${given.map((flag) => `--${flag}`).join(', ')}`,
      );
  }
  const scale = values.scale as Scale;
  if (!(scale in SCALES))
    throw new UsageError(`--scale must be tiny, small or default, got: ${values.scale}`);
  const scenarios = (values.scenario ?? ['1', '2', '3', '4', '5', '6']).map((s) => {
    const n = positiveInt('scenario', s);
    if (n === undefined || n > 6) throw new UsageError(`--scenario must be 1 to 6, got: ${s}`);
    return n;
  });

  const worker = values.worker as WorkerForm;
  if (worker !== 'compiled' && worker !== 'tsx')
    throw new UsageError(`--worker must be compiled or tsx, got: ${values.worker}`);

  const base = SCALES[scale];
  // The tuner accepts num >= 5, like the original tool.
  const num = positiveInt('num', values.num, 5);
  const powerValues = positiveInt('power-values', values['power-values']);
  if (powerValues !== undefined && powerValues > 20)
    throw new UsageError('--power-values must be at most 20');
  const pick = <T extends { num: number; powerValues: number }>(size: T): T => ({
    ...size,
    num: num ?? size.num,
    powerValues: powerValues ?? size.powerValues,
  });
  const sizes: ScenarioSizes = {
    efficiency: pick(base.efficiency),
    throughput: {
      ...pick(base.throughput),
      concurrency: positiveInt('concurrency', values.concurrency) ?? base.throughput.concurrency,
    },
    history: pick(base.history),
    concurrent: {
      ...pick(base.concurrent),
      tunings: positiveInt('tunings', values.tunings) ?? base.concurrent.tunings,
      manyTunings: positiveInt('many-tunings', values['many-tunings']) ?? base.concurrent.manyTunings,
    },
    pipeline: pick(base.pipeline),
    cluster: {
      ...pick(base.cluster),
      tunings: positiveInt('tunings', values.tunings) ?? base.cluster.tunings,
    },
  };
  return {
    cluster: values.cluster,
    scenarios: [...new Set(scenarios)].sort(),
    scale,
    sizes,
    json: values.json,
    // The machine is shared: the best of a few rounds filters out moments when others load it.
    repeat: positiveInt('repeat', values.repeat) ?? (scale === 'default' ? 3 : 1),
    functionMs: 50,
    // Tiny runs only check that the harness works: short emulated updates keep them quick.
    updateDelayMs:
      positiveInt('update-delay-ms', values['update-delay-ms'], 0) ?? (scale === 'tiny' ? 50 : 500),
    worker,
    cpuProfileDir: values['cpu-prof'],
    markdownFile: values.markdown,
  };
}

/** Distinct memory sizes from 128 MB up, in the usual 128 MB steps. */
export function powerValueList(count: number): number[] {
  return Array.from({ length: count }, (_, i) => 128 * (i + 1));
}
