/** Runs one tuning on the benchmark stack and gathers what the scenarios report about it. */
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { PowerTuningInput, TuningOutput } from '../domain/types.js';
import { runTimings, type RunTimings } from './history.js';

export type WorkflowType = 'powerTuning' | 'naivePowerTuning';

export interface TuningRun {
  output: TuningOutput;
  timings: RunTimings;
  /** From the server (DescribeWorkflowExecution). */
  historyEvents: number;
  historyBytes: number;
}

export async function startTuning(
  client: Client,
  taskQueue: string,
  input: PowerTuningInput,
  workflowType: WorkflowType = 'powerTuning',
): Promise<WorkflowHandle> {
  return client.workflow.start(workflowType, {
    taskQueue,
    workflowId: `bench-${workflowType}-${randomUUID()}`,
    args: [input],
  });
}

export async function finishTuning(handle: WorkflowHandle): Promise<TuningRun> {
  const output = (await handle.result().catch((err: unknown) => {
    throw new Error(`tuning ${handle.workflowId} failed: ${rootMessage(err)}`, { cause: err });
  })) as TuningOutput;
  const [history, described] = await Promise.all([handle.fetchHistory(), handle.describe()]);
  const historyBytes = described.historySize;
  if (historyBytes === undefined) throw new Error('the server did not report the history size');
  return { output, timings: runTimings(history), historyEvents: described.historyLength, historyBytes };
}

export async function runTuning(
  client: Client,
  taskQueue: string,
  input: PowerTuningInput,
  workflowType: WorkflowType = 'powerTuning',
): Promise<TuningRun> {
  return finishTuning(await startTuning(client, taskQueue, input, workflowType));
}

/** Every power value must have made every invocation, or the timings mean nothing. */
export function checkComplete(run: TuningRun, powerValues: number, num: number, label: string): void {
  const made = run.output.results.map((r) => r.invocations);
  if (made.length !== powerValues || made.some((n) => n !== num)) {
    throw new Error(
      `${label}: expected ${powerValues} power values × ${num} invocations, got [${made.join(', ')}]`,
    );
  }
}

function rootMessage(err: unknown): string {
  let current: unknown = err;
  while (current instanceof Error && current.cause) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
