/**
 * Scenario 2: throughput against the bare SDK. P power values × N parallel invocations at time
 * scale 0 (the emulator answers at once), so only the cost of making the calls is measured.
 * Reference: bench/bare-sdk.ts making the same calls with the same concurrency, no Temporal.
 */
import { runBareReference } from '../bare-reference.js';
import { powerValueList, type BenchOptions } from '../options.js';
import { sampleProcess } from '../proc-stats.js';
import type { BenchStack } from '../stack.js';
import { checkComplete, runTuning } from '../tuning-run.js';

export interface ThroughputResult {
  powerValues: number;
  num: number;
  concurrency: number;
  invocations: number;
  tunerInvokeMs: number;
  tunerRunMs: number;
  bareMs: number;
  tunerPerSecond: number;
  barePerSecond: number;
  throughputRatio: number;
  /** Worker CPU for the whole tuning (setup included) per invocation, ms. */
  tunerCpuMsPerInvocation: number;
  bareCpuMsPerInvocation: number;
  historyEvents: number;
  historyBytes: number;
  workerPeakRssMb: number;
}

export const THROUGHPUT_FUNCTION = 'bench-throughput';

export async function throughputScenario(stack: BenchStack, opts: BenchOptions): Promise<ThroughputResult> {
  const { powerValues, num, concurrency } = opts.sizes.throughput;
  const invocations = powerValues * num;
  await stack.emulator.admin.setTimeScale(0);

  const bare = await runBareReference({
    endpoint: stack.emulator.url,
    groups: Array.from({ length: powerValues }, () => ({
      functionName: THROUGHPUT_FUNCTION,
      qualifier: '$LATEST',
      count: num,
      concurrency,
    })),
  });

  const { run, cpuMs, peakRssMb } = await stack.withWorker('s2-throughput', async (worker, taskQueue) => {
    const before = sampleProcess(worker.pid);
    const tuning = await runTuning(stack.client, taskQueue, {
      lambdaARN: THROUGHPUT_FUNCTION,
      num,
      powerValues: powerValueList(powerValues),
      parallelInvocation: true,
      maxParallelInvocations: concurrency,
    });
    const after = sampleProcess(worker.pid);
    return { run: tuning, cpuMs: after.cpuMs - before.cpuMs, peakRssMb: after.peakRssMb };
  });
  checkComplete(run, powerValues, num, 's2-throughput');

  const tunerPerSecond = invocations / (run.timings.invokeMs / 1000);
  const barePerSecond = invocations / (bare.elapsedMs / 1000);
  return {
    powerValues,
    num,
    concurrency,
    invocations,
    tunerInvokeMs: run.timings.invokeMs,
    tunerRunMs: run.timings.runMs,
    bareMs: bare.elapsedMs,
    tunerPerSecond,
    barePerSecond,
    throughputRatio: tunerPerSecond / barePerSecond,
    tunerCpuMsPerInvocation: cpuMs / invocations,
    bareCpuMsPerInvocation: bare.cpuMs / invocations,
    historyEvents: run.historyEvents,
    historyBytes: run.historyBytes,
    workerPeakRssMb: peakRssMb,
  };
}
