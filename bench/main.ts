/**
 * `npm run bench [-- options]`: measures the tuner against the limit (see bench/README.md).
 * Starts its own Temporal dev server, emulator and workers; progress goes to stderr, the table
 * and the JSON summary to stdout (`--json`: only the JSON object). `--cluster` measures the native
 * cluster with one worker and then two instead (bench/cluster-bench.ts).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Interrupted, runClusterBench } from './cluster-bench.js';
import { machineLine, renderClusterMarkdown, renderClusterTable } from './cluster-summary.js';
import { machineInfo } from './machine.js';
import { optionsOrExitCode } from './cli-options.js';
import { USAGE, parseBenchArgs, type BenchOptions } from './options.js';
import { concurrentFunctions, concurrentScenario } from './scenarios/concurrent.js';
import { EFFICIENCY_FUNCTION, NAIVE_FUNCTION, efficiencyScenario } from './scenarios/efficiency.js';
import { HISTORY_FUNCTION, historyScenario } from './scenarios/history-economy.js';
import { PIPELINE_CPU_MS, PIPELINE_FUNCTION, pipelineScenario } from './scenarios/pipeline.js';
import { THROUGHPUT_FUNCTION, throughputScenario } from './scenarios/throughput.js';
import { startStack, type SyntheticWork } from './stack.js';
import {
  renderMarkdown,
  renderTable,
  summarize,
  type BenchSummary,
  type ScenarioResults,
} from './summary.js';

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function runBench(opts: BenchOptions): Promise<BenchSummary> {
  const machine = machineInfo();
  const started = performance.now();
  // I/O wait, not CPU, for the fixed-duration functions: the emulator scales CPU time with memory.
  const fixed = { ioWaitMs: opts.functionMs };
  const functions: Record<string, SyntheticWork> = { [PIPELINE_FUNCTION]: { cpuMs: PIPELINE_CPU_MS } };
  for (const name of [EFFICIENCY_FUNCTION, NAIVE_FUNCTION, THROUGHPUT_FUNCTION, HISTORY_FUNCTION])
    functions[name] = fixed;
  const { tunings, manyTunings } = opts.sizes.concurrent;
  for (const name of concurrentFunctions(Math.max(tunings, manyTunings))) functions[name] = fixed;

  const stack = await startStack({
    functions,
    updateDelayMs: opts.updateDelayMs,
    worker: opts.worker,
    cpuProfileDir: opts.cpuProfileDir ? path.resolve(opts.cpuProfileDir) : undefined,
    log,
  });
  const results: ScenarioResults = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    log(`${name}…`);
    const t0 = performance.now();
    const result = await fn();
    log(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return result;
  };
  try {
    const wanted = new Set(opts.scenarios);
    // Scenario 5 compares with scenario 1, so it needs scenario 1's figures from this same run.
    if (wanted.has(1) || wanted.has(5))
      results.efficiency = await timed('scenario 1 (invocation-phase efficiency)', () =>
        efficiencyScenario(stack, opts),
      );
    if (wanted.has(2))
      results.throughput = await timed('scenario 2 (throughput)', () => throughputScenario(stack, opts));
    if (wanted.has(3))
      results.history = await timed('scenario 3 (history economy)', () => historyScenario(stack, opts));
    if (wanted.has(4)) {
      results.concurrent = await timed(`scenario 4 (${tunings} tunings at once)`, () =>
        concurrentScenario(stack, opts, tunings, { reference: true }),
      );
      results.concurrentMany = await timed(`scenario 4 (${manyTunings} tunings at once)`, () =>
        concurrentScenario(stack, opts, manyTunings, { reference: false }),
      );
    }
    if (wanted.has(5))
      results.naive = await timed('scenario 5 (naive design)', () =>
        efficiencyScenario(stack, opts, 'naivePowerTuning'),
      );
    if (wanted.has(6))
      results.pipeline = await timed('scenario 6 (pipelined setup)', () => pipelineScenario(stack, opts));
  } finally {
    await stack.stop();
  }
  return summarize(results, machine, opts, performance.now() - started);
}

async function main(): Promise<void> {
  const parsed = optionsOrExitCode(() => parseBenchArgs(process.argv.slice(2)), USAGE);
  if ('exitCode' in parsed) process.exit(parsed.exitCode);
  const opts = parsed.options;
  if (opts.cluster) {
    const summary = await runClusterBench(opts, log);
    if (opts.markdownFile)
      writeFileSync(opts.markdownFile, `${renderClusterMarkdown(summary)}\n\n${machineLine(summary)}\n`);
    if (!opts.json) console.log(`${renderClusterTable(summary)}\n\nSummary (JSON):`);
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  const summary = await runBench(opts);
  if (opts.markdownFile) {
    const m = summary.machine;
    const machine =
      `Machine: ${m.cpus} × ${m.cpuModel}, ${m.totalMemGb} GB RAM, Node ${m.node}, load average ` +
      `${m.loadAverage} at start and ${summary.loadAverageAtEnd} at end; ${summary.worker} worker; ` +
      `scale \`${summary.scale}\`, ${summary.totalSeconds.toFixed(0)} s in all.`;
    writeFileSync(opts.markdownFile, `${renderMarkdown(summary)}\n\n${machine}\n`);
  }
  if (opts.json) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  console.log(renderTable(summary));
  console.log('\nSummary (JSON):');
  console.log(JSON.stringify(summary, null, 2));
}

main().then(
  // The dev server's watchdogs and SDK sockets must not keep the process alive.
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof Interrupted) {
      log(err.message);
      process.exit(130);
    }
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
