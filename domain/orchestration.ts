/**
 * What the tuning itself costs to orchestrate. A self-hosted Temporal server has no per-use fee;
 * Temporal Cloud bills "actions". Which operations are actions is listed in Temporal's
 * documentation (docs.temporal.io/cloud/actions): a workflow start, each activity attempt, each
 * heartbeat that reaches the server, each timer, signal, search attribute upsert (not the one
 * recording a patch), update and query. This counts them from the run's event history, which is
 * also how Temporal's own per-workflow estimate works; heartbeats are not in the history, so they
 * are estimated from each activity's running time and the worker's heartbeat throttle, and
 * queries (a person watching the run) are left out. Pure.
 */

/** One history event, reduced to what the count needs. */
export interface HistoryEventFacts {
  /** The event type as the API names it, e.g. "ActivityTaskStarted" (prefix and case ignored). */
  type: string;
  /** ActivityTaskStarted: the attempt it records (earlier failed attempts are not in the history). */
  attempt?: number;
  /** Epoch ms, for an activity's running time. */
  timeMs?: number;
  /** ActivityTaskStarted: the id of its ActivityTaskScheduled event; closing events: the same id. */
  scheduledEventId?: number;
  /** UpsertWorkflowSearchAttributes: the attributes it sets. */
  upsertedKeys?: readonly string[];
}

export interface ActionCount {
  /** Every action counted below. */
  total: number;
  workflowStarts: number;
  /** Activity attempts, retries included. */
  activityAttempts: number;
  /** Estimated: running time / heartbeat throttle, per activity attempt that ran that long. */
  heartbeats: number;
  timers: number;
  signals: number;
  searchAttributeUpserts: number;
  childWorkflows: number;
  updates: number;
}

/** Temporal records patches in this search attribute; Temporal Cloud does not bill its upsert. */
const CHANGE_VERSION_ATTRIBUTE = 'TemporalChangeVersion';

const normalise = (type: string) =>
  type
    .replace(/^EVENT_TYPE_/, '')
    .replace(/_/g, '')
    .toLowerCase();

const CLOSES_ACTIVITY = new Set([
  'activitytaskcompleted',
  'activitytaskfailed',
  'activitytasktimedout',
  'activitytaskcanceled',
]);

/**
 * Counts the billable actions in a run's history. `heartbeatThrottleMs` is how often at most a
 * worker sends an activity's heartbeat to the server; `extraActivityAttempts` adds attempts not
 * yet in the history (the activity doing the count).
 */
export function countBillableActions(
  events: readonly HistoryEventFacts[],
  heartbeatThrottleMs: number,
  extraActivityAttempts = 0,
): ActionCount {
  const count: Omit<ActionCount, 'total'> = {
    workflowStarts: 0,
    activityAttempts: extraActivityAttempts,
    heartbeats: 0,
    timers: 0,
    signals: 0,
    searchAttributeUpserts: 0,
    childWorkflows: 0,
    updates: 0,
  };
  const startedAt = new Map<number, number>();
  for (const event of events) {
    const type = normalise(event.type);
    switch (type) {
      case 'workflowexecutionstarted':
        count.workflowStarts += 1;
        break;
      case 'activitytaskstarted':
        count.activityAttempts += Math.max(1, event.attempt ?? 1);
        if (event.scheduledEventId !== undefined && event.timeMs !== undefined)
          startedAt.set(event.scheduledEventId, event.timeMs);
        break;
      case 'timerstarted':
        count.timers += 1;
        break;
      case 'workflowexecutionsignaled':
      case 'signalexternalworkflowexecutioninitiated':
        count.signals += 1;
        break;
      case 'upsertworkflowsearchattributes':
        if ((event.upsertedKeys ?? []).some((k) => k !== CHANGE_VERSION_ATTRIBUTE))
          count.searchAttributeUpserts += 1;
        break;
      case 'startchildworkflowexecutioninitiated':
        // Temporal Cloud bills the start and the execution of a child.
        count.childWorkflows += 2;
        break;
      case 'workflowexecutionupdateaccepted':
      case 'workflowexecutionupdaterejected':
        count.updates += 1;
        break;
      default:
        if (CLOSES_ACTIVITY.has(type) && event.scheduledEventId !== undefined && event.timeMs !== undefined) {
          const started = startedAt.get(event.scheduledEventId);
          if (started !== undefined && heartbeatThrottleMs > 0)
            count.heartbeats += Math.floor(Math.max(0, event.timeMs - started) / heartbeatThrottleMs);
        }
    }
  }
  const total = Object.values(count).reduce((a, b) => a + b, 0);
  return { total, ...count };
}

/** The orchestration's cost at a price per million actions. */
export function actionsCost(actions: number, pricePerMillionActions: number): number {
  return (actions * pricePerMillionActions) / 1_000_000;
}
