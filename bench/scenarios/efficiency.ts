/**
 * Scenario 1: invocation-phase efficiency. P power values × N sequential invocations of a fixed
 * 50 ms function in real time; the power values run side by side, so the ideal is N × 50 ms.
 * Reference: the bare SDK making the same sequential calls on the same emulator.
 */
import { runBareReference } from '../bare-reference.js';
import { powerValueList, type BenchOptions } from '../options.js';
import { sampleProcess } from '../proc-stats.js';
import type { BenchStack } from '../stack.js';
import { checkComplete, runTuning, type TuningRun, type WorkflowType } from '../tuning-run.js';

export interface EfficiencyResult {
  powerValues: number;
  num: number;
  idealMs: number;
  invokeMs: number;
  runMs: number;
  setupMs: number;
  cleanupMs: number;
  activities: number;
  historyEvents: number;
  historyBytes: number;
  bareMs: number;
  invocationEfficiency: number;
  runEfficiency: number;
  bareEfficiency: number;
  workerPeakRssMb: number;
}

export const EFFICIENCY_FUNCTION = 'bench-fixed-50ms';
export const NAIVE_FUNCTION = 'bench-fixed-50ms-naive';

export async function efficiencyScenario(
  stack: BenchStack,
  opts: BenchOptions,
  workflowType: WorkflowType = 'powerTuning',
): Promise<EfficiencyResult> {
  const { powerValues, num } = opts.sizes.efficiency;
  const functionName = workflowType === 'powerTuning' ? EFFICIENCY_FUNCTION : NAIVE_FUNCTION;
  await stack.emulator.admin.setTimeScale(1);
  const idealMs = num * opts.functionMs;

  const bare = await runBareReference({
    endpoint: stack.emulator.url,
    groups: Array.from({ length: powerValues }, () => ({
      functionName,
      qualifier: '$LATEST',
      count: num,
      concurrency: 1,
    })),
  });

  const label = workflowType === 'powerTuning' ? 's1-batched' : 's5-naive';
  const { run, peakRssMb } = await stack.withWorker(label, async (worker, taskQueue) => {
    const input = { lambdaARN: functionName, num, powerValues: powerValueList(powerValues) };
    const tuning: TuningRun = await runTuning(stack.client, taskQueue, input, workflowType);
    return { run: tuning, peakRssMb: sampleProcess(worker.pid).peakRssMb };
  });
  checkComplete(run, powerValues, num, label);

  const t = run.timings;
  return {
    powerValues,
    num,
    idealMs,
    invokeMs: t.invokeMs,
    runMs: t.runMs,
    setupMs: t.beforeInvokeMs,
    cleanupMs: t.afterInvokeMs,
    activities: Object.values(t.activities).reduce((a, b) => a + b, 0),
    historyEvents: run.historyEvents,
    historyBytes: run.historyBytes,
    bareMs: bare.elapsedMs,
    invocationEfficiency: idealMs / t.invokeMs,
    runEfficiency: idealMs / t.runMs,
    bareEfficiency: idealMs / bare.elapsedMs,
    workerPeakRssMb: peakRssMb,
  };
}
