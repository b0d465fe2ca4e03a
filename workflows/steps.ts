/**
 * How the workflows run their steps: bad input fails at once, steps that change the function are
 * never cut off halfway, and a failure says which step broke.
 */
import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  TemporalFailure,
  isCancellation,
} from '@temporalio/workflow';
import { InputError, rootCause } from '../domain/errors.js';
import type { PowerTuningInput, TuningConfig } from '../domain/types.js';
import { validateInput } from '../domain/validate.js';

/**
 * Runs a step that changes the function to its end even when the workflow is cancelled, then
 * honours the cancellation. Cancelling such an activity would not wait for it to stop (a
 * running activity has no Started event in history until it ends, so the SDK resolves the
 * cancellation at once), and cleanup would then race a step still changing `$LATEST`.
 */
export async function uninterruptible<T>(step: () => Promise<T>, keep?: (result: T) => void): Promise<T> {
  const outer = CancellationScope.current();
  const result = await CancellationScope.nonCancellable(step);
  // What the step made must be known to cleanup even when the run was cancelled meanwhile.
  keep?.(result);
  if (outer.consideredCancelled) throw new CancelledFailure('Workflow cancelled');
  return result;
}

/**
 * Runs tasks side by side; when one fails, cancels the others and waits for them to stop
 * before rethrowing, so cleanup never races a still-running invocation batch.
 */
export async function allOrCancelRest<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
  const scope = new CancellationScope();
  return scope.run(async () => {
    const running = tasks.map((task) => task());
    try {
      return await Promise.all(running);
    } catch (err) {
      scope.cancel();
      await Promise.allSettled(running);
      throw err;
    }
  });
}

/** Bad input fails the run at once, before any AWS call, and is never retried. */
export function validateOrFail(input: PowerTuningInput): TuningConfig {
  try {
    return validateInput(input);
  } catch (err) {
    if (err instanceof InputError) throw ApplicationFailure.nonRetryable(err.message, 'InvalidInput');
    // A crash in validation must fail the run, not loop on a failing workflow task.
    throw ApplicationFailure.nonRetryable(`Input validation failed: ${String(err)}`, 'InvalidInput');
  }
}

/**
 * Puts the step's name in front of a failure, so the workflow's error says where it broke,
 * and turns any unexpected error into a workflow failure instead of a retried workflow task.
 */
export async function withContext<T>(step: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isCancellation(err)) throw err;
    const root = rootCause(err);
    const type = root instanceof ApplicationFailure ? (root.type ?? 'Error') : 'Error';
    throw ApplicationFailure.create({
      message: `${step}: ${root.message}`,
      type,
      nonRetryable: true,
      cause: err instanceof TemporalFailure ? err : undefined,
    });
  }
}
