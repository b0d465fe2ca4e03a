/**
 * Reads a run's own event history through the worker's client and reduces each event to what
 * domain/orchestration.ts counts. Only event types, times, attempts and attribute names are read:
 * no payload is decoded, so this works the same with payload encryption on.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import proto from '@temporalio/proto';
import type { HistoryEventFacts } from '../domain/orchestration.js';
import type { WorkflowExecutionRef } from './progress-reporter.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Reads one run's history (injected into the activities by the worker). */
export type RunHistoryReader = (run: WorkflowExecutionRef) => Promise<HistoryEventFacts[]>;

const { EventType } = proto.temporal.api.enums.v1;

const asNumber = (value: unknown): number | undefined =>
  value === null || value === undefined ? undefined : Number(value);

function timeMs(event: HistoryEvent): number | undefined {
  const t = event.eventTime;
  if (!t) return undefined;
  return (asNumber(t.seconds) ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}

/** The id of the ActivityTaskScheduled event an activity event belongs to. */
function scheduledId(event: HistoryEvent): number | undefined {
  const attributes =
    event.activityTaskStartedEventAttributes ??
    event.activityTaskCompletedEventAttributes ??
    event.activityTaskFailedEventAttributes ??
    event.activityTaskTimedOutEventAttributes ??
    event.activityTaskCanceledEventAttributes;
  return asNumber(attributes?.scheduledEventId);
}

export function eventFacts(event: HistoryEvent): HistoryEventFacts {
  const facts: HistoryEventFacts = { type: EventType[event.eventType ?? 0] ?? 'EVENT_TYPE_UNSPECIFIED' };
  const at = timeMs(event);
  if (at !== undefined) facts.timeMs = at;
  const scheduled = scheduledId(event);
  if (scheduled !== undefined) facts.scheduledEventId = scheduled;
  const attempt = event.activityTaskStartedEventAttributes?.attempt;
  if (attempt) facts.attempt = attempt;
  const upserted = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
  if (upserted) facts.upsertedKeys = Object.keys(upserted);
  return facts;
}

/** A reader that fetches through a client, e.g. the worker's own. */
export function historyThrough(client: () => Client | undefined): RunHistoryReader {
  return async (run) => {
    const c = client();
    if (!c) throw new Error('No Temporal client to read the run history with');
    const history = await c.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    return (history.events ?? []).map(eventFacts);
  };
}
