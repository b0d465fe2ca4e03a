/**
 * Drift of a fleet schedule: each run tunes a fleet selection (a fleetTuning child), and every
 * function tuned both in this run and in the last completed one is judged on its own with
 * `detectDrift` (domain/drift.ts). The run drifts when any of its functions does. Also the
 * input of such a run, its validation, its output and its webhook notice. Pure.
 */
import { describeValue } from './describe.js';
import {
  validateDriftSettings,
  type DriftSettings,
  type DriftStatus,
  type ScheduledTuningInput,
  type WebhookOutcome,
} from './drift.js';
import { InputError, InputErrors, inputErrorCollector, inputErrorList, isInputError } from './errors.js';
import { validateFleetInput } from './fleet-input.js';
import type { FleetConfig, FleetFunctionResult, FleetOutput, FleetTuningInput } from './fleet-types.js';
import { isPlainObject } from './json.js';
import type { Strategy } from './types.js';

/** A schedule of a fleet selection starts its runs with this (the `scheduledTuning` workflow's input). */
export interface ScheduledFleetTuningInput {
  scheduleId: string;
  /** The fleet each run tunes, as fleetTuning takes it. */
  fleet: FleetTuningInput;
  drift?: { maxRegression?: number; webhook?: string };
  runLink?: string;
}

export type AnyScheduledTuningInput = ScheduledTuningInput | ScheduledFleetTuningInput;

/** Old inputs have no `fleet`: they keep the single-function path. */
export function isScheduledFleetInput(input: unknown): input is ScheduledFleetTuningInput {
  return isPlainObject(input) && input['fleet'] !== undefined;
}

export interface ScheduledFleetSettings {
  scheduleId: string;
  fleet: FleetConfig;
  drift: DriftSettings;
  runLink?: string;
}

/** Checks a fleet schedule run's whole input; the fleet's errors are named `fleet.<field>`. */
export function validateScheduledFleetInput(raw: unknown): ScheduledFleetSettings {
  if (!isPlainObject(raw))
    throw new InputError('input', `got ${describeValue(raw)}`, 'an object with scheduleId, fleet and drift');
  const errors: InputError[] = [];
  const collect = inputErrorCollector(errors);
  const scheduleId = raw['scheduleId'];
  if (typeof scheduleId !== 'string' || scheduleId.length === 0)
    errors.push(new InputError('scheduleId', `got ${describeValue(scheduleId)}`, 'the id of the schedule'));
  if (raw['tuning'] !== undefined)
    errors.push(
      new InputError(
        'tuning',
        'set beside "fleet"',
        'either "tuning" (one function) or "fleet" (a selection)',
      ),
    );
  const fleet = collect(() => {
    try {
      return validateFleetInput(raw['fleet']);
    } catch (err) {
      if (!isInputError(err)) throw err;
      throw new InputErrors(
        inputErrorList(err).map((e) => new InputError(`fleet.${e.field}`, e.problem, e.accepted)),
      );
    }
  });
  const drift = collect(() => validateDriftSettings(raw['drift']));
  const runLink = raw['runLink'];
  if (runLink !== undefined && typeof runLink !== 'string')
    errors.push(new InputError('runLink', `got ${describeValue(runLink)}`, 'a URL template'));
  if (errors.length > 0 || !fleet || !drift) throw new InputErrors(errors);
  return {
    scheduleId: scheduleId as string,
    fleet,
    drift,
    ...(typeof runLink === 'string' ? { runLink } : {}),
  };
}

/** The fleetTuning child of a scheduled run: one id per run, so a retried start finds it again. */
export function fleetWorkflowIdOf(scheduledRunWorkflowId: string): string {
  return `${scheduledRunWorkflowId}-fleet`;
}

/** One function's verdict: small, so the run's history stays small however large the fleet. */
export interface FunctionDriftVerdict {
  functionName: string;
  functionArn: string;
  status: DriftStatus;
  statement: string;
  /** This run's powerTuning child (`powertune result <id>`). */
  tuningWorkflowId: string;
  /** The previous run's, when there is one to compare with. */
  previousTuningWorkflowId?: string;
}

/** A tuned function's two children to compare: this run's and, when it was tuned then, the previous run's. */
export interface FunctionPair {
  functionName: string;
  functionArn: string;
  current: { workflowId: string; runId?: string };
  previous?: { workflowId: string; runId?: string };
}

const tuned = (r: FleetFunctionResult) => r.status === 'tuned';

/** The functions this run tuned, each with its previous tuning when the previous run tuned it too. */
export function pairFunctions(previous: FleetOutput | undefined, current: FleetOutput): FunctionPair[] {
  const before = new Map((previous?.functions ?? []).filter(tuned).map((r) => [r.functionArn, r]));
  return current.functions.filter(tuned).map((r) => {
    const earlier = before.get(r.functionArn);
    const ids = (x: FleetFunctionResult) => ({
      workflowId: x.childWorkflowId,
      ...(x.childRunId ? { runId: x.childRunId } : {}),
    });
    return {
      functionName: r.functionName,
      functionArn: r.functionArn,
      current: ids(r),
      ...(earlier ? { previous: ids(earlier) } : {}),
    };
  });
}

export interface FleetDriftSummary {
  status: DriftStatus;
  /** The drifted functions' names, in the fleet's order. */
  drifted: string[];
  statement: string;
}

/** Drift when any function drifted; none when there was a run to compare with; else a first run. */
export function summarizeFleetDrift(
  verdicts: FunctionDriftVerdict[],
  hasPrevious: boolean,
): FleetDriftSummary {
  const drifted = verdicts.filter((v) => v.status === 'drift').map((v) => v.functionName);
  if (drifted.length > 0) {
    return {
      status: 'drift',
      drifted,
      statement: `Drift in ${drifted.length} of ${verdicts.length} functions: ${drifted.join(', ')}.`,
    };
  }
  if (!hasPrevious) {
    return {
      status: 'first-run',
      drifted,
      statement:
        'First run: there is no earlier completed run to compare with; the next run compares with this one.',
    };
  }
  const compared = verdicts.filter((v) => v.status === 'none').length;
  return {
    status: 'none',
    drifted,
    statement: `No drift: ${compared} of ${verdicts.length} functions compared with the previous run, none drifted.`,
  };
}

/** A fleet schedule run's output: its fleet, and each function's drift against the run before. */
export interface ScheduledFleetTuningOutput {
  scheduleId: string;
  selection: string;
  /** The fleetTuning child (`powertune fleet report <workflowId>`). */
  fleet: { workflowId: string; runId: string };
  output: FleetOutput;
  previous?: { workflowId: string; runId: string };
  drift: FleetDriftSummary & { functions: FunctionDriftVerdict[] };
  webhook?: WebhookOutcome;
}

/** The webhook's body when a fleet run drifts (codec-encoded like the single-function notice). */
export interface FleetDriftNotice {
  type: 'powertune.fleet-drift';
  scheduleId: string;
  selection: string;
  strategy: Strategy;
  statement: string;
  /** The drifted functions only. */
  functions: FunctionDriftVerdict[];
  workflow: { namespace: string; workflowId: string; runId: string; link?: string };
}

/** Memo key of a fleet schedule run: `list --drift` reads its counts from it. */
export const FLEET_DRIFT_MEMO = 'powertuneFleetDrift';

export interface FleetDriftMemo {
  fleetWorkflowId: string;
  drifted: number;
  functions: number;
}

/** The fleet drift memo of a listed run, when it has a well-formed one. */
export function fleetDriftMemoOf(memo: Record<string, unknown> | undefined): FleetDriftMemo | undefined {
  const value = memo?.[FLEET_DRIFT_MEMO];
  if (!isPlainObject(value)) return undefined;
  const { fleetWorkflowId, drifted, functions } = value;
  if (typeof fleetWorkflowId !== 'string' || typeof drifted !== 'number' || typeof functions !== 'number')
    return undefined;
  return { fleetWorkflowId, drifted, functions };
}
