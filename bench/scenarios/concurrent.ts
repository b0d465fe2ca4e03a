/**
 * Scenario 4: many tunings at once on one worker (time scale 0, so the worker is as busy as it
 * can be). Each tuning has its own function: the per-function lock refuses two on one function.
 * Reference: the bare SDK making the same calls with the same concurrency. Run twice, each time
 * on a fresh worker: the usual count with the reference, then many more (memory only).
 */
import { runBareReference } from '../bare-reference.js';
import { powerValueList, type BenchOptions } from '../options.js';
import { sampleProcess } from '../proc-stats.js';
import type { BenchStack } from '../stack.js';
import { checkComplete, finishTuning, startTuning } from '../tuning-run.js';

export interface ConcurrentResult {
  tunings: number;
  completed: number;
  powerValues: number;
  num: number;
  invocations: number;
  wallMs: number;
  workerPeakRssMb: number;
  workerCpuMs: number;
  cpuMsPerInvocation: number;
  /** Absent when the run had no reference. */
  bareCpuMsPerInvocation?: number;
  barePeakRssMb?: number;
  maxHistoryEvents: number;
  maxHistoryBytes: number;
}

export function concurrentFunctions(tunings: number): string[] {
  return Array.from({ length: tunings }, (_, i) => `bench-concurrent-${i + 1}`);
}

export async function concurrentScenario(
  stack: BenchStack,
  opts: BenchOptions,
  tunings: number,
  { reference }: { reference: boolean },
): Promise<ConcurrentResult> {
  const { powerValues, num } = opts.sizes.concurrent;
  const functions = concurrentFunctions(tunings);
  const invocations = tunings * powerValues * num;
  await stack.emulator.admin.setTimeScale(0);

  const bare = reference
    ? await runBareReference({
        endpoint: stack.emulator.url,
        groups: functions.flatMap((functionName) =>
          Array.from({ length: powerValues }, () => ({
            functionName,
            qualifier: '$LATEST',
            count: num,
            concurrency: 1,
          })),
        ),
      })
    : undefined;

  return stack.withWorker(`s4-concurrent-${tunings}`, async (worker, taskQueue) => {
    const before = sampleProcess(worker.pid);
    const started = performance.now();
    const handles = await Promise.all(
      functions.map((lambdaARN) =>
        startTuning(stack.client, taskQueue, { lambdaARN, num, powerValues: powerValueList(powerValues) }),
      ),
    );
    const runs = await Promise.all(handles.map((h) => finishTuning(h)));
    const wallMs = performance.now() - started;
    const after = sampleProcess(worker.pid);
    runs.forEach((run, i) => checkComplete(run, powerValues, num, `s4 tuning ${i + 1}`));
    const workerCpuMs = after.cpuMs - before.cpuMs;
    return {
      tunings,
      completed: runs.length,
      powerValues,
      num,
      invocations,
      wallMs,
      workerPeakRssMb: after.peakRssMb,
      workerCpuMs,
      cpuMsPerInvocation: workerCpuMs / invocations,
      ...(bare ? { bareCpuMsPerInvocation: bare.cpuMs / invocations, barePeakRssMb: bare.peakRssMb } : {}),
      maxHistoryEvents: Math.max(...runs.map((r) => r.historyEvents)),
      maxHistoryBytes: Math.max(...runs.map((r) => r.historyBytes)),
    };
  });
}
