/**
 * The typed client of fleet tunings: start one, watch its functions, await its result.
 *
 *   const fleet = await startFleet(client, { prefix: 'orders-', tuning: { num: 20, strategy: 'cost' } });
 *   for await (const s of watchFleet(client, fleet.handle)) console.log(s.progress?.functions.length);
 *   const output = await awaitFleetResult(fleet.handle);
 */
import type { Client, WorkflowExecutionStatusName, WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { validateFleetInput } from '../domain/fleet-input.js';
import { describeSelection } from '../domain/fleet-plan.js';
import type { FleetConfig, FleetOutput, FleetProgress, FleetTuningInput } from '../domain/fleet-types.js';
import { DEFAULT_TASK_QUEUE } from '../domain/search-attributes.js';
import type { TuningProgress } from '../domain/types.js';
import { FLEET_TUNING_WORKFLOW, fleetProgressQuery, progressQuery } from '../domain/workflow-api.js';
// Type only: the client never loads workflow code.
import type { fleetTuning } from '../workflows/fleet-tuning.js';
import { delay } from './delay.js';
import { endMessage, TuningFailedError, TuningNotFoundError, workflowEndOf } from './errors.js';
import { defaultWorkflowId } from './workflow-ids.js';

export type FleetTuningWorkflow = typeof fleetTuning;
export type FleetHandle = WorkflowHandle<FleetTuningWorkflow>;

export interface StartFleetOptions {
  /** Default `powertune-fleet-<selection>-<6 hex>`. */
  workflowId?: string;
  /** Default `power-tuning` (the worker's default). */
  taskQueue?: string;
}

export interface StartedFleet {
  workflowId: string;
  runId: string;
  /** The validated input. */
  config: FleetConfig;
  handle: FleetHandle;
}

/** `powertune-fleet-orders-a1b2c3` for a prefix, `powertune-fleet-tags-…` and `powertune-fleet-list-…`. */
export function fleetWorkflowId(config: FleetConfig, random?: () => string): string {
  const selector = config.selector;
  const slug =
    selector.kind === 'prefix'
      ? selector.prefix.replace(/[-_]+$/, '') || 'prefix'
      : selector.kind === 'tags'
        ? 'tags'
        : 'list';
  return defaultWorkflowId(`fleet-${slug}`, random);
}

/** The Web UI's one-line summary of a fleet. */
export function fleetSummary(config: FleetConfig): string {
  return (
    `Fleet tuning of ${describeSelection(config.selector)}${config.region ? ` in ${config.region}` : ''}: ` +
    `strategy ${config.shared.strategy}, at most ${config.concurrency} at a time per account and region` +
    (config.shared.dryRun ? ' (dry run)' : '')
  );
}

/**
 * Validates the input with the workflow's own validator (throws InputErrors naming every bad
 * field, `tuning.<field>` for the shared settings, before anything starts), then starts the fleet.
 */
export async function startFleet(
  client: Client,
  input: FleetTuningInput,
  opts: StartFleetOptions = {},
): Promise<StartedFleet> {
  const config = validateFleetInput(input);
  const workflowId = opts.workflowId ?? fleetWorkflowId(config);
  const handle = await client.workflow.start<FleetTuningWorkflow>(FLEET_TUNING_WORKFLOW, {
    taskQueue: opts.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowId,
    args: [input],
    staticSummary: fleetSummary(config),
  });
  return { workflowId, runId: handle.firstExecutionRunId, config, handle };
}

/** A handle on an existing fleet (its latest run: a fleet continues as new as it goes). */
export function getFleetHandle(client: Client, workflowId: string): FleetHandle {
  return client.workflow.getHandle<FleetTuningWorkflow>(workflowId);
}

export interface FleetSnapshot {
  workflowId: string;
  status: WorkflowExecutionStatusName;
  startTime: Date;
  closeTime?: Date;
  elapsedMs: number;
  /** The fleetProgress query's answer; absent while no worker answers. */
  progress?: FleetProgress;
  progressError?: string;
  /** The phase of each running child tuning, by its workflow id (when it answered). */
  phases: Record<string, TuningProgress['phase']>;
}

const QUERY_TIMEOUT_MS = 5_000;

/** Describes the fleet and asks it and its running children for their progress (bounded in time). */
export async function getFleetSnapshot(client: Client, handle: FleetHandle): Promise<FleetSnapshot> {
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      throw new TuningNotFoundError(handle.workflowId, client.options.namespace);
    throw err;
  }
  const end = description.closeTime ?? new Date();
  const snapshot: FleetSnapshot = {
    workflowId: description.workflowId,
    status: description.status.name,
    startTime: description.startTime,
    elapsedMs: end.getTime() - description.startTime.getTime(),
    phases: {},
  };
  if (description.closeTime) snapshot.closeTime = description.closeTime;
  const within = <T>(ask: () => Promise<T>) =>
    client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, ask);
  try {
    snapshot.progress = await within(() => handle.query(fleetProgressQuery));
  } catch (err) {
    snapshot.progressError =
      description.status.name === 'RUNNING'
        ? `no answer from a worker on task queue "${description.taskQueue}" (is one running?)`
        : `progress not available: ${(err as Error).message}`;
    return snapshot;
  }
  const running = snapshot.progress.functions.filter((f) => f.state === 'running');
  await Promise.all(
    running.map(async (f) => {
      try {
        const child = client.workflow.getHandle(f.childWorkflowId, f.childRunId);
        snapshot.phases[f.childWorkflowId] = (await within(() => child.query(progressQuery))).phase;
      } catch {
        // A child between two workflow tasks, or a worker restarting: its row keeps "running".
      }
    }),
  );
  return snapshot;
}

/** Snapshots of a fleet until it closes (the last has its final status) or the signal aborts. */
export async function* watchFleet(
  client: Client,
  handle: FleetHandle,
  opts: { intervalMs?: number; signal?: AbortSignal } = {},
): AsyncGenerator<FleetSnapshot> {
  while (!opts.signal?.aborted) {
    const snapshot = await getFleetSnapshot(client, handle);
    yield snapshot;
    if (snapshot.status !== 'RUNNING' && snapshot.status !== 'CONTINUED_AS_NEW') return;
    await delay(opts.intervalMs ?? 1000, opts.signal);
  }
}

/**
 * The fleet's output (following it through continue-as-new). A fleet that failed, was cancelled,
 * terminated or timed out throws TuningFailedError; functions that failed do not: they are rows.
 */
export async function awaitFleetResult(handle: FleetHandle): Promise<FleetOutput> {
  try {
    return await handle.result();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new TuningNotFoundError(handle.workflowId);
    const end = await workflowEndOf(err);
    const { status, failureType } = end;
    const message = endMessage('fleet', end, {
      cancelled: ' (its running tunings were cancelled and cleaned up)',
      terminated: '; its running tunings were asked to cancel',
    });
    throw new TuningFailedError(handle.workflowId, status, message, failureType);
  }
}
