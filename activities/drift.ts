/**
 * A scheduled run asks for the run it compares with: the last completed run of the same schedule
 * that started before it, found in Temporal visibility (the server tags every run a schedule
 * starts with `TemporalScheduledById`), and its tuning output, read through the worker's own
 * client (same connection, namespace and payload codec).
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { detectDrift } from '../domain/drift.js';
import { pairFunctions, type FunctionDriftVerdict, type FunctionPair } from '../domain/fleet-drift.js';
import type { FleetOutput } from '../domain/fleet-types.js';
import { isPlainObject } from '../domain/json.js';
import type { TuningOutput } from '../domain/types.js';
import { SCHEDULED_TUNING_WORKFLOW } from '../domain/workflow-api.js';

export interface PreviousRunRequest {
  scheduleId: string;
  /** The asking run, never its own previous. */
  workflowId: string;
  /** ISO time the asking run started: only runs started earlier count. */
  startedBefore: string;
}

export interface PreviousScheduledRun {
  workflowId: string;
  runId: string;
  /** Its powerTuning child, whose output this is. */
  tuningWorkflowId: string;
  output: TuningOutput;
}

export interface PreviousRunAnswer {
  previous?: PreviousScheduledRun;
  /** Whether the worker has the custom search attributes (TuningDrift among them) to set. */
  searchAttributes: boolean;
}

/** Visibility returns closed runs latest closed first; a page holds the latest one. */
const PAGE_SIZE = 20;

const quote = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/** The visibility query for the earlier completed runs of a schedule. */
export function previousRunsQuery(request: PreviousRunRequest): string {
  return [
    `WorkflowType = ${quote(SCHEDULED_TUNING_WORKFLOW)}`,
    `TemporalScheduledById = ${quote(request.scheduleId)}`,
    `ExecutionStatus = "Completed"`,
    `WorkflowId != ${quote(request.workflowId)}`,
    `StartTime < ${quote(request.startedBefore)}`,
  ].join(' AND ');
}

/** The scheduled run's output as this activity needs it; anything else is not comparable. */
function tuningOf(result: unknown): { tuningWorkflowId: string; output: TuningOutput } | undefined {
  if (!isPlainObject(result) || !isPlainObject(result['output']) || !isPlainObject(result['tuning']))
    return undefined;
  const output = result['output'];
  const id = result['tuning']['workflowId'];
  if (!Array.isArray(output['results']) || typeof id !== 'string') return undefined;
  return { tuningWorkflowId: id, output: output as unknown as TuningOutput };
}

export async function findPreviousScheduledRun(
  client: Client,
  request: PreviousRunRequest,
): Promise<PreviousScheduledRun | undefined> {
  const candidates: { workflowId: string; runId: string; startMs: number }[] = [];
  for await (const info of client.workflow.list({ query: previousRunsQuery(request), pageSize: PAGE_SIZE })) {
    candidates.push({ workflowId: info.workflowId, runId: info.runId, startMs: info.startTime.getTime() });
    if (candidates.length >= PAGE_SIZE) break;
  }
  candidates.sort((a, b) => b.startMs - a.startMs);
  for (const candidate of candidates) {
    const result: unknown = await client.workflow.getHandle(candidate.workflowId, candidate.runId).result();
    const tuning = tuningOf(result);
    if (tuning) return { workflowId: candidate.workflowId, runId: candidate.runId, ...tuning };
  }
  return undefined;
}

/** The fleet output of a fleet schedule run's result; anything else is not comparable. */
function fleetOf(result: unknown): FleetOutput | undefined {
  if (!isPlainObject(result) || !isPlainObject(result['fleet']) || !isPlainObject(result['output']))
    return undefined;
  const output = result['output'];
  return Array.isArray(output['functions']) ? (output as unknown as FleetOutput) : undefined;
}

export interface FleetDriftRequest extends PreviousRunRequest {
  /** This run's fleetTuning child, whose output is read here rather than sent through history. */
  fleet: { workflowId: string; runId: string };
  maxRegression: number;
  balancedWeight?: number;
}

export interface FleetDriftAnswer {
  previous?: { workflowId: string; runId: string };
  /** One per function this run tuned, in the fleet's order. */
  functions: FunctionDriftVerdict[];
  searchAttributes: boolean;
}

/** The last completed run of the schedule that tuned a fleet, and its fleet output. */
async function findPreviousFleetRun(
  client: Client,
  request: PreviousRunRequest,
): Promise<{ workflowId: string; runId: string; output: FleetOutput } | undefined> {
  const candidates: { workflowId: string; runId: string; startMs: number }[] = [];
  for await (const info of client.workflow.list({ query: previousRunsQuery(request), pageSize: PAGE_SIZE })) {
    candidates.push({ workflowId: info.workflowId, runId: info.runId, startMs: info.startTime.getTime() });
    if (candidates.length >= PAGE_SIZE) break;
  }
  candidates.sort((a, b) => b.startMs - a.startMs);
  for (const candidate of candidates) {
    const result: unknown = await client.workflow.getHandle(candidate.workflowId, candidate.runId).result();
    const output = fleetOf(result);
    if (output) return { workflowId: candidate.workflowId, runId: candidate.runId, output };
  }
  return undefined;
}

/** Each tuned function's drift: its two powerTuning children's outputs, read by their ids. */
export async function fleetDriftVerdicts(
  client: Client,
  pairs: FunctionPair[],
  settings: { maxRegression: number; balancedWeight?: number },
): Promise<FunctionDriftVerdict[]> {
  const read = (ids: { workflowId: string; runId?: string }) =>
    client.workflow.getHandle(ids.workflowId, ids.runId).result() as Promise<TuningOutput>;
  const verdicts: FunctionDriftVerdict[] = [];
  for (const pair of pairs) {
    const current = await read(pair.current);
    const previous = pair.previous ? await read(pair.previous) : undefined;
    const drift = detectDrift(previous, current, settings);
    verdicts.push({
      functionName: pair.functionName,
      functionArn: pair.functionArn,
      status: drift.status,
      statement: drift.statement,
      tuningWorkflowId: pair.current.workflowId,
      ...(pair.previous ? { previousTuningWorkflowId: pair.previous.workflowId } : {}),
    });
    Context.current().heartbeat();
  }
  return verdicts;
}

export function driftActivities(workerHasSearchAttributes: () => boolean) {
  return {
    async compareScheduledFleet(request: FleetDriftRequest): Promise<FleetDriftAnswer> {
      const client = Context.current().client;
      const previous = await findPreviousFleetRun(client, request);
      // Follows the fleet's continue-as-new chain to its last run's output.
      const current = (await client.workflow
        .getHandle(request.fleet.workflowId, request.fleet.runId)
        .result()) as FleetOutput;
      const functions = await fleetDriftVerdicts(client, pairFunctions(previous?.output, current), {
        maxRegression: request.maxRegression,
        ...(request.balancedWeight !== undefined ? { balancedWeight: request.balancedWeight } : {}),
      });
      return {
        ...(previous ? { previous: { workflowId: previous.workflowId, runId: previous.runId } } : {}),
        functions,
        searchAttributes: workerHasSearchAttributes(),
      };
    },
    async findPreviousScheduledTuning(request: PreviousRunRequest): Promise<PreviousRunAnswer> {
      const previous = await findPreviousScheduledRun(Context.current().client, request);
      return { ...(previous ? { previous } : {}), searchAttributes: workerHasSearchAttributes() };
    },
  };
}
