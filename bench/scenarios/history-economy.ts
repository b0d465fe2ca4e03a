/**
 * Scenario 3: history economy. P power values × N invocations (time scale 0); the history's
 * events and bytes as the server counts them, compared with Temporal's limits.
 */
import { powerValueList, type BenchOptions } from '../options.js';
import { sampleProcess } from '../proc-stats.js';
import type { BenchStack } from '../stack.js';
import { checkComplete, runTuning } from '../tuning-run.js';

/** Temporal's hard limits per workflow history (the server warns at a fifth of each). */
export const HISTORY_EVENT_LIMIT = 51_200;
export const HISTORY_BYTE_LIMIT = 50 * 1024 * 1024;

export interface HistoryResult {
  powerValues: number;
  num: number;
  invocations: number;
  historyEvents: number;
  historyBytes: number;
  eventsPerInvocation: number;
  bytesPerInvocation: number;
  /** Share of Temporal's event and size limits used (1 = at the limit). */
  eventLimitShare: number;
  byteLimitShare: number;
  invokeActivities: number;
  runMs: number;
  workerPeakRssMb: number;
}

export const HISTORY_FUNCTION = 'bench-history';

export async function historyScenario(stack: BenchStack, opts: BenchOptions): Promise<HistoryResult> {
  const { powerValues, num } = opts.sizes.history;
  const invocations = powerValues * num;
  await stack.emulator.admin.setTimeScale(0);
  const { run, peakRssMb } = await stack.withWorker('s3-history', async (worker, taskQueue) => {
    const tuning = await runTuning(stack.client, taskQueue, {
      lambdaARN: HISTORY_FUNCTION,
      num,
      powerValues: powerValueList(powerValues),
    });
    return { run: tuning, peakRssMb: sampleProcess(worker.pid).peakRssMb };
  });
  checkComplete(run, powerValues, num, 's3-history');
  return {
    powerValues,
    num,
    invocations,
    historyEvents: run.historyEvents,
    historyBytes: run.historyBytes,
    eventsPerInvocation: run.historyEvents / invocations,
    bytesPerInvocation: run.historyBytes / invocations,
    eventLimitShare: run.historyEvents / HISTORY_EVENT_LIMIT,
    byteLimitShare: run.historyBytes / HISTORY_BYTE_LIMIT,
    invokeActivities: run.timings.activities['invokeBatch'] ?? 0,
    runMs: run.timings.runMs,
    workerPeakRssMb: peakRssMb,
  };
}
