/**
 * Scenario 6: pipelined setup. A CPU-bound synthetic function (Lambda's CPU share grows with
 * memory, so every size has its own duration) tuned with P sizes × N sequential invocations in
 * real time. The whole run is compared with the pipelined lower bound: max over sizes of (its
 * setup end + the time its invocations took), both read from the same run's history. Setup is
 * one size at a time by design, so no schedule can end before that bound (plus cleanup).
 */
import { powerValueList, type BenchOptions } from '../options.js';
import type { SizeTimings } from '../history.js';
import type { BenchStack } from '../stack.js';
import { checkComplete, runTuning } from '../tuning-run.js';

export interface PipelineResult {
  powerValues: number;
  num: number;
  runMs: number;
  /** max over sizes of (setup end + invoking time), ms from the run's start. */
  boundMs: number;
  pipelineEfficiency: number;
  /** Last setup completed, ms from the run's start. */
  setupEndMs: number;
  beforeInvokeMs: number;
  afterInvokeMs: number;
  sizes: SizeTimings[];
  historyEvents: number;
}

export const PIPELINE_FUNCTION = 'bench-cpu-bound';
/** CPU work at one vCPU (1,769 MB): about 280 ms at 128 MB, 46 ms at 768 MB. */
export const PIPELINE_CPU_MS = 20;

export async function pipelineScenario(stack: BenchStack, opts: BenchOptions): Promise<PipelineResult> {
  const { powerValues, num } = opts.sizes.pipeline;
  await stack.emulator.admin.setTimeScale(1);
  const input = { lambdaARN: PIPELINE_FUNCTION, num, powerValues: powerValueList(powerValues) };
  const run = await stack.withWorker('s6-pipeline', async (_worker, taskQueue) =>
    runTuning(stack.client, taskQueue, input),
  );
  checkComplete(run, powerValues, num, 's6-pipeline');
  const t = run.timings;
  return {
    powerValues,
    num,
    runMs: t.runMs,
    boundMs: t.pipelineBoundMs,
    pipelineEfficiency: t.pipelineBoundMs / t.runMs,
    setupEndMs: Math.max(...t.sizes.map((s) => s.setupEndMs ?? 0)),
    beforeInvokeMs: t.beforeInvokeMs,
    afterInvokeMs: t.afterInvokeMs,
    sizes: t.sizes,
    historyEvents: run.historyEvents,
  };
}
