/**
 * Tuning schedules: a Temporal Schedule that starts a `scheduledTuning` run every interval
 * (overlap policy skip: a run still going when the next is due makes the schedule skip it), each
 * run comparing its recommendation with the last completed one (domain/drift.ts). Schedules of
 * this tool are those whose action starts `scheduledTuning`; `listTuningSchedules` shows only
 * them, and pause, unpause and delete refuse the others. A schedule tunes one function or a fleet
 * selection (domain/fleet-drift.ts), whose runs flag drift per function.
 *
 * No runtime import of the Temporal client here: the CLI loads this module at start-up.
 */
import type { Client, ScheduleDescription, ScheduleHandle, ScheduleSummary } from '@temporalio/client';
import { validateDriftSettings, type DriftSettings } from '../domain/drift.js';
import { InputError, InputErrors, inputErrorCollector } from '../domain/errors.js';
import type { AnyScheduledTuningInput } from '../domain/fleet-drift.js';
import { validateFleetInput } from '../domain/fleet-input.js';
import { describeSelection } from '../domain/fleet-plan.js';
import type { FleetConfig, FleetTuningInput } from '../domain/fleet-types.js';
import { DEFAULT_TASK_QUEUE, TUNING_FUNCTION, TUNING_STRATEGY } from '../domain/search-attributes.js';
import type { PowerTuningInput, TuningConfig } from '../domain/types.js';
import { validateInput } from '../domain/validate.js';
import { SCHEDULED_TUNING_WORKFLOW } from '../domain/workflow-api.js';
import { functionNameOf } from './api.js';

export const SCHEDULE_ID_PREFIX = 'powertune-schedule-';

/** `powertune-schedule-<function>`: one schedule per function unless another id is given. */
export function defaultScheduleId(functionName: string): string {
  const slug = functionName.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 64) || 'function';
  return `${SCHEDULE_ID_PREFIX}${slug}`;
}

const UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNITS;
export const MIN_INTERVAL_MS = 1000;
export const MAX_INTERVAL_MS = 366 * UNITS.d;

/** `30s`, `15m`, `12h`, `7d` → milliseconds; InputError of `every` otherwise. */
export function parseInterval(raw: string): number {
  const accepted = 'a whole number followed by s, m, h or d, such as 30s, 15m, 12h or 7d, from 1s to 366d';
  const match = /^\s*(\d+)\s*([smhd])\s*$/.exec(raw);
  if (!match) throw new InputError('every', `"${raw}" is not a duration`, accepted);
  const ms = Number(match[1]) * UNITS[match[2] as Unit];
  if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS)
    throw new InputError('every', `${raw} is out of range`, accepted);
  return ms;
}

/** Milliseconds in the largest whole unit: 604800000 → `7d`. */
export function formatInterval(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNITS[unit] && ms % UNITS[unit] === 0) return `${ms / UNITS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

export interface CreateScheduleOptions {
  /** How often: `30s`, `15m`, `12h`, `7d`. */
  every: string;
  /** Default `powertune-schedule-<function>`. */
  scheduleId?: string;
  /** Default `power-tuning` (the worker's default). */
  taskQueue?: string;
  /** Fraction (0.1 = 10%); default 10%. */
  maxRegression?: number;
  /** http(s) URL told about drift. */
  webhook?: string;
  /** Web UI page of a run with {workflowId} and {runId} placeholders, for the webhook's link. */
  runLink?: string;
  /** Create it paused. */
  paused?: boolean;
  /** Also run once right away (the baseline the next run compares with). */
  runNow?: boolean;
}

export interface CreatedSchedule {
  scheduleId: string;
  everyMs: number;
  config: TuningConfig;
  drift: DriftSettings;
  /** False when the namespace lacks the custom search attributes (the schedule works without them). */
  searchAttributes: boolean;
}

/** A schedule with this id exists already. */
export class ScheduleExistsError extends Error {
  constructor(readonly scheduleId: string) {
    super(`a schedule with id "${scheduleId}" already exists; delete it first or choose another id`);
    this.name = 'ScheduleExistsError';
  }
}

/** No schedule has this id, or it is not a tuning schedule. */
export class ScheduleNotFound extends Error {
  constructor(
    readonly scheduleId: string,
    why: string,
  ) {
    super(why);
    this.name = 'ScheduleNotFound';
  }
}

/** Checks everything, the tuning with the workflow's own validator, before creating anything. */
export function validateScheduleRequest(
  input: PowerTuningInput,
  opts: CreateScheduleOptions,
): { config: TuningConfig; everyMs: number; drift: DriftSettings } {
  return validateWith(() => validateInput(input), opts);
}

/** The target's validation (a tuning or a fleet) and the schedule's own options, every error at once. */
function validateWith<C>(
  validateTarget: () => C,
  opts: CreateScheduleOptions,
): { config: C; everyMs: number; drift: DriftSettings } {
  const errors: InputError[] = [];
  const attempt = inputErrorCollector(errors);
  const config = attempt(validateTarget);
  const everyMs = attempt(() => parseInterval(opts.every));
  const drift = attempt(() =>
    validateDriftSettings({
      ...(opts.maxRegression !== undefined ? { maxRegression: opts.maxRegression } : {}),
      ...(opts.webhook !== undefined ? { webhook: opts.webhook } : {}),
    }),
  );
  if (errors.length > 0 || config === undefined || everyMs === undefined || !drift)
    throw new InputErrors(errors);
  return { config, everyMs, drift };
}

const isNamed = (err: unknown, name: string) => err instanceof Error && err.name === name;
const isUnknownSearchAttribute = (err: unknown) =>
  err instanceof Error && /search attribute/i.test(err.message);

/** What both kinds of schedule (one function, a fleet) create the same way. */
interface ScheduleSpec {
  scheduleId: string;
  everyMs: number;
  args: [AnyScheduledTuningInput];
  attributes: { key: typeof TUNING_FUNCTION | typeof TUNING_STRATEGY; value: string }[];
  staticSummary: string;
  note: string;
}

/** Creates the schedule (without the search attributes when the namespace lacks them); true when it has them. */
async function createSchedule(
  client: Client,
  spec: ScheduleSpec,
  opts: CreateScheduleOptions,
): Promise<boolean> {
  const { scheduleId, everyMs, args, attributes } = spec;
  const create = (withAttributes: boolean) =>
    client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: everyMs }] },
      action: {
        type: 'startWorkflow',
        workflowType: SCHEDULED_TUNING_WORKFLOW,
        // The server adds the time of each run to it.
        workflowId: scheduleId,
        taskQueue: opts.taskQueue ?? DEFAULT_TASK_QUEUE,
        args,
        staticSummary: spec.staticSummary,
        ...(withAttributes ? { typedSearchAttributes: attributes } : {}),
      },
      policies: {
        overlap: 'SKIP',
        // A run missed while the server was down is made up for until the next one is due.
        catchupWindow: Math.max(10_000, everyMs),
        pauseOnFailure: false,
      },
      state: {
        paused: opts.paused === true,
        note: spec.note,
        triggerImmediately: opts.runNow === true,
      },
      ...(withAttributes ? { typedSearchAttributes: attributes } : {}),
    });
  try {
    try {
      await create(true);
      return true;
    } catch (err) {
      if (!isUnknownSearchAttribute(err)) throw err;
      await create(false);
      return false;
    }
  } catch (err) {
    if (isNamed(err, 'ScheduleAlreadyRunning')) throw new ScheduleExistsError(scheduleId);
    throw err;
  }
}

/** Validates (InputErrors naming each bad field), then creates the schedule. */
export async function createTuningSchedule(
  client: Client,
  input: PowerTuningInput,
  opts: CreateScheduleOptions,
): Promise<CreatedSchedule> {
  const { config, everyMs, drift } = validateScheduleRequest(input, opts);
  const name = functionNameOf(config);
  const scheduleId = opts.scheduleId ?? defaultScheduleId(name);
  const every = formatInterval(everyMs);
  const searchAttributes = await createSchedule(
    client,
    {
      scheduleId,
      everyMs,
      args: [{ scheduleId, tuning: input, drift, ...(opts.runLink ? { runLink: opts.runLink } : {}) }],
      attributes: [
        { key: TUNING_FUNCTION, value: name },
        { key: TUNING_STRATEGY, value: config.strategy },
      ],
      staticSummary: `Scheduled power tuning of ${name} every ${every}: ${config.powerValues.length} memory sizes, strategy ${config.strategy}`,
      note: `powertune: tunes ${name} every ${every}`,
    },
    opts,
  );
  return { scheduleId, everyMs, config, drift, searchAttributes };
}

/** `powertune-schedule-fleet-<selection>`: one schedule per selection unless another id is given. */
export function defaultFleetScheduleId(selection: string): string {
  const slug =
    selection
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64) || 'selection';
  return `${SCHEDULE_ID_PREFIX}fleet-${slug}`;
}

export interface CreatedFleetSchedule {
  scheduleId: string;
  everyMs: number;
  config: FleetConfig;
  /** The selection in words: `prefix "orders-"`. */
  selection: string;
  drift: DriftSettings;
  searchAttributes: boolean;
}

/** Checks the fleet with the fleet workflow's own validator, and the rest, before creating anything. */
export function validateFleetScheduleRequest(
  fleet: FleetTuningInput,
  opts: CreateScheduleOptions,
): { config: FleetConfig; everyMs: number; drift: DriftSettings } {
  return validateWith(() => validateFleetInput(fleet), opts);
}

/** A schedule whose runs tune a fleet selection and flag drift per function. */
export async function createFleetSchedule(
  client: Client,
  fleet: FleetTuningInput,
  opts: CreateScheduleOptions,
): Promise<CreatedFleetSchedule> {
  const { config, everyMs, drift } = validateFleetScheduleRequest(fleet, opts);
  const selection = describeSelection(config.selector);
  const scheduleId = opts.scheduleId ?? defaultFleetScheduleId(selection);
  const every = formatInterval(everyMs);
  const searchAttributes = await createSchedule(
    client,
    {
      scheduleId,
      everyMs,
      args: [{ scheduleId, fleet, drift, ...(opts.runLink ? { runLink: opts.runLink } : {}) }],
      attributes: [
        { key: TUNING_FUNCTION, value: selection },
        { key: TUNING_STRATEGY, value: config.shared.strategy },
      ],
      staticSummary: `Scheduled fleet tuning of ${selection} every ${every}: ${config.shared.powerValues.length} memory sizes, strategy ${config.shared.strategy}, ${config.concurrency} at a time`,
      note: `powertune: tunes ${selection} every ${every}`,
    },
    opts,
  );
  return { scheduleId, everyMs, config, selection, drift, searchAttributes };
}

export interface TuningScheduleSummary {
  scheduleId: string;
  /** From the schedule's search attributes; absent when the namespace lacks them. */
  functionName?: string;
  strategy?: string;
  /** `7d`, when the schedule runs at an interval. */
  every?: string;
  paused: boolean;
  note?: string;
  nextRunAt?: Date;
  lastRunAt?: Date;
}

const isOurs = (s: Pick<ScheduleSummary, 'action'>) => s.action?.workflowType === SCHEDULED_TUNING_WORKFLOW;

function summaryOf(s: ScheduleSummary): TuningScheduleSummary {
  const every = s.spec?.intervals?.[0]?.every;
  const last = s.info.recentActions.at(-1)?.takenAt;
  const next = s.info.nextActionTimes[0];
  const fn = s.typedSearchAttributes?.get(TUNING_FUNCTION);
  const strategy = s.typedSearchAttributes?.get(TUNING_STRATEGY);
  return {
    scheduleId: s.scheduleId,
    ...(fn !== undefined ? { functionName: fn } : {}),
    ...(strategy !== undefined ? { strategy } : {}),
    ...(every !== undefined ? { every: formatInterval(every) } : {}),
    paused: s.state.paused,
    ...(s.state.note ? { note: s.state.note } : {}),
    ...(next ? { nextRunAt: next } : {}),
    ...(last ? { lastRunAt: last } : {}),
  };
}

/** The tuning schedules of the namespace, by id. */
export async function listTuningSchedules(client: Client): Promise<TuningScheduleSummary[]> {
  const out: TuningScheduleSummary[] = [];
  for await (const s of client.schedule.list()) if (isOurs(s)) out.push(summaryOf(s));
  return out.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

/** The handle of a tuning schedule, after checking it exists and is one. */
export async function getTuningSchedule(
  client: Client,
  scheduleId: string,
): Promise<{ handle: ScheduleHandle; description: ScheduleDescription }> {
  const handle = client.schedule.getHandle(scheduleId);
  let description: ScheduleDescription;
  try {
    description = await handle.describe();
  } catch (err) {
    if (isNamed(err, 'ScheduleNotFoundError'))
      throw new ScheduleNotFound(
        scheduleId,
        `no schedule "${scheduleId}" in namespace "${client.options.namespace}"`,
      );
    throw err;
  }
  if (!isOurs(description)) {
    throw new ScheduleNotFound(
      scheduleId,
      `schedule "${scheduleId}" is not a tuning schedule (it starts ${description.action.workflowType}); left alone`,
    );
  }
  return { handle, description };
}

export async function pauseTuningSchedule(client: Client, scheduleId: string, note?: string): Promise<void> {
  const { handle } = await getTuningSchedule(client, scheduleId);
  await handle.pause(note ?? 'paused with powertune schedule pause');
}

export async function unpauseTuningSchedule(
  client: Client,
  scheduleId: string,
  note?: string,
): Promise<void> {
  const { handle } = await getTuningSchedule(client, scheduleId);
  await handle.unpause(note ?? 'unpaused with powertune schedule unpause');
}

/** Deletes the schedule; runs already started go on to their end. */
export async function deleteTuningSchedule(client: Client, scheduleId: string): Promise<void> {
  const { handle } = await getTuningSchedule(client, scheduleId);
  await handle.delete();
}
