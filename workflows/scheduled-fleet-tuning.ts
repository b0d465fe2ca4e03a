/**
 * One run of a fleet schedule: tune the selection (a fleetTuning child, whose id follows from
 * this run's), then let an activity judge each function against the last completed run of the
 * same schedule (domain/fleet-drift.ts). The run drifts when any function does: that shows in
 * `TuningDrift`, in a memo `list --drift` reads, and, with a webhook, in one notice listing the
 * drifted functions. Only the small per-function verdicts travel through this run's history.
 */
import {
  ApplicationFailure,
  ParentClosePolicy,
  setCurrentDetails,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { fillRunLink } from '../domain/drift.js';
import { isInputError } from '../domain/errors.js';
import {
  FLEET_DRIFT_MEMO,
  fleetWorkflowIdOf,
  summarizeFleetDrift,
  validateScheduledFleetInput,
  type FleetDriftMemo,
  type FleetDriftNotice,
  type ScheduledFleetSettings,
  type ScheduledFleetTuningInput,
  type ScheduledFleetTuningOutput,
} from '../domain/fleet-drift.js';
import { describeSelection } from '../domain/fleet-plan.js';
import { TUNING_DRIFT, TUNING_FUNCTION, TUNING_STRATEGY } from '../domain/search-attributes.js';
import { FLEET_TUNING_WORKFLOW } from '../domain/workflow-api.js';
import { acts } from './activity-options.js';
import { LOOKUP, sendWebhook } from './drift-steps.js';
import type { fleetTuning } from './fleet-tuning.js';
import { withContext } from './steps.js';

function validated(input: ScheduledFleetTuningInput): ScheduledFleetSettings {
  try {
    return validateScheduledFleetInput(input);
  } catch (err) {
    if (isInputError(err)) throw ApplicationFailure.nonRetryable(err.message, 'InvalidInput');
    throw ApplicationFailure.nonRetryable(`Input validation failed: ${String(err)}`, 'InvalidInput');
  }
}

export async function scheduledFleetTuning(
  input: ScheduledFleetTuningInput,
): Promise<ScheduledFleetTuningOutput> {
  const settings = validated(input);
  const info = workflowInfo();
  const selection = describeSelection(settings.fleet.selector);

  const fleet = await withContext(`Scheduled fleet tuning of ${selection}`, async () => {
    const child = await startChild<typeof fleetTuning>(FLEET_TUNING_WORKFLOW, {
      workflowId: fleetWorkflowIdOf(info.workflowId),
      args: [input.fleet],
      // Cancel, never terminate: a cancelled fleet still puts every function back.
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      staticSummary: `Scheduled fleet tuning of ${selection} (schedule ${settings.scheduleId})`,
    });
    return { workflowId: child.workflowId, runId: child.firstExecutionRunId, output: await child.result() };
  });

  const answer = await withContext('Comparing each function with the previous run', () =>
    acts.compareScheduledFleet.executeWithOptions(
      {
        ...LOOKUP,
        // Two result reads per function: a large fleet takes a while; the heartbeats show it going.
        startToCloseTimeout: '15 minutes',
        heartbeatTimeout: '1 minute',
        summary: `drift of ${selection} against the previous run of ${settings.scheduleId}`,
      },
      [
        {
          scheduleId: settings.scheduleId,
          workflowId: info.workflowId,
          startedBefore: info.startTime.toISOString(),
          fleet: { workflowId: fleet.workflowId, runId: fleet.runId },
          maxRegression: settings.drift.maxRegression,
          balancedWeight: settings.fleet.shared.balancedWeight,
        },
      ],
    ),
  );
  const summary = summarizeFleetDrift(answer.functions, answer.previous !== undefined);
  if (answer.searchAttributes) {
    upsertSearchAttributes([
      { key: TUNING_DRIFT, value: summary.status },
      { key: TUNING_FUNCTION, value: selection },
      { key: TUNING_STRATEGY, value: settings.fleet.shared.strategy },
    ]);
  }
  const memo: FleetDriftMemo = {
    fleetWorkflowId: fleet.workflowId,
    drifted: summary.drifted.length,
    functions: answer.functions.length,
  };
  upsertMemo({ [FLEET_DRIFT_MEMO]: memo });
  setCurrentDetails(`**Drift: ${summary.status}**\n\n${summary.statement}`);

  const output: ScheduledFleetTuningOutput = {
    scheduleId: settings.scheduleId,
    selection,
    fleet: { workflowId: fleet.workflowId, runId: fleet.runId },
    output: fleet.output,
    ...(answer.previous ? { previous: answer.previous } : {}),
    drift: { ...summary, functions: answer.functions },
  };
  if (summary.status === 'drift' && settings.drift.webhook) {
    const notice: FleetDriftNotice = {
      type: 'powertune.fleet-drift',
      scheduleId: settings.scheduleId,
      selection,
      strategy: settings.fleet.shared.strategy,
      statement: summary.statement,
      functions: answer.functions.filter((f) => f.status === 'drift'),
      workflow: {
        namespace: info.namespace,
        workflowId: info.workflowId,
        runId: info.runId,
        ...(settings.runLink ? { link: fillRunLink(settings.runLink, info.workflowId, info.runId) } : {}),
      },
    };
    output.webhook = await sendWebhook(settings.drift.webhook, notice, `drift webhook of ${selection}`);
  }
  return output;
}
