/** Errors the client API raises, each with what a caller (or the CLI's exit code) needs. */

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
