/**
 * One run of a tuning schedule: tune the function (a powerTuning child, whose id follows from
 * this run's), find the last completed run of the same schedule, decide drift against it
 * (domain/drift.ts), show it in the `TuningDrift` search attribute, and on drift tell the
 * webhook. A webhook that fails is recorded in the output; it never fails the run. A run whose
 * input has a fleet instead takes workflows/scheduled-fleet-tuning.ts.
 */
import {
  ApplicationFailure,
  ParentClosePolicy,
  setCurrentDetails,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  detectDrift,
  fillRunLink,
  noticeRun,
  tuningWorkflowIdOf,
  validateScheduledTuningInput,
  type DriftNotice,
  type ScheduledTuningInput,
  type ScheduledTuningOutput,
  type ScheduledTuningSettings,
} from '../domain/drift.js';
import { InputError } from '../domain/errors.js';
import {
  isScheduledFleetInput,
  type AnyScheduledTuningInput,
  type ScheduledFleetTuningOutput,
} from '../domain/fleet-drift.js';
import {
  TUNING_DRIFT,
  TUNING_FUNCTION,
  TUNING_PHASE,
  TUNING_RECOMMENDED_MEMORY,
  TUNING_STRATEGY,
} from '../domain/search-attributes.js';
import type { TuningOutput } from '../domain/types.js';
import { POWER_TUNING_WORKFLOW } from '../domain/workflow-api.js';
import { acts } from './activity-options.js';
import { LOOKUP, sendWebhook } from './drift-steps.js';
import type { powerTuning } from './power-tuning.js';
import { scheduledFleetTuning } from './scheduled-fleet-tuning.js';
import { withContext } from './steps.js';

function validated(input: ScheduledTuningInput): ScheduledTuningSettings {
  try {
    return validateScheduledTuningInput(input);
  } catch (err) {
    if (err instanceof InputError) throw ApplicationFailure.nonRetryable(err.message, 'InvalidInput');
    throw ApplicationFailure.nonRetryable(`Input validation failed: ${String(err)}`, 'InvalidInput');
  }
}

export async function scheduledTuning(
  input: AnyScheduledTuningInput,
): Promise<ScheduledTuningOutput | ScheduledFleetTuningOutput> {
  // A fleet selection's runs take their own path; one function's issue the same commands as ever.
  if (isScheduledFleetInput(input)) return scheduledFleetTuning(input);
  return scheduledFunctionTuning(input);
}

async function scheduledFunctionTuning(input: ScheduledTuningInput): Promise<ScheduledTuningOutput> {
  const settings = validated(input);
  const info = workflowInfo();
  const name = settings.config.target.name ?? settings.config.target.functionName;
  // Runs the schedule started with the custom attributes set can have their children listed too.
  const listed = info.typedSearchAttributes.get(TUNING_FUNCTION) !== undefined;

  const tuning = await withContext(`Scheduled tuning of ${name}`, async () => {
    const child = await startChild<typeof powerTuning>(POWER_TUNING_WORKFLOW, {
      workflowId: tuningWorkflowIdOf(info.workflowId),
      args: [input.tuning],
      // Cancel, never terminate: a cancelled tuning still puts the function back.
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      staticSummary: `Scheduled power tuning of ${name} (schedule ${settings.scheduleId})`,
      ...(listed
        ? {
            typedSearchAttributes: [
              { key: TUNING_FUNCTION, value: name },
              { key: TUNING_STRATEGY, value: settings.config.strategy },
              { key: TUNING_PHASE, value: 'validating' },
            ],
          }
        : {}),
    });
    return { workflowId: child.workflowId, runId: child.firstExecutionRunId, output: await child.result() };
  });

  const answer = await withContext('Finding the previous run of the schedule', () =>
    acts.findPreviousScheduledTuning.executeWithOptions(
      { ...LOOKUP, summary: `previous run of ${settings.scheduleId}` },
      [
        {
          scheduleId: settings.scheduleId,
          workflowId: info.workflowId,
          startedBefore: info.startTime.toISOString(),
        },
      ],
    ),
  );
  // A schedule's runs tune one function; a previous run of another (a reused id) is no baseline.
  const previous =
    answer.previous?.output.functionName === tuning.output.functionName ? answer.previous : undefined;
  const drift = detectDrift(previous?.output, tuning.output, {
    maxRegression: settings.drift.maxRegression,
    balancedWeight: settings.config.balancedWeight,
  });
  if (answer.searchAttributes) showDrift(drift.status, tuning.output, settings);
  setCurrentDetails(`**Drift: ${drift.status}**\n\n${drift.statement}`);

  const output: ScheduledTuningOutput = {
    scheduleId: settings.scheduleId,
    functionName: tuning.output.functionName,
    tuning: { workflowId: tuning.workflowId, runId: tuning.runId },
    output: tuning.output,
    ...(previous
      ? {
          previous: {
            workflowId: previous.workflowId,
            runId: previous.runId,
            tuningWorkflowId: previous.tuningWorkflowId,
          },
        }
      : {}),
    drift,
  };
  if (drift.status === 'drift' && settings.drift.webhook && previous) {
    const notice: DriftNotice = {
      type: 'powertune.drift',
      scheduleId: settings.scheduleId,
      functionName: tuning.output.functionName,
      strategy: tuning.output.strategy,
      currency: tuning.output.currency,
      statement: drift.statement,
      reasons: drift.reasons,
      previous: noticeRun(previous.tuningWorkflowId, previous.output),
      current: noticeRun(tuning.workflowId, tuning.output),
      workflow: {
        namespace: info.namespace,
        workflowId: info.workflowId,
        runId: info.runId,
        ...(settings.runLink ? { link: fillRunLink(settings.runLink, info.workflowId, info.runId) } : {}),
      },
    };
    output.webhook = await sendWebhook(
      settings.drift.webhook,
      notice,
      `drift webhook of ${notice.functionName}`,
    );
  }
  return output;
}

function showDrift(status: string, output: TuningOutput, settings: ScheduledTuningSettings): void {
  upsertSearchAttributes([
    { key: TUNING_DRIFT, value: status },
    { key: TUNING_FUNCTION, value: output.functionName },
    { key: TUNING_STRATEGY, value: settings.config.strategy },
    ...(output.power !== null ? [{ key: TUNING_RECOMMENDED_MEMORY, value: output.power }] : []),
  ]);
}
