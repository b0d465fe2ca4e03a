/**
 * The fleet-tuning workflow: validate the settings once → list the selected functions → tune each
 * with its own `powerTuning` child run, at most `concurrency` at a time per account and region →
 * report every function's outcome. A function that fails or is locked by another tuning is
 * recorded and the others go on. Every so many children the run hands over to a fresh one
 * (continue-as-new), so the history stays small however large the fleet.
 * Deterministic: the listing is an activity, each tuning a child workflow.
 */
import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  ChildWorkflowCancellationType,
  ChildWorkflowFailure,
  ParentClosePolicy,
  TerminatedFailure,
  TimeoutFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
// Not re-exported by @temporalio/workflow; what startChild throws when the id is taken.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { isInputError, rootCause } from '../domain/errors.js';
import { validateFleetInput } from '../domain/fleet-input.js';
import {
  childWorkflowId,
  describeSelection,
  planFleet,
  remainingMembers,
  shouldHandOver,
  uniqueMembers,
} from '../domain/fleet-plan.js';
import {
  countByStatus,
  savingTotals,
  tunedResult,
  unfinishedResult,
  type ChildIds,
} from '../domain/fleet-summary.js';
import type {
  FleetCarry,
  FleetConfig,
  FleetFunctionResult,
  FleetMember,
  FleetOutput,
  FleetTuningInput,
} from '../domain/fleet-types.js';
import { POWER_TUNING_WORKFLOW } from '../domain/workflow-api.js';
import { CONTROL_PLANE, acts } from './activity-options.js';
import { FleetStatus } from './fleet-status.js';
// Type only: children are started by name, so the fleet's code does not pull the tuning's in.
import type { powerTuning } from './power-tuning.js';
import { withContext } from './steps.js';

/** `carried` is set only by the fleet itself when it continues as new. */
export async function fleetTuning(input: FleetTuningInput, carried?: FleetCarry): Promise<FleetOutput> {
  const config = validateFleetOrFail(input);
  const selection = describeSelection(config.selector);
  const run = carried?.run ?? 1;
  const status = new FleetStatus(selection, config.concurrency, run);
  const fleetId = workflowInfo().workflowId;
  const done = new Map<string, FleetFunctionResult>((carried?.done ?? []).map((r) => [r.functionArn, r]));
  let members: FleetMember[];
  try {
    members = carried?.members ?? (await selectMembers(config, selection, status));
  } catch (err) {
    status.enter(isCancellation(err) ? 'cancelled' : 'failed');
    throw err;
  }
  status.select(members, fleetId, done.values());
  status.enter('tuning');

  let startedThisRun = 0;
  const stopStarting = () =>
    CancellationScope.current().consideredCancelled ||
    shouldHandOver(startedThisRun, workflowInfo().continueAsNewSuggested);
  const lane = async (queue: FleetMember[]): Promise<void> => {
    while (queue.length > 0 && !stopStarting()) {
      const member = queue.shift() as FleetMember;
      startedThisRun++;
      const result = await tuneMember(config, fleetId, member, status);
      done.set(member.functionArn, result);
      status.finished(result);
    }
  };
  // One queue per account and region, drained by as many lanes as the concurrency allows.
  const groups = planFleet(remainingMembers({ members, done: [...done.values()] }), config.concurrency);
  await Promise.all(
    groups.flatMap((group) => Array.from({ length: group.lanes }, () => lane(group.members))),
  );

  if (CancellationScope.current().consideredCancelled) {
    status.cancelPending();
    status.enter('cancelled');
    throw new CancelledFailure(
      'Fleet tuning cancelled: the tunings in progress were cancelled and cleaned up',
    );
  }
  const results = [...done.values()];
  if (remainingMembers({ members, done: results }).length > 0) {
    // The lanes waited for every child they started: handing over cuts none off.
    await condition(allHandlersFinished);
    return continueAsNew<typeof fleetTuning>(input, { members, done: results, run: run + 1 });
  }
  status.enter('done');
  return fleetOutput(config, selection, members, done);
}

/** Bad input fails the fleet at once, naming the field, before anything is listed or tuned. */
function validateFleetOrFail(input: FleetTuningInput): FleetConfig {
  try {
    return validateFleetInput(input);
  } catch (err) {
    if (isInputError(err)) throw ApplicationFailure.nonRetryable(err.message, 'InvalidInput');
    throw ApplicationFailure.nonRetryable(`Input validation failed: ${String(err)}`, 'InvalidInput');
  }
}

async function selectMembers(
  config: FleetConfig,
  selection: string,
  status: FleetStatus,
): Promise<FleetMember[]> {
  status.enter('selecting');
  const listed = await withContext('Selecting the functions', () =>
    acts.listFleetFunctions.executeWithOptions({ ...CONTROL_PLANE, summary: `list ${selection}` }, [
      {
        selector: config.selector,
        ...(config.region !== undefined ? { region: config.region } : {}),
        ...(config.role ? { role: config.role } : {}),
      },
    ]),
  );
  return uniqueMembers(listed);
}

/**
 * One function's tuning as a child run. Its id comes from the fleet's id and the function, so a
 * replayed or resumed fleet never starts a second one; cancelling the fleet cancels it and waits
 * for its cleanup, and so does closing the fleet any other way (REQUEST_CANCEL). Never throws:
 * a failure is this function's outcome, not the fleet's.
 */
async function tuneMember(
  config: FleetConfig,
  fleetId: string,
  member: FleetMember,
  status: FleetStatus,
): Promise<FleetFunctionResult> {
  const ids: ChildIds = { childWorkflowId: childWorkflowId(fleetId, member) };
  try {
    const child = await startChild<typeof powerTuning>(POWER_TUNING_WORKFLOW, {
      workflowId: ids.childWorkflowId,
      args: [{ ...config.tuning, lambdaARN: member.functionArn }],
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
      staticSummary: `Power tuning of ${member.functionName} (${member.region}), fleet ${fleetId}`,
    });
    ids.childRunId = child.firstExecutionRunId;
    status.running(member.functionArn, ids.childRunId);
    return tunedResult(member, ids, await child.result());
  } catch (err) {
    return unfinishedResult(member, ids, outcomeOf(err, ids.childWorkflowId));
  }
}

/** Why a child did not complete, in its own words and with its failure type. */
function outcomeOf(
  err: unknown,
  workflowId: string,
): { cancelled: boolean; reason: string; errorType?: string } {
  if (isCancellation(err))
    return { cancelled: true, reason: 'the tuning was cancelled (it cleaned up first)' };
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return {
      cancelled: false,
      reason: `a tuning with workflow id ${workflowId} is already running; it was left alone`,
      errorType: 'AlreadyRunning',
    };
  }
  const cause = err instanceof ChildWorkflowFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    return { cancelled: false, reason: cause.message, ...(cause.type ? { errorType: cause.type } : {}) };
  }
  if (cause instanceof TerminatedFailure)
    return { cancelled: false, reason: 'the tuning was terminated', errorType: 'Terminated' };
  if (cause instanceof TimeoutFailure)
    return { cancelled: false, reason: 'the tuning timed out', errorType: 'Timeout' };
  return { cancelled: false, reason: rootCause(err).message };
}

function fleetOutput(
  config: FleetConfig,
  selection: string,
  members: FleetMember[],
  done: Map<string, FleetFunctionResult>,
): FleetOutput {
  // In the order they were planned: by account and region, then by name.
  const functions = uniqueMembers(members).flatMap((m) => {
    const result = done.get(m.functionArn);
    return result ? [result] : [];
  });
  return {
    selection,
    concurrency: config.concurrency,
    strategy: config.shared.strategy,
    functions,
    counts: countByStatus(functions),
    savings: savingTotals(functions),
  };
}
