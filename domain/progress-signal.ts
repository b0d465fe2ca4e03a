/**
 * Live progress of a running invocation batch, told to its workflow by a signal so the `progress`
 * query and the Web UI's current details move during a long batch. Heartbeats cost no history
 * but the workflow cannot read them; a signal can be read but costs history, so it is paced here:
 *
 * - none before the batch has run PROGRESS_SIGNAL_AFTER_MS: short batches (instant functions,
 *   bench scenario 3) send nothing and cost what they did;
 * - then at most one every PROGRESS_SIGNAL_GAP_MS, only when at least PROGRESS_SIGNAL_STEP of the
 *   batch was done since the last one, never for a finished batch (its result says it all), and
 *   at most PROGRESS_SIGNALS_PER_BATCH per attempt.
 *
 * A signal costs one event, plus a workflow task (3 events) unless it shares one: at most
 * MAX_PROGRESS_EVENTS_PER_BATCH (40) events per batch attempt. The step rule alone allows 9
 * signals (the 10th step finishes the batch), so 36 in practice. A run has at most 1,000 batches
 * of about 6 events (workflows/batching.ts): even if every one ran long, it stays under the
 * 51,200-event history limit (test/unit/progress-signal.test.ts checks the sum).
 */

export const PROGRESS_SIGNAL_AFTER_MS = 10_000;
export const PROGRESS_SIGNAL_GAP_MS = 10_000;
export const PROGRESS_SIGNAL_STEP = 0.1;
export const PROGRESS_SIGNALS_PER_BATCH = 10;
/** The signal's event plus a workflow task's scheduled, started and completed events. */
export const EVENTS_PER_PROGRESS_SIGNAL = 4;
export const MAX_PROGRESS_EVENTS_PER_BATCH = PROGRESS_SIGNALS_PER_BATCH * EVENTS_PER_PROGRESS_SIGNAL;

/** What a running batch tells its workflow (the `batchProgress` signal, domain/workflow-api.ts). */
export interface BatchProgress {
  /** The batch's activity id (domain/activity-ids.ts): memory size, round and batch. */
  batch: string;
  power: number;
  /** Invocations of this batch done so far, and how many of them failed (not allowed). */
  done: number;
  errors: number;
}

/** What a batch has signalled so far in this attempt. */
export interface SignalPace {
  sent: number;
  /** Elapsed time of the last signal, undefined before the first. */
  lastMs?: number;
  /** Done count at the last signal (or when the attempt resumed). */
  lastDone: number;
}

/** Whether a batch `elapsedMs` into its attempt, `done` of `size`, should signal now. */
export function progressSignalDue(
  pace: SignalPace,
  now: { elapsedMs: number; done: number; size: number },
): boolean {
  if (now.elapsedMs < PROGRESS_SIGNAL_AFTER_MS) return false;
  if (pace.sent >= PROGRESS_SIGNALS_PER_BATCH || now.done >= now.size) return false;
  if (pace.lastMs !== undefined && now.elapsedMs - pace.lastMs < PROGRESS_SIGNAL_GAP_MS) return false;
  const step = Math.max(1, Math.ceil(now.size * PROGRESS_SIGNAL_STEP));
  return now.done - pace.lastDone >= step;
}

/** The pace after a signal sent at `elapsedMs` with `done`. */
export function afterSignal(pace: SignalPace, elapsedMs: number, done: number): SignalPace {
  return { sent: pace.sent + 1, lastMs: elapsedMs, lastDone: done };
}
