/**
 * Scenario 2: throughput against the bare SDK. P power values × N parallel invocations at time
 * scale 0 (the emulator answers at once), so only the cost of making the calls is measured: the
 * tuner's rate over the time its batches ran (sizes start as they are set up, so not all at once).
 * Reference: bench/bare-sdk.ts making the same calls with the same concurrency, no Temporal.
 */
import { runBareReference } from '../bare-reference.js';
import type { BareResult } from '../bare-sdk.js';
import { powerValueList, type BenchOptions } from '../options.js';
import { sampleProcess } from '../proc-stats.js';
import type { BenchStack } from '../stack.js';
import { checkComplete, runTuning, type TuningRun } from '../tuning-run.js';

export interface ThroughputResult {
  powerValues: number;
  num: number;
  concurrency: number;
  rounds: number;
  invocations: number;
  /** Best round of each side; the tuner's is the time its batches ran (their union). */
  tunerInvokeMs: number;
  bareMs: number;
  tunerInvokeMsByRound: number[];
  bareMsByRound: number[];
  tunerRunMs: number;
  tunerPerSecond: number;
  barePerSecond: number;
  throughputRatio: number;
  /** Worker CPU for the whole tuning (setup included) per invocation, ms (best round). */
  tunerCpuMsPerInvocation: number;
  bareCpuMsPerInvocation: number;
  /** Worker CPU per invocation over the bare script's (the tuner's whole run, setup included). */
  cpuPerInvocationRatio: number;
  historyEvents: number;
  historyBytes: number;
  workerPeakRssMb: number;
}

export const THROUGHPUT_FUNCTION = 'bench-throughput';

export async function throughputScenario(stack: BenchStack, opts: BenchOptions): Promise<ThroughputResult> {
  const { powerValues, num, concurrency } = opts.sizes.throughput;
  const invocations = powerValues * num;
  await stack.emulator.admin.setTimeScale(0);
  const input = {
    lambdaARN: THROUGHPUT_FUNCTION,
    num,
    powerValues: powerValueList(powerValues),
    parallelInvocation: true,
    maxParallelInvocations: concurrency,
  };

  return stack.withWorker('s2-throughput', async (worker, taskQueue) => {
    const bares: BareResult[] = [];
    const tuner: { run: TuningRun; cpuMs: number }[] = [];
    for (let round = 0; round < opts.repeat; round++) {
      bares.push(
        await runBareReference({
          endpoint: stack.emulator.url,
          groups: Array.from({ length: powerValues }, () => ({
            functionName: THROUGHPUT_FUNCTION,
            qualifier: '$LATEST',
            count: num,
            concurrency,
          })),
        }),
      );
      const before = sampleProcess(worker.pid).cpuMs;
      const run = await runTuning(stack.client, taskQueue, input);
      checkComplete(run, powerValues, num, 's2-throughput');
      tuner.push({ run, cpuMs: sampleProcess(worker.pid).cpuMs - before });
    }
    const best = tuner.reduce((a, b) => (b.run.timings.invokeUnionMs < a.run.timings.invokeUnionMs ? b : a));
    const bare = bares.reduce((a, b) => (b.elapsedMs < a.elapsedMs ? b : a));
    const tunerPerSecond = invocations / (best.run.timings.invokeUnionMs / 1000);
    const barePerSecond = invocations / (bare.elapsedMs / 1000);
    return {
      powerValues,
      num,
      concurrency,
      rounds: opts.repeat,
      invocations,
      tunerInvokeMs: best.run.timings.invokeUnionMs,
      bareMs: bare.elapsedMs,
      tunerInvokeMsByRound: tuner.map((t) => t.run.timings.invokeUnionMs),
      bareMsByRound: bares.map((b) => b.elapsedMs),
      tunerRunMs: best.run.timings.runMs,
      tunerPerSecond,
      barePerSecond,
      throughputRatio: tunerPerSecond / barePerSecond,
      tunerCpuMsPerInvocation: best.cpuMs / invocations,
      bareCpuMsPerInvocation: bare.cpuMs / invocations,
      cpuPerInvocationRatio: best.cpuMs / bare.cpuMs,
      historyEvents: best.run.historyEvents,
      historyBytes: best.run.historyBytes,
      workerPeakRssMb: sampleProcess(worker.pid).peakRssMb,
    };
  });
}
