/**
 * The typed client API: start a tuning, watch it, await its result, cancel it, list recent
 * ones. The CLI is built on it, and scripts can import it:
 *
 *   const tuning = await startTuning(client, { lambdaARN: 'my-fn', num: 20 });
 *   for await (const s of watchTuning(client, tuning.handle)) console.log(s.progress?.phase);
 *   const output = await awaitResult(tuning.handle);
 *
 * `cleanupFunction` (client/cleanup.ts) puts back a function that a terminated tuning left behind.
 * `startFleet` (client/fleet.ts) tunes many functions, each in its own tuning, a few at a time.
 */
import type {
  Client,
  WorkflowExecutionDescription,
  WorkflowExecutionStatusName,
  WorkflowHandle,
  WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
// From common, where the client re-exports it from: every CLI command imports this file, and
// `--help` must not wait for the Temporal client (gRPC included) to load.
import { defaultPayloadConverter, WorkflowNotFoundError } from '@temporalio/common';
import { tuningWorkflowIdOf } from '../domain/drift.js';
import { fleetDriftMemoOf } from '../domain/fleet-drift.js';
import {
  DEFAULT_TASK_QUEUE,
  TUNING_DRIFT,
  TUNING_FUNCTION,
  TUNING_PHASE,
  TUNING_RECOMMENDED_MEMORY,
  TUNING_STRATEGY,
} from '../domain/search-attributes.js';
import type { PowerTuningInput, TuningConfig, TuningOutput, TuningProgress } from '../domain/types.js';
import { validateInput } from '../domain/validate.js';
import { POWER_TUNING_WORKFLOW, SCHEDULED_TUNING_WORKFLOW, progressQuery } from '../domain/workflow-api.js';
// Type only: the client never loads workflow code.
import type { powerTuning } from '../workflows/power-tuning.js';
import { delay } from './delay.js';
import { endMessage, TuningFailedError, TuningNotFoundError, workflowEndOf } from './errors.js';
import { runDetailsMarkdown } from './format/run-details.js';
import { fromOlderWorkers, inFlightBatches, withInFlight } from './live-progress.js';
import type { StatusWord } from './format/status.js';
import { defaultWorkflowId } from './workflow-ids.js';

export { TuningFailedError, TuningNotFoundError } from './errors.js';
export {
  CleanupFailedError,
  cleanupFunction,
  cleanupWorkflowId,
  isNothingToClean,
  type CleanupFunctionInput,
  type CleanupFunctionWorkflow,
  type CleanupOptions,
  type StrandedCleanupReport,
} from './cleanup.js';
export { defaultWorkflowId } from './workflow-ids.js';
export {
  awaitFleetResult,
  fleetWorkflowId,
  getFleetHandle,
  getFleetSnapshot,
  startFleet,
  watchFleet,
  type FleetHandle,
  type FleetSnapshot,
  type FleetTuningWorkflow,
  type StartedFleet,
  type StartFleetOptions,
} from './fleet.js';

export type PowerTuningWorkflow = typeof powerTuning;
export type TuningHandle = WorkflowHandle<PowerTuningWorkflow>;

export interface StartTuningOptions {
  /** Default `powertune-<function>-<6 hex>`. */
  workflowId?: string;
  /** Default `power-tuning` (the worker's default). */
  taskQueue?: string;
}

export interface StartedTuning {
  workflowId: string;
  runId: string;
  /** The validated input with every default filled in. */
  config: TuningConfig;
  handle: TuningHandle;
  /** False when the namespace lacks the custom search attributes (the run goes on without them). */
  searchAttributes: boolean;
}

/** The bare function name of a validated config (what the TuningFunction attribute holds). */
export function functionNameOf(config: TuningConfig): string {
  return config.target.name ?? config.target.functionName;
}

function isUnknownSearchAttribute(err: unknown): boolean {
  return err instanceof Error && /search attribute/i.test(err.message);
}

/**
 * Validates the input with the workflow's own validator (throws InputErrors naming every bad
 * field, before anything starts), then starts the workflow. The search attributes are set at
 * start so the run is listed by function from its first second.
 */
export async function startTuning(
  client: Client,
  input: PowerTuningInput,
  opts: StartTuningOptions = {},
): Promise<StartedTuning> {
  const config = validateInput(input);
  const name = functionNameOf(config);
  const workflowId = opts.workflowId ?? defaultWorkflowId(name);
  const sizes = config.powerValues.length;
  const base = {
    taskQueue: opts.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowId,
    args: [input] as [PowerTuningInput],
    staticDetails: runDetailsMarkdown(config),
    staticSummary: `Power tuning of ${name}: ${sizes} memory sizes × ${config.num} invocations, strategy ${config.strategy}${config.dryRun ? ' (dry run)' : ''}`,
  };
  const attributes = [
    { key: TUNING_FUNCTION, value: name },
    { key: TUNING_STRATEGY, value: config.strategy },
    { key: TUNING_PHASE, value: 'validating' },
  ];
  let handle: WorkflowHandleWithFirstExecutionRunId<PowerTuningWorkflow>;
  let searchAttributes = true;
  try {
    handle = await client.workflow.start<PowerTuningWorkflow>(POWER_TUNING_WORKFLOW, {
      ...base,
      typedSearchAttributes: attributes,
    });
  } catch (err) {
    if (!isUnknownSearchAttribute(err)) throw err;
    searchAttributes = false;
    handle = await client.workflow.start<PowerTuningWorkflow>(POWER_TUNING_WORKFLOW, base);
  }
  return { workflowId, runId: handle.firstExecutionRunId, config, handle, searchAttributes };
}

/** A handle on an existing tuning (the latest run of that workflow ID unless runId is given). */
export function getTuningHandle(client: Client, workflowId: string, runId?: string): TuningHandle {
  return client.workflow.getHandle<PowerTuningWorkflow>(workflowId, runId);
}

export interface TuningSnapshot {
  workflowId: string;
  runId: string;
  status: WorkflowExecutionStatusName;
  startTime: Date;
  closeTime?: Date;
  /** From start to now, or to the close time. */
  elapsedMs: number;
  taskQueue: string;
  /**
   * From the workflow's progress query, plus what running batches heartbeated since (see
   * live-progress.ts); absent while no worker answers.
   */
  progress?: TuningProgress;
  /** Why progress is absent (e.g. no worker polling the task queue). */
  progressError?: string;
}

const QUERY_TIMEOUT_MS = 5_000;

/** Describes the run and asks it for its progress (bounded: an absent worker does not block). */
export async function getTuningSnapshot(client: Client, handle: TuningHandle): Promise<TuningSnapshot> {
  const description = await describeTuning(client, handle);
  const end = description.closeTime ?? new Date();
  const snapshot: TuningSnapshot = {
    workflowId: description.workflowId,
    runId: description.runId,
    status: description.status.name,
    startTime: description.startTime,
    elapsedMs: end.getTime() - description.startTime.getTime(),
    taskQueue: description.taskQueue,
  };
  if (description.closeTime) snapshot.closeTime = description.closeTime;
  try {
    const progress = fromOlderWorkers(
      await client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(progressQuery)),
    );
    const running = await inFlightBatches(
      description.raw.pendingActivities,
      client.options.loadedDataConverter,
    );
    snapshot.progress = withInFlight(progress, running);
  } catch (err) {
    snapshot.progressError =
      description.status.name === 'RUNNING'
        ? `no answer from a worker on task queue "${description.taskQueue}" (is one running?)`
        : `progress not available: ${(err as Error).message}`;
  }
  return snapshot;
}

export interface WatchOptions {
  /** Time between two snapshots (default 1 s). */
  intervalMs?: number;
  /** Stops watching (the tuning itself goes on). */
  signal?: AbortSignal;
}

/**
 * Snapshots of a tuning until it closes (the last one has its final status) or the signal
 * aborts. Watching never changes the tuning.
 */
export async function* watchTuning(
  client: Client,
  handle: TuningHandle,
  opts: WatchOptions = {},
): AsyncGenerator<TuningSnapshot> {
  const interval = opts.intervalMs ?? 1000;
  while (!opts.signal?.aborted) {
    const snapshot = await getTuningSnapshot(client, handle);
    yield snapshot;
    if (snapshot.status !== 'RUNNING') return;
    await delay(interval, opts.signal);
  }
}

/** Resolves false once the signal aborts (never without one). */
function aborted(signal: AbortSignal | undefined): Promise<false> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve(false);
    else signal.addEventListener('abort', () => resolve(false), { once: true });
  });
}

/** Waits for the result; a failed, cancelled, terminated or timed-out run throws TuningFailedError. */
export async function awaitResult(handle: TuningHandle): Promise<TuningOutput> {
  try {
    return await handle.result();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new TuningNotFoundError(handle.workflowId);
    const end = await workflowEndOf(err);
    const { status, failureType } = end;
    const message = endMessage('tuning', end);
    throw new TuningFailedError(handle.workflowId, status, message, failureType);
  }
}

export interface CancelOptions {
  /** Wait until the workflow has cleaned up and closed (default true). */
  wait?: boolean;
  /** Stops waiting (the cancellation stays requested); the status returned is then RUNNING. */
  signal?: AbortSignal;
}

/** The run's description; an unknown ID throws TuningNotFoundError. */
export async function describeTuning(
  client: Client,
  handle: TuningHandle,
): Promise<WorkflowExecutionDescription> {
  try {
    return await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      throw new TuningNotFoundError(handle.workflowId, client.options.namespace);
    throw err;
  }
}

/**
 * Requests cancellation; the workflow then restores the function and deletes what it created.
 * Returns the status after waiting (or RUNNING when not waiting); a run that had already
 * closed is left alone and its status returned.
 */
export async function cancelTuning(
  client: Client,
  handle: TuningHandle,
  opts: CancelOptions = {},
): Promise<{ status: WorkflowExecutionStatusName; alreadyClosed: boolean }> {
  const before = await describeTuning(client, handle);
  if (before.status.name !== 'RUNNING') return { status: before.status.name, alreadyClosed: true };
  await handle.cancel();
  if (opts.wait === false) return { status: 'RUNNING', alreadyClosed: false };
  const closed = handle.result().then(
    () => true,
    () => true,
  );
  if (!(await Promise.race([closed, aborted(opts.signal)])))
    return { status: 'RUNNING', alreadyClosed: false };
  const after = await handle.describe();
  return { status: after.status.name, alreadyClosed: false };
}

export interface ListOptions {
  /** A function name or ARN: only tunings of that function (needs the search attributes). */
  functionName?: string;
  /** One of LIST_STATUSES (case, `-`, `_` and spaces ignored; Temporal's `canceled` too). */
  status?: string;
  /** Extra visibility query, ANDed with the rest. */
  query?: string;
  /** Only the scheduled runs that drifted (TuningDrift = "drift") instead of tunings. */
  drift?: boolean;
  /** Default 20. */
  limit?: number;
}

export interface TuningSummary {
  workflowId: string;
  runId: string;
  status: WorkflowExecutionStatusName;
  startTime: Date;
  closeTime?: Date;
  taskQueue: string;
  functionName?: string;
  strategy?: string;
  phase?: string;
  recommendedMemory?: number;
  /** A scheduled run's TuningDrift: none, drift or first-run. */
  drift?: string;
  /**
   * A scheduled run's powerTuning child (the ID `result`, `report` and `compare` take), or a fleet
   * schedule run's fleetTuning child (the ID `fleet report` takes).
   */
  tuningWorkflowId?: string;
  /** A fleet schedule run's functions that drifted, and how many it judged. */
  driftedFunctions?: { drifted: number; of: number };
}

/** The statuses `list` filters on, spelled as everywhere in the CLI, and their visibility values. */
const VISIBILITY_STATUS = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  'timed-out': 'TimedOut',
} as const satisfies Partial<Record<StatusWord, string>>;

export const LIST_STATUSES = Object.keys(VISIBILITY_STATUS) as (keyof typeof VISIBILITY_STATUS)[];

/** `Timed_Out`, `timedout`, `canceled` → the visibility value; undefined when unknown. */
function visibilityStatus(text: string): string | undefined {
  const key = (s: string) => s.toLowerCase().replace(/[-_ ]/g, '');
  const wanted = key(text) === 'canceled' ? 'cancelled' : key(text);
  const found = LIST_STATUSES.find((s) => key(s) === wanted);
  return found && VISIBILITY_STATUS[found];
}

function quote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** The visibility query `list` sends; exported for tests and for `--print-query`. */
export function buildListQuery(opts: ListOptions): string {
  const clauses = opts.drift
    ? [`WorkflowType = ${quote(SCHEDULED_TUNING_WORKFLOW)}`, `${TUNING_DRIFT.name} = "drift"`]
    : [`WorkflowType = ${quote(POWER_TUNING_WORKFLOW)}`];
  if (opts.functionName)
    clauses.push(`${TUNING_FUNCTION.name} = ${quote(bareFunctionName(opts.functionName))}`);
  if (opts.status) {
    const status = visibilityStatus(opts.status);
    if (!status) throw new Error(`unknown status "${opts.status}"; accepted: ${LIST_STATUSES.join(', ')}`);
    clauses.push(`ExecutionStatus = ${quote(status)}`);
  }
  if (opts.query) clauses.push(`(${opts.query})`);
  return clauses.join(' AND ');
}

/** `arn:aws:lambda:r:a:function:name[:qualifier]` → `name`; a bare name stays as is. */
export function bareFunctionName(nameOrArn: string): string {
  const parts = nameOrArn.split(':');
  const at = parts.indexOf('function');
  return at >= 0 && parts[at + 1] ? (parts[at + 1] as string) : nameOrArn;
}

/** Latest start first; runs started at the same time by workflow ID, so the order is stable. */
export function newestFirst(rows: TuningSummary[]): TuningSummary[] {
  return [...rows].sort(
    (a, b) => b.startTime.getTime() - a.startTime.getTime() || a.workflowId.localeCompare(b.workflowId),
  );
}

/**
 * Recent tunings, newest (latest started) first, from Temporal visibility. The server's own
 * order is not by start time (SQL visibility puts running runs first, then by close time), so the
 * page it returns is sorted here.
 */
export async function listTunings(client: Client, opts: ListOptions = {}): Promise<TuningSummary[]> {
  const limit = opts.limit ?? 20;
  const out: TuningSummary[] = [];
  if (limit <= 0) return out;
  for await (const info of client.workflow.list({
    query: buildListQuery(opts),
    pageSize: Math.min(limit, 100),
  })) {
    const sa = info.typedSearchAttributes;
    const summary: TuningSummary = {
      workflowId: info.workflowId,
      runId: info.runId,
      status: info.status.name,
      startTime: info.startTime,
      taskQueue: info.taskQueue,
    };
    if (info.closeTime) summary.closeTime = info.closeTime;
    const fn = sa.get(TUNING_FUNCTION);
    const strategy = sa.get(TUNING_STRATEGY);
    const phase = sa.get(TUNING_PHASE);
    const memory = sa.get(TUNING_RECOMMENDED_MEMORY);
    if (fn !== undefined) summary.functionName = fn;
    if (strategy !== undefined) summary.strategy = strategy;
    if (phase !== undefined) summary.phase = phase;
    if (memory !== undefined) summary.recommendedMemory = memory;
    const drift = sa.get(TUNING_DRIFT);
    if (drift !== undefined) summary.drift = drift;
    if (info.type === SCHEDULED_TUNING_WORKFLOW) {
      const fleet = fleetDriftMemoOf(info.memo);
      summary.tuningWorkflowId = fleet?.fleetWorkflowId ?? tuningWorkflowIdOf(info.workflowId);
      if (fleet) summary.driftedFunctions = { drifted: fleet.drifted, of: fleet.functions };
    }
    out.push(summary);
    if (out.length >= limit) break;
  }
  return newestFirst(out);
}

/** The input the tuning was started with, read from the first event of its history. */
export async function getTuningInput(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<PowerTuningInput | undefined> {
  const response = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId: runId ?? '' },
    maximumPageSize: 1,
  });
  const payload =
    response.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return payload ? defaultPayloadConverter.fromPayload<PowerTuningInput>(payload) : undefined;
}
