/**
 * One word per Temporal execution status, used wherever the CLI shows or accepts a status
 * (list table, list --json, list --status, cancel, progress), so each is spelled one way.
 */
import type { WorkflowExecutionStatusName } from '@temporalio/client';

export type StatusWord =
  | 'running'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'terminated'
  | 'timed-out'
  | 'continued-as-new'
  | 'paused'
  | 'unknown';

const WORDS: Record<WorkflowExecutionStatusName, StatusWord> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed-out',
  CONTINUED_AS_NEW: 'continued-as-new',
  PAUSED: 'paused',
  UNSPECIFIED: 'unknown',
  UNKNOWN: 'unknown',
};

/** Temporal's status name (`TIMED_OUT`) as the CLI spells it (`timed-out`). */
export function statusWord(status: WorkflowExecutionStatusName): StatusWord {
  return WORDS[status] ?? 'unknown';
}
