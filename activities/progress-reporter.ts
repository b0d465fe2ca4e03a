/**
 * A long invocation batch tells its own workflow how far it got (the `batchProgress` signal,
 * paced by domain/progress-signal.ts), so the `progress` query and the Web UI move during it.
 * Best effort: a signal that fails (the run may have ended) is logged and forgotten, and the
 * batch never waits for one.
 */
import type { Client } from '@temporalio/client';
import {
  afterSignal,
  progressSignalDue,
  type BatchProgress,
  type SignalPace,
} from '../domain/progress-signal.js';
import { batchProgressSignal } from '../domain/workflow-api.js';

export interface WorkflowExecutionRef {
  workflowId: string;
  runId?: string;
}

/** Sends one progress signal to a run (injected into the activities by the worker). */
export type ProgressReporter = (workflow: WorkflowExecutionRef, progress: BatchProgress) => Promise<void>;

/** A reporter that signals through a client, e.g. the worker's own (same connection, namespace, codec). */
export function signalThrough(client: () => Client | undefined): ProgressReporter {
  return async (workflow, progress) => {
    const c = client();
    if (!c) return;
    await c.workflow.getHandle(workflow.workflowId, workflow.runId).signal(batchProgressSignal, progress);
  };
}

export interface BatchRef {
  workflow: WorkflowExecutionRef;
  /** The batch's activity id. */
  batch: string;
  power: number;
  size: number;
  /** When this attempt started (epoch ms) and how much of the batch it found done. */
  startedMs: number;
  resumedDone: number;
}

/**
 * One batch attempt's sender: call it whenever the batch beats; it signals when the pace allows
 * and no signal of this batch is still in flight, and returns at once.
 */
export function progressSender(
  report: ProgressReporter,
  ref: BatchRef,
  warn: (message: string) => void,
): (nowMs: number, done: number, errors: number) => void {
  let pace: SignalPace = { sent: 0, lastDone: ref.resumedDone };
  let inFlight = false;
  return (nowMs, done, errors) => {
    const elapsedMs = nowMs - ref.startedMs;
    if (inFlight || !progressSignalDue(pace, { elapsedMs, done, size: ref.size })) return;
    pace = afterSignal(pace, elapsedMs, done);
    inFlight = true;
    const progress: BatchProgress = { batch: ref.batch, power: ref.power, done, errors };
    report(ref.workflow, progress)
      .catch((err: unknown) =>
        warn(
          `progress signal of ${ref.batch} not delivered: ${err instanceof Error ? err.message : String(err)}`,
        ),
      )
      .finally(() => (inFlight = false));
  };
}
