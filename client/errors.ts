/** Errors the client API raises, each with what a caller (or the CLI's exit code) needs. */
import type { WorkflowFailedError } from '@temporalio/client';
// From common, where the client re-exports them from: the client package loads too slowly for start-up.
import {
  ApplicationFailure,
  CancelledFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
} from '@temporalio/common';
import { rootCause } from '../domain/errors.js';

export type TuningEndStatus = 'FAILED' | 'CANCELLED' | 'TERMINATED' | 'TIMED_OUT';

/** The tuning ended without a result. */
export class TuningFailedError extends Error {
  readonly workflowId: string;
  readonly status: TuningEndStatus;
  /** The failure type set by the workflow, e.g. InvalidInput or NoFeasiblePower. */
  readonly failureType?: string;

  constructor(workflowId: string, status: TuningEndStatus, message: string, failureType?: string) {
    super(message);
    this.name = 'TuningFailedError';
    this.workflowId = workflowId;
    this.status = status;
    if (failureType !== undefined) this.failureType = failureType;
  }
}

/** Whether the workflow was cancelled, terminated, timed out, or failed. */
function endStatusOf(err: WorkflowFailedError): TuningEndStatus {
  if (err.cause instanceof CancelledFailure) return 'CANCELLED';
  if (err.cause instanceof TerminatedFailure) return 'TERMINATED';
  if (err.cause instanceof TimeoutFailure) return 'TIMED_OUT';
  return 'FAILED';
}

/**
 * How a workflow ended, from the WorkflowFailedError its result raised instead; any other error is
 * rethrown. The client is imported here, not at the top: the CLI starts without loading it, and
 * whoever holds this error has loaded it already.
 */
export async function workflowEndOf(err: unknown): Promise<{
  status: TuningEndStatus;
  /** The innermost cause's message: what went wrong when the workflow failed. */
  rootMessage: string;
  failureType: string | undefined;
}> {
  const { WorkflowFailedError } = await import('@temporalio/client');
  if (!(err instanceof WorkflowFailedError)) throw err;
  return {
    status: endStatusOf(err),
    rootMessage: rootCause(err).message,
    failureType: failureTypeOf(err.cause),
  };
}

/**
 * A closed run's end in words, for its failure: the failure's own message, or what ended it.
 * `what` names the run ("tuning", "fleet"); `cancelled` and `terminated` add what that did to
 * its own work.
 */
export function endMessage(
  what: string,
  end: { status: TuningEndStatus; rootMessage: string },
  then: { cancelled?: string; terminated?: string } = {},
): string {
  switch (end.status) {
    case 'FAILED':
      return end.rootMessage;
    case 'CANCELLED':
      return `the ${what} was cancelled${then.cancelled ?? ''}`;
    case 'TERMINATED':
      return `the ${what} was terminated${end.rootMessage ? `: ${end.rootMessage}` : ''}${then.terminated ?? ''}`;
    default:
      return `the ${what} timed out`;
  }
}

/** The deepest application failure type in the chain (the workflow copies it outward too). */
function failureTypeOf(failure: unknown): string | undefined {
  let type: string | undefined;
  let current: unknown = failure;
  while (current instanceof TemporalFailure) {
    if (current instanceof ApplicationFailure && current.type) type = current.type;
    current = current.cause;
  }
  return type;
}

/** No workflow with this ID in the namespace. */
export class TuningNotFoundError extends Error {
  constructor(
    readonly workflowId: string,
    readonly namespace?: string,
  ) {
    super(`no tuning with workflow ID "${workflowId}"${namespace ? ` in namespace "${namespace}"` : ''}`);
    this.name = 'TuningNotFoundError';
  }
}
