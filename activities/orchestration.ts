/**
 * The activity that counts the run's own billable Temporal Cloud actions (when the input gives a
 * price per million actions), from its event history so far. It runs last, after cleanup.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { HEARTBEAT_THROTTLE_MS } from '../domain/heartbeats.js';
import { countBillableActions, type ActionCount } from '../domain/orchestration.js';
import type { RunHistoryReader } from './run-history.js';

export function orchestrationActivities(readHistory: RunHistoryReader | undefined) {
  return {
    async countRunActions(): Promise<ActionCount> {
      if (!readHistory)
        throw ApplicationFailure.nonRetryable('This worker cannot read run histories', 'NoHistoryReader');
      const run = Context.current().info.workflowExecution;
      if (!run) throw ApplicationFailure.nonRetryable('Not called from a workflow', 'NoWorkflow');
      const events = await readHistory({ workflowId: run.workflowId, runId: run.runId });
      // This activity's own attempt is not in the history until it completes.
      return countBillableActions(events, HEARTBEAT_THROTTLE_MS, Context.current().info.attempt);
    },
  };
}
