/**
 * Phase timings read from a workflow's history: the server's own event times, so client polling
 * and start-up noise stay out of the figures. Times are ms from the workflow's start.
 */
import type { WorkflowHandle } from '@temporalio/client';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

/** One memory size's setup and invocations. */
export interface SizeTimings {
  power: number;
  /** Its setupPowerValue activity completed (absent for workflows that set up otherwise). */
  setupEndMs?: number;
  /** Its first invokeBatch scheduled → its last one completed. */
  invokeSpanMs: number;
  /** Σ of its invokeBatch activities' run times (started → completed): the time invoking took. */
  invokeBusyMs: number;
  firstInvokeMs: number;
}

export interface RunTimings {
  /** Workflow started → workflow completed. */
  runMs: number;
  /**
   * The longest invocation phase of one size (its first batch scheduled → its last completed).
   * Sizes start when they are set up (pipelined), so a span across sizes would count setup.
   */
  invokeMs: number;
  /**
   * Time during which at least one batch ran (the union of their started → completed spans):
   * what throughput is measured over, as sizes no longer all invoke at once.
   */
  invokeUnionMs: number;
  /** Workflow started → first invocation activity scheduled (validation, lock, first setup). */
  beforeInvokeMs: number;
  /** Last invocation activity completed → workflow completed (analysis, cleanup). */
  afterInvokeMs: number;
  /** Last setupPowerValue completed minus first invokeBatch scheduled: > 0 when they overlap. */
  setupOverlapMs: number;
  /** The pipelined lower bound: max over sizes of (its setup end + its invoking time). */
  pipelineBoundMs: number;
  sizes: SizeTimings[];
  /** Activities of each type. */
  activities: Record<string, number>;
  events: number;
}

const INVOKE_ACTIVITY = 'invokeBatch';
const SETUP_ACTIVITY = 'setupPowerValue';

interface ActivityRecord {
  type: string;
  power?: number;
  scheduledAt: number;
  startedAt?: number;
  completedAt?: number;
}

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

/** The `power` of a setup or invocation activity's input (plain JSON: the bench runs no codec). */
function powerOf(event: HistoryEvent): number | undefined {
  const data = event.activityTaskScheduledEventAttributes?.input?.payloads?.[0]?.data;
  if (!data) return undefined;
  const input = JSON.parse(Buffer.from(data).toString('utf8')) as { power?: unknown };
  return typeof input.power === 'number' ? input.power : undefined;
}

/** Total length of the union of [start, end] spans. */
function unionMs(spans: [number, number][]): number {
  let total = 0;
  let reach = -Infinity;
  for (const [start, end] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (end <= reach) continue;
    total += end - Math.max(start, reach);
    reach = end;
  }
  return total;
}

export function runTimings(history: History): RunTimings {
  const events = history.events ?? [];
  let started: number | undefined;
  let completed: number | undefined;
  const byScheduledId = new Map<number, ActivityRecord>();
  const activities: Record<string, number> = {};
  for (const event of events) {
    if (event.workflowExecutionStartedEventAttributes) started = eventMs(event);
    if (event.workflowExecutionCompletedEventAttributes) completed = eventMs(event);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const type = scheduled.activityType?.name ?? 'unknown';
      activities[type] = (activities[type] ?? 0) + 1;
      const power = type === INVOKE_ACTIVITY || type === SETUP_ACTIVITY ? powerOf(event) : undefined;
      byScheduledId.set(eventId(event.eventId), { type, power, scheduledAt: eventMs(event) });
    }
    const start = event.activityTaskStartedEventAttributes;
    const record = start && byScheduledId.get(eventId(start.scheduledEventId));
    if (record) record.startedAt = eventMs(event);
    const done = event.activityTaskCompletedEventAttributes;
    const finished = done && byScheduledId.get(eventId(done.scheduledEventId));
    if (finished) finished.completedAt = eventMs(event);
  }
  if (started === undefined || completed === undefined) throw new Error('the workflow has not completed');
  const origin = started;
  const invokes = [...byScheduledId.values()].filter((a) => a.type === INVOKE_ACTIVITY);
  const setups = [...byScheduledId.values()].filter((a) => a.type === SETUP_ACTIVITY);
  if (invokes.length === 0 || invokes.some((a) => a.completedAt === undefined))
    throw new Error('the workflow invoked nothing, or not every batch completed');

  const powers = [...new Set(invokes.map((a) => a.power ?? -1))].sort((a, b) => a - b);
  const sizes = powers.map((power): SizeTimings => {
    const mine = invokes.filter((a) => (a.power ?? -1) === power);
    const first = Math.min(...mine.map((a) => a.scheduledAt));
    const last = Math.max(...mine.map((a) => a.completedAt as number));
    const busy = mine.reduce((sum, a) => sum + (a.completedAt as number) - (a.startedAt ?? a.scheduledAt), 0);
    const setupEnd = setups.find((s) => s.power === power)?.completedAt;
    return {
      power,
      ...(setupEnd === undefined ? {} : { setupEndMs: setupEnd - origin }),
      invokeSpanMs: last - first,
      invokeBusyMs: busy,
      firstInvokeMs: first - origin,
    };
  });
  const firstInvoke = Math.min(...invokes.map((a) => a.scheduledAt));
  const lastInvoke = Math.max(...invokes.map((a) => a.completedAt as number));
  const lastSetup = Math.max(origin, ...setups.map((s) => s.completedAt ?? origin));
  return {
    runMs: completed - origin,
    invokeMs: Math.max(...sizes.map((s) => s.invokeSpanMs)),
    invokeUnionMs: unionMs(invokes.map((a) => [a.startedAt ?? a.scheduledAt, a.completedAt as number])),
    beforeInvokeMs: firstInvoke - origin,
    afterInvokeMs: completed - lastInvoke,
    setupOverlapMs: lastSetup - firstInvoke,
    pipelineBoundMs: Math.max(...sizes.map((s) => (s.setupEndMs ?? 0) + s.invokeBusyMs)),
    sizes,
    activities,
    events: events.length,
  };
}
