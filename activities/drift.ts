/**
 * A scheduled run asks for the run it compares with: the last completed run of the same schedule
 * that started before it, found in Temporal visibility (the server tags every run a schedule
 * starts with `TemporalScheduledById`), and its tuning output, read through the worker's own
 * client (same connection, namespace and payload codec).
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
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

export function driftActivities(workerHasSearchAttributes: () => boolean) {
  return {
    async findPreviousScheduledTuning(request: PreviousRunRequest): Promise<PreviousRunAnswer> {
      const previous = await findPreviousScheduledRun(Context.current().client, request);
      return { ...(previous ? { previous } : {}), searchAttributes: workerHasSearchAttributes() };
    },
  };
}
