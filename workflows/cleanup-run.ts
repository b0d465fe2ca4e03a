/**
 * The run's last step, on success, failure and cancellation alike: delete what the run created
 * and, unless the recommendation was applied, give `$LATEST` its settings back.
 */
import { CancellationScope, CancelledFailure, log } from '@temporalio/workflow';
import type { LockResult } from '../activities/types.js';
import { rootCause } from '../domain/errors.js';
import type { FunctionTarget } from '../domain/types.js';
import { acts, cleanupOptions } from './activity-options.js';
import type { RunStatus } from './run-status.js';

export interface RunLeftovers {
  target: FunctionTarget;
  tag: string;
  /** Absent when the lock was never taken: then `$LATEST` belongs to another run. */
  lock?: LockResult;
  optimized: boolean;
  /** The run's own failure, if any: it is the one reported, even if cleanup fails too. */
  failure: unknown;
  /** The run may have switched `$LATEST`'s architecture (input architectures). */
  switching?: boolean;
}

export async function cleanUpRun(run: RunLeftovers, status: RunStatus): Promise<void> {
  const workflowScope = CancellationScope.current();
  await CancellationScope.nonCancellable(async () => {
    const { lock } = run;
    const restore = lock && !run.optimized ? lock.original : undefined;
    const savedVersion = lock ? { version: lock.snapshotVersion, created: lock.snapshotCreated } : undefined;
    try {
      const cleaned = await acts.cleanupRun.executeWithOptions({ ...cleanupOptions, summary: 'cleanup' }, [
        {
          target: run.target,
          tag: run.tag,
          restore,
          snapshot: savedVersion,
          // Unless the chosen architecture was applied: then it stays.
          ...(run.switching && !run.optimized ? { restoreArchitecture: true } : {}),
        },
      ]);
      log.info('cleanup finished', { ...cleaned });
    } catch (cleanupErr) {
      if (run.failure === undefined) throw cleanupErr;
      log.error('cleanup failed after the run had failed', { error: rootCause(cleanupErr).message });
      return;
    }
    const phase = status.phase();
    if (phase === 'failed' || phase === 'cancelled') return;
    // Cancelled while cleaning up after a finished tuning: still a cancellation, now that
    // everything is put back. Once the recommendation was applied, the run stands as completed.
    status.enter(workflowScope.consideredCancelled && !run.optimized ? 'cancelled' : 'done');
  });
  if (status.phase() === 'cancelled' && run.failure === undefined)
    throw new CancelledFailure('Workflow cancelled');
}
