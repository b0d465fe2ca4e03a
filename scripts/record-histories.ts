/**
 * Records workflow histories for the replay test (test/integration/replay.test.ts): runs a few
 * representative tunings against the emulator and saves each history as JSON. Run it again
 * after an intended change to the workflow's commands (and keep the old files while old runs
 * may still be open: then the change needs `patched()`).
 *
 *   npx tsx scripts/record-histories.ts [scenario ...]
 *
 * With scenario names, records only those (e.g. after a patch that changes one path).
 */
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { writeTestFunctions } from '../test/support/functions-file.js';
import { startHarness } from '../test/support/tuning-harness.js';

const OUT = new URL('../test/fixtures/histories/', import.meta.url);

const functions = writeTestFunctions({
  'replay-cpu': { cpuMs: 300 },
  'replay-oom': { cpuMs: 50, minMemoryMb: 256 },
  // Noisy and flat beyond one vCPU: adaptive sampling needs more than one round.
  'replay-noisy': { cpuMs: 300, relativeNoise: 0.1 },
  // Two threads: faster up to 3,538 MB, a size a model exploration proposes and publishes late.
  'replay-two-threads': { cpuMs: 300, threads: 2, relativeNoise: 0.03 },
  // Memory pressure easing up to 4 GB: the small sizes are dearer, against the cost law.
  'replay-pressure': { cpuMs: 300, relativeNoise: 0.05, memoryPressure: { belowMb: 4096, extra: 0.6 } },
  // Hosts 8% apart: a p95 near the bound stays open until the size runs on more environments.
  'replay-hosts': { cpuMs: 300, relativeNoise: 0.1, environmentSpread: 0.08 },
});

/**
 * Histories of the current workflow code are saved as `v5-<name>.json`. Older prefixes stay while
 * runs they stand for may still be open: `v1-*` (before the safety rework, replayed through
 * workflows/legacy/), `v2-*` (before sticky racing; `v2-adaptive` replays the per-look policy),
 * `v3-*` (before pipelined setup: every size set up before any invoked), `v4-*` (before the
 * baseline: the function's own size was measured only when asked for). `v5-baseline` was recorded
 * before environment spreading (one version per size); `v5-adaptive` spreads over 3 and races
 * `sticky-model`; `v5-constrained-3env` races `sticky-pooled` and judges a latency bound with the
 * hosts' variance, on 3 environments (before a latency bound raised the default to 5);
 * `v5-constrained` is the same input since. `v5-exploration` searches 1,024–6,144 MB with
 * `exploration: "model"` and publishes the sizes the curve proposes between rounds. `v5-focused` races
 * `sticky-focused` (since the `focused-racing` patch) on a function whose small sizes are dearer;
 * `v5-exploration-focused` is `v5-exploration`'s input since then. `v5-architectures` tunes both
 * architectures (since the `architecture-difference-interval` patch). `v5-grown` has a p95 bound
 * near 1,024 MB's, so that size is published again over more environments between rounds (since
 * the `latency-growth` patch). `v5-last-round` races two sizes of the same speed, 10% noise, that
 * eight looks cannot settle: its last round takes what is left of the budget (since the
 * `last-round-takes-rest` patch).
 */
const PREFIX = 'v5-';
const only = process.argv.slice(2);

/** A whole-range model exploration of a 2-thread function. */
const EXPLORATION = {
  lambdaARN: 'replay-two-threads',
  num: 5,
  powerValues: [1024, 6144],
  confidence: 0.95,
  strategy: 'speed',
  exploration: 'model',
};

/** A p95 bound on a noisy function. */
const CONSTRAINED = {
  lambdaARN: 'replay-noisy',
  num: 5,
  powerValues: [1024, 2048],
  confidence: 0.95,
  strategy: 'cost',
  constraints: { percentile: 95, maxDurationMs: 2000 },
};

const scenarios: Record<string, Record<string, unknown>> = {
  adaptive: {
    lambdaARN: 'replay-noisy',
    num: 5,
    powerValues: [1024, 2048, 3008],
    confidence: 0.95,
    strategy: 'speed',
  },
  // A latency bound on spread sizes: every size gets the calls a p95's upper bound needs.
  constrained: CONSTRAINED,
  // 2,048 and 3,008 MB run single-threaded code equally fast: 5, 10, 20, … calls a look cannot
  // show them within 1% of each other, so the run reaches its last round with most of the budget.
  'last-round': {
    lambdaARN: 'replay-noisy',
    num: 5,
    powerValues: [2048, 3008],
    confidence: 0.95,
    strategy: 'speed',
    maxInvocations: 1000,
  },
  // 1,024 MB's p95 (about 610 ms) close under the bound: its verdict stays open on its 4 hosts.
  grown: { ...CONSTRAINED, lambdaARN: 'replay-hosts', constraints: { percentile: 95, maxDurationMs: 680 } },
  // Races `sticky-focused`: the pooled check finds the cost law broken, and the calls go to the
  // sizes closest to the best estimate.
  focused: {
    lambdaARN: 'replay-pressure',
    num: 5,
    powerValues: [256, 1024, 1536, 1769, 2048],
    confidence: 0.95,
    strategy: 'cost',
  },
  // Recorded before focused racing (it raced `sticky-model`), and again since (`sticky-focused`).
  exploration: EXPLORATION,
  'exploration-focused': EXPLORATION,
  // Both architectures: `$LATEST` switched to arm64 and back, the choice by the difference's interval.
  architectures: {
    lambdaARN: 'replay-cpu',
    num: 5,
    powerValues: [512, 1024],
    confidence: 0.95,
    strategy: 'cost',
    architectures: ['x86_64', 'arm64'],
  },
  basic: { lambdaARN: 'replay-cpu', num: 5, powerValues: [128, 256, 512], includeOutputResults: true },
  // The function is at 128 MB, which is not asked for: the tuning measures it as the baseline.
  baseline: { lambdaARN: 'replay-cpu', num: 5, powerValues: [256, 512], confidence: 0.95 },
  'cold-parallel-optimize': {
    lambdaARN: 'replay-cpu',
    num: 5,
    powerValues: [128, 256],
    onlyColdStarts: true,
    parallelInvocation: true,
    autoOptimize: true,
    autoOptimizeAlias: 'live',
  },
  'paced-infeasible': { lambdaARN: 'replay-oom', num: 5, powerValues: [128, 512], sleepBetweenRunsMs: 10 },
  'invalid-input': { lambdaARN: 'replay-cpu', num: 2 },
};

const h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
try {
  for (const [name, input] of Object.entries(scenarios)) {
    if (only.length > 0 && !only.includes(name)) continue;
    const handle = await h.start(input, `replay-${PREFIX}${name}`);
    await handle.result().catch(() => undefined);
    const history = await handle.fetchHistory();
    writeFileSync(new URL(`${PREFIX}${name}.json`, OUT), historyToJSON(history));
    console.log(`recorded ${name}: ${history.events?.length} events`);
  }
} finally {
  await h.stop();
}
