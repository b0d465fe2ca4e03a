/**
 * Putting back a function that tunings left behind (a run terminated with `temporal workflow
 * terminate`, or ended by a server): the typed-client side of `powertune cleanup <function>`.
 * The work is done by the `cleanupFunction` workflow on the worker, which has the AWS access.
 *
 *   const report = await cleanupFunction(client, 'my-fn', { dryRun: true });
 *   console.log(report.aliases, report.versions, report.restore);
 */
import type { Client } from '@temporalio/client';
import type { StrandedCleanupReport } from '../activities/types.js';
import { parseFunctionTarget } from '../domain/arn.js';
import { readTargetRole } from '../domain/role.js';
import { DEFAULT_TASK_QUEUE } from '../domain/search-attributes.js';
import { CLEANUP_FUNCTION_WORKFLOW } from '../domain/workflow-api.js';
// Types only: the client never loads workflow code.
import type {
  CleanupFunctionInput,
  cleanupFunction as cleanupFunctionWorkflow,
} from '../workflows/cleanup-function.js';
import { TuningFailedError, workflowEndOf, type TuningEndStatus } from './errors.js';
import { cleanupWorkflowId } from './workflow-ids.js';

export type { StrandedCleanupReport } from '../activities/types.js';
export type { CleanupFunctionInput } from '../workflows/cleanup-function.js';
export { cleanupWorkflowId } from './workflow-ids.js';

export type CleanupFunctionWorkflow = typeof cleanupFunctionWorkflow;

export interface CleanupOptions {
  /** Only report what would be done; nothing is changed. */
  dryRun?: boolean;
  /** Clean up even when the run holding the lock cannot be looked up (never while it is running). */
  force?: boolean;
  /** Default `power-tuning` (the worker's default). */
  taskQueue?: string;
  /** Default `powertune-cleanup-<function>-<6 hex>`. */
  workflowId?: string;
  /** The IAM role the tuning assumed for the function (its roleArn): the cleanup assumes it too. */
  roleArn?: string;
  /** With roleArn: the external id the role's trust policy expects. */
  externalId?: string;
}

/**
 * The cleanup did not finish. `failureType` tells why: `TuningRunning` when a tuning still
 * holds the function (nothing was changed), `InvalidInput` for a bad function name, or the
 * AWS error's type. A subclass of TuningFailedError, so callers that handle that one handle this.
 */
export class CleanupFailedError extends TuningFailedError {
  constructor(workflowId: string, status: TuningEndStatus, message: string, failureType?: string) {
    super(workflowId, status, message, failureType);
    this.name = 'CleanupFailedError';
  }
}

/**
 * Finds every leftover of tunings that never cleaned up (their `ptune-*` aliases, their marked
 * versions, the lock and the saved version it points at), puts `$LATEST` back to the settings saved
 * with the lock and releases the lock; with `dryRun` it only reports. Throws the InputError of
 * `lambdaARN`, `roleArn` or `externalId` before anything starts, and CleanupFailedError when the workflow refuses or fails.
 */
export async function cleanupFunction(
  client: Client,
  lambdaARN: string,
  opts: CleanupOptions = {},
): Promise<StrandedCleanupReport> {
  // Same rule as the workflow's, checked here so a typo costs no workflow run.
  const target = parseFunctionTarget(lambdaARN, 'lambdaARN');
  readTargetRole(opts.roleArn, opts.externalId, target.partition);
  const name = target.name ?? target.functionName;
  const workflowId = opts.workflowId ?? cleanupWorkflowId(name);
  const input: CleanupFunctionInput = { lambdaARN };
  if (opts.dryRun) input.dryRun = true;
  if (opts.force) input.force = true;
  if (opts.roleArn !== undefined) input.roleArn = opts.roleArn;
  if (opts.externalId !== undefined) input.externalId = opts.externalId;
  const handle = await client.workflow.start<CleanupFunctionWorkflow>(CLEANUP_FUNCTION_WORKFLOW, {
    taskQueue: opts.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowId,
    args: [input],
    staticSummary: `Cleanup of ${name}${opts.dryRun ? ' (dry run)' : ''}`,
  });
  try {
    return await handle.result();
  } catch (err) {
    const { status, rootMessage, failureType } = await workflowEndOf(err);
    const message =
      status === 'FAILED'
        ? rootMessage
        : `the cleanup was ${status === 'TIMED_OUT' ? 'timed out' : status.toLowerCase()}`;
    throw new CleanupFailedError(workflowId, status, message, failureType);
  }
}

/** True when the report found nothing to clean up. */
export function isNothingToClean(report: StrandedCleanupReport): boolean {
  return (
    report.lock === undefined &&
    report.aliases.length === 0 &&
    report.versions.length === 0 &&
    report.restore === undefined &&
    report.architecture === undefined &&
    !report.releasedLock
  );
}
