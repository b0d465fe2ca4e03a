/**
 * Who holds a function's tuning lock, and is that run still alive? Asked through the worker's
 * own Temporal client, so a lock left by a terminated run is told apart from a running tuning.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/common';
import { runTag, type LockHolder } from '../domain/naming.js';

/** RUNNING, or a closed status (COMPLETED, TERMINATED, …), NOT_FOUND, or UNKNOWN when it could not be told. */
export type OwnerStatus = string;

/** Lock descriptions are cut at 256 characters; a cut workflow id cannot be looked up. */
const MAX_DESCRIPTION = 256;

export async function lockOwnerStatus(holder: LockHolder, description: string): Promise<OwnerStatus> {
  if (description.length >= MAX_DESCRIPTION) return 'UNKNOWN';
  let client;
  try {
    client = Context.current().client;
  } catch {
    return 'UNKNOWN';
  }
  try {
    const run = await client.workflow.getHandle(holder.workflowId).describe();
    // The id may since have been reused by a newer run: only the run that took the lock counts.
    if (runTag(run.runId) !== holder.tag) return run.status.name === 'RUNNING' ? 'CLOSED' : run.status.name;
    return run.status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'NOT_FOUND';
    return 'UNKNOWN';
  }
}

export const isOwnerGone = (status: OwnerStatus): boolean => status !== 'RUNNING' && status !== 'UNKNOWN';
