/**
 * Putting back a function that tunings left behind (a run terminated with `temporal workflow
 * terminate`, or ended by a server): the typed-client side of `powertune cleanup <function>`.
 * The work is done by the `cleanupFunction` workflow on the worker, which has the AWS access.
 *
 *   const report = await cleanupFunction(client, 'my-fn', { dryRun: true });
 *   console.log(report.aliases, report.versions, report.restore);
 */
import { randomBytes } from 'node:crypto';
import {
  CancelledFailure,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import type { StrandedCleanupReport } from '../activities/types.js';
import { parseFunctionTarget } from '../domain/arn.js';
import { DEFAULT_TASK_QUEUE } from '../domain/search-attributes.js';
import type { CleanupFunctionInput } from '../workflows/cleanup-function.js';
import { TuningFailedError, type TuningEndStatus } from './errors.js';

export type { StrandedCleanupReport } from '../activities/types.js';
export type { CleanupFunctionInput } from '../workflows/cleanup-function.js';

/** The workflow type registered by the worker (workflows/cleanup-function.ts). */
export const CLEANUP_WORKFLOW_TYPE = 'cleanupFunction';

export type CleanupFunctionWorkflow = (input: CleanupFunctionInput) => Promise<StrandedCleanupReport>;

export interface CleanupOptions {
  /** Only report what would be done; nothing is changed. */
  dryRun?: boolean;
  /** Clean up even when the run holding the lock cannot be looked up (never while it is running). */
  force?: boolean;
  /** Default `power-tuning` (the worker's default). */
  taskQueue?: string;
  /** Default `powertune-cleanup-<function>-<6 hex>`. */
  workflowId?: string;
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

/** `powertune-cleanup-<name>-<6 hex>`, with characters awkward in URLs and shells replaced. */
export function cleanupWorkflowId(
  functionName: string,
  random: () => string = () => randomBytes(3).toString('hex'),
): string {
  const slug = functionName.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 64) || 'function';
  return `powertune-cleanup-${slug}-${random()}`;
}

/**
 * Finds every leftover of tunings that never cleaned up (their `ptune-*` aliases, their marked
 * versions, the lock and the snapshot it points at), puts `$LATEST` back to the settings saved
 * with the lock and releases the lock; with `dryRun` it only reports. Throws the InputError of
 * `lambdaARN` before anything starts, and CleanupFailedError when the workflow refuses or fails.
 */
export async function cleanupFunction(
  client: Client,
  lambdaARN: string,
  opts: CleanupOptions = {},
): Promise<StrandedCleanupReport> {
  // Same rule as the workflow's, checked here so a typo costs no workflow run.
  const target = parseFunctionTarget(lambdaARN, 'lambdaARN');
  const name = target.name ?? target.functionName;
  const workflowId = opts.workflowId ?? cleanupWorkflowId(name);
  const input: CleanupFunctionInput = { lambdaARN };
  if (opts.dryRun) input.dryRun = true;
  if (opts.force) input.force = true;
  const handle = await client.workflow.start<CleanupFunctionWorkflow>(CLEANUP_WORKFLOW_TYPE, {
    taskQueue: opts.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowId,
    args: [input],
    staticSummary: `Cleanup of ${name}${opts.dryRun ? ' (dry run)' : ''}`,
  });
  try {
    return await handle.result();
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const status = endStatus(err);
    const root = rootFailure(err);
    const message =
      status === 'FAILED'
        ? root.message
        : `the cleanup was ${status === 'TIMED_OUT' ? 'timed out' : status.toLowerCase()}`;
    throw new CleanupFailedError(workflowId, status, message, failureType(err.cause));
  }
}

/** True when the report found nothing to clean up. */
export function isNothingToClean(report: StrandedCleanupReport): boolean {
  return (
    report.lock === undefined &&
    report.aliases.length === 0 &&
    report.versions.length === 0 &&
    report.restore === undefined &&
    !report.releasedLock
  );
}

function endStatus(err: WorkflowFailedError): TuningEndStatus {
  if (err.cause instanceof CancelledFailure) return 'CANCELLED';
  if (err.cause instanceof TerminatedFailure) return 'TERMINATED';
  if (err.cause instanceof TimeoutFailure) return 'TIMED_OUT';
  return 'FAILED';
}

/** The innermost failure says what went wrong; the outer ones only say where. */
function rootFailure(err: unknown): Error {
  let current: unknown = err;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current : new Error(String(current));
}

/** The deepest application failure type in the chain (the workflow copies it outward too). */
function failureType(failure: unknown): string | undefined {
  let type: string | undefined;
  let current: unknown = failure;
  while (current instanceof TemporalFailure) {
    if (current instanceof ApplicationFailure && current.type) type = current.type;
    current = current.cause;
  }
  return type;
}
