/**
 * Phase timings read from a workflow's history: the server's own event times, so client polling
 * and start-up noise stay out of the figures.
 */
import type { WorkflowHandle } from '@temporalio/client';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

export interface RunTimings {
  /** Workflow started → workflow completed, in ms. */
  runMs: number;
  /** First invocation activity scheduled → last one completed, in ms. */
  invokeMs: number;
  /** Workflow started → first invocation activity scheduled (validation, lock, setup, restore). */
  beforeInvokeMs: number;
  /** Last invocation activity completed → workflow completed (analysis, cleanup). */
  afterInvokeMs: number;
  /** Activities of each type. */
  activities: Record<string, number>;
  events: number;
}

const INVOKE_ACTIVITY = 'invokeBatch';

function eventMs(event: HistoryEvent): number {
  const time = event.eventTime;
  if (!time) throw new Error(`history event ${String(event.eventId)} has no eventTime`);
  const seconds = time.seconds ?? 0;
  const whole = typeof seconds === 'number' ? seconds : seconds.toNumber();
  return whole * 1000 + (time.nanos ?? 0) / 1e6;
}

function eventId(value: HistoryEvent['eventId'] | undefined | null): number {
  if (value === undefined || value === null) return -1;
  return typeof value === 'number' ? value : value.toNumber();
}

export function runTimings(history: History): RunTimings {
  const events = history.events ?? [];
  let started: number | undefined;
  let completed: number | undefined;
  let firstInvoke: number | undefined;
  let lastInvoke: number | undefined;
  const typeOfScheduled = new Map<number, string>();
  const activities: Record<string, number> = {};
  for (const event of events) {
    if (event.workflowExecutionStartedEventAttributes) started = eventMs(event);
    if (event.workflowExecutionCompletedEventAttributes) completed = eventMs(event);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const type = scheduled.activityType?.name ?? 'unknown';
      typeOfScheduled.set(eventId(event.eventId), type);
      activities[type] = (activities[type] ?? 0) + 1;
      if (type === INVOKE_ACTIVITY) firstInvoke ??= eventMs(event);
    }
    const done = event.activityTaskCompletedEventAttributes;
    if (done && typeOfScheduled.get(eventId(done.scheduledEventId)) === INVOKE_ACTIVITY) {
      lastInvoke = eventMs(event);
    }
  }
  if (started === undefined || completed === undefined) throw new Error('the workflow has not completed');
  if (firstInvoke === undefined || lastInvoke === undefined) throw new Error('the workflow invoked nothing');
  return {
    runMs: completed - started,
    invokeMs: lastInvoke - firstInvoke,
    beforeInvokeMs: firstInvoke - started,
    afterInvokeMs: completed - lastInvoke,
    activities,
    events: events.length,
  };
}
