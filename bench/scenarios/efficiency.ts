/**
 * Scenario 1: invocation-phase efficiency. P power values × N sequential invocations of a fixed
 * 50 ms function in real time; the power values run side by side, so the ideal is N × 50 ms for
 * each, measured on the size whose invocation phase took longest (sizes start as set up).
 * Reference: the bare SDK making the same sequential calls on the same emulator.
 * Scenario 5 runs the same with the naive workflow (one activity per invocation).
 */
import { runBareReference } from '../bare-reference.js';
import { powerValueList, type BenchOptions } from '../options.js';
import { sampleProcess } from '../proc-stats.js';
import type { BenchStack } from '../stack.js';
import { checkComplete, runTuning, type TuningRun, type WorkflowType } from '../tuning-run.js';

export interface EfficiencyResult {
  powerValues: number;
  num: number;
  rounds: number;
  idealMs: number;
  /** Best round's invocation phase (server event times). */
  invokeMs: number;
  /** Every round's invocation phase, in order. */
  invokeMsByRound: number[];
  runMs: number;
  setupMs: number;
  cleanupMs: number;
  /** Last setup end minus first invocation scheduled: > 0 when setup overlaps invocation. */
  setupOverlapMs: number;
  activities: number;
  historyEvents: number;
  historyBytes: number;
  /** Best round of the bare reference. */
  bareMs: number;
  bareMsByRound: number[];
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
  const label = workflowType === 'powerTuning' ? 's1-batched' : 's5-naive';
  await stack.emulator.admin.setTimeScale(1);
  const idealMs = num * opts.functionMs;
  const input = { lambdaARN: functionName, num, powerValues: powerValueList(powerValues) };

  return stack.withWorker(label, async (worker, taskQueue) => {
    const bareMsByRound: number[] = [];
    const runs: TuningRun[] = [];
    // Rounds alternate reference and tuner, so both see the same phases of the machine's load.
    for (let round = 0; round < opts.repeat; round++) {
      const bare = await runBareReference({
        endpoint: stack.emulator.url,
        groups: Array.from({ length: powerValues }, () => ({
          functionName,
          qualifier: '$LATEST',
          count: num,
          concurrency: 1,
        })),
      });
      bareMsByRound.push(bare.elapsedMs);
      const run = await runTuning(stack.client, taskQueue, input, workflowType);
      checkComplete(run, powerValues, num, label);
      runs.push(run);
    }
    const best = runs.reduce((a, b) => (b.timings.invokeMs < a.timings.invokeMs ? b : a));
    const bareMs = Math.min(...bareMsByRound);
    const t = best.timings;
    return {
      powerValues,
      num,
      rounds: opts.repeat,
      idealMs,
      invokeMs: t.invokeMs,
      invokeMsByRound: runs.map((r) => r.timings.invokeMs),
      runMs: t.runMs,
      setupMs: t.beforeInvokeMs,
      cleanupMs: t.afterInvokeMs,
      setupOverlapMs: t.setupOverlapMs,
      activities: Object.values(t.activities).reduce((a, b) => a + b, 0),
      historyEvents: best.historyEvents,
      historyBytes: best.historyBytes,
      bareMs,
      bareMsByRound,
      invocationEfficiency: idealMs / t.invokeMs,
      runEfficiency: idealMs / t.runMs,
      bareEfficiency: idealMs / bareMs,
      workerPeakRssMb: sampleProcess(worker.pid).peakRssMb,
    };
  });
}
