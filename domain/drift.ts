/**
 * Drift between two tunings of the same function made by one schedule: has what the tuner
 * recommends changed enough that someone should look? Two findings make drift:
 *
 * - the recommended size's figures moved beyond noise: the strategy's metric of this run's
 *   recommendation and of the previous run's have confidence intervals that no longer overlap
 *   (the test `powertune compare` calls a real change; balanced compares duration and cost);
 * - the recommendation moved to another size and the function's current size is now shown to
 *   be more than `maxRegression` worse than the new one (domain/current-regression.ts, as
 *   `powertune check` judges it).
 *
 * A run with nothing before it is a first run, not drift. Also the settings of drift detection,
 * their validation, the webhook's body and the scheduled run's child id. Pure: the workflow
 * decides drift with it.
 */
import { hasAverages } from './analysis.js';
import { currentRegression, type CurrentRegression } from './current-regression.js';
import { describeValue } from './describe.js';
import { InputError, InputErrors, inputErrorCollector } from './errors.js';
import { intervalsApart } from './intervals.js';
import { isPlainObject } from './json.js';
import type { MeasuredStats, PowerTuningInput, Strategy, TuningConfig, TuningOutput } from './types.js';
import { validateInput } from './validate.js';

/** The values of the `TuningDrift` search attribute. */
export type DriftStatus = 'none' | 'drift' | 'first-run';
export const DRIFT_STATUSES: readonly DriftStatus[] = ['none', 'drift', 'first-run'];

export type DriftMetric = 'duration' | 'cost';

/** One run's recommended size on one metric. */
export interface SizeFigure {
  power: number;
  estimate: number;
  lower: number;
  upper: number;
}

export interface MetricShift {
  metric: DriftMetric;
  previous: SizeFigure;
  current: SizeFigure;
  /** current / previous − 1. */
  change: number;
  /** The two intervals do not overlap. */
  apart: boolean;
}

export interface DriftReport {
  status: DriftStatus;
  /** Each run's recommended size (null: no size met the constraints); no previous on a first run. */
  recommendation: { previous?: number | null; current: number | null };
  /** The strategy's figures of the two recommended sizes, when both runs have intervals. */
  shifts: MetricShift[];
  /** When the recommendation moved: the function's current size against the new recommendation. */
  regression?: CurrentRegression;
  /** One sentence per finding that makes this drift; empty when it is not. */
  reasons: string[];
  /** The verdict, in words. */
  statement: string;
}

export interface DriftSettings {
  /** How much worse than a moved recommendation the current size may be: 0.1 = 10%. */
  maxRegression: number;
  /** http(s) URL that receives a POST when a run drifts. */
  webhook?: string;
}

export const DEFAULT_MAX_REGRESSION = 0.1;
/** 1000%: beyond it the regression rule could never fire. */
export const MAX_MAX_REGRESSION = 10;
const MAX_WEBHOOK_LENGTH = 2048;

/** Metrics compared per strategy: balanced weighs both, and its score is relative to each run. */
const METRICS: Record<Strategy, DriftMetric[]> = {
  cost: ['cost'],
  speed: ['duration'],
  balanced: ['duration', 'cost'],
};

const METRIC_WORDS: Record<Strategy, string> = {
  cost: 'cost per invocation',
  speed: 'duration',
  balanced: 'balanced score',
};

function recommendedRow(output: TuningOutput): MeasuredStats | undefined {
  if (output.power === null) return undefined;
  return output.results.find((r) => r.power === output.power && hasAverages(r)) as MeasuredStats | undefined;
}

function figure(row: MeasuredStats, metric: DriftMetric): SizeFigure | undefined {
  const interval = metric === 'duration' ? row.durationInterval : row.priceInterval;
  if (!interval || Number.isNaN(interval.lower) || Number.isNaN(interval.upper)) return undefined;
  const estimate = metric === 'duration' ? row.averageDuration : row.averagePrice;
  return { power: row.power, estimate, lower: interval.lower, upper: interval.upper };
}

function shiftsBetween(previous: TuningOutput, current: TuningOutput): MetricShift[] {
  const before = recommendedRow(previous);
  const after = recommendedRow(current);
  if (!before || !after) return [];
  const shifts: MetricShift[] = [];
  for (const metric of METRICS[current.strategy]) {
    // Costs in two currencies cannot be compared.
    if (metric === 'cost' && previous.currency !== current.currency) continue;
    const p = figure(before, metric);
    const c = figure(after, metric);
    if (!p || !c) continue;
    shifts.push({
      metric,
      previous: p,
      current: c,
      change: p.estimate > 0 ? c.estimate / p.estimate - 1 : 0,
      apart: intervalsApart(p, c),
    });
  }
  return shifts;
}

const sig = (value: number) => (Number.isFinite(value) ? Number(value.toPrecision(3)).toString() : '∞');

function pct(fraction: number): string {
  if (!Number.isFinite(fraction)) return 'unbounded';
  const value = fraction * 100;
  return `${Math.abs(value) < 10 ? value.toFixed(1) : Math.round(value)}%`;
}

function signedPct(fraction: number): string {
  return `${fraction >= 0 ? '+' : '−'}${pct(Math.abs(fraction))}`;
}

function valueText(metric: DriftMetric, value: number, currency: TuningOutput['currency']): string {
  if (metric === 'duration') return `${sig(value)} ms`;
  return currency === 'USD' ? `$${sig(value)}` : `${sig(value)} ${currency}`;
}

/** `128 MB $0.00000916 ±0.4%`: the estimate and its interval's larger half-width. */
function figureText(metric: DriftMetric, f: SizeFigure, currency: TuningOutput['currency']): string {
  const spread = f.estimate > 0 ? Math.max(f.upper - f.estimate, f.estimate - f.lower) / f.estimate : 0;
  return `${f.power} MB ${valueText(metric, f.estimate, currency)} ±${pct(spread)}`;
}

function shiftReason(shift: MetricShift, currency: TuningOutput['currency']): string {
  const name = shift.metric === 'duration' ? 'duration' : 'cost per invocation';
  return (
    `The recommended size's ${name} moved beyond noise (${signedPct(shift.change)}): ` +
    `${figureText(shift.metric, shift.current, currency)} now, ` +
    `${figureText(shift.metric, shift.previous, currency)} in the previous run; the intervals no longer overlap.`
  );
}

function regressionReason(
  r: CurrentRegression,
  previousPower: number,
  currentPower: number,
  strategy: Strategy,
): string {
  const bounds =
    r.level > 0
      ? ` (${pct(r.regression.lower)} to ${pct(r.regression.upper)} at ${pct(r.level)} confidence)`
      : ' (a point estimate: the run had no intervals)';
  return (
    `The recommendation moved from ${previousPower} MB to ${currentPower} MB, and the function's current size, ` +
    `${r.currentPower} MB, is ${pct(r.regression.estimate)} worse on ${METRIC_WORDS[strategy]}${bounds}, ` +
    `beyond the allowed ${pct(r.allowed)}.`
  );
}

function report(
  status: DriftStatus,
  recommendation: DriftReport['recommendation'],
  statement: string,
  extra: Partial<DriftReport> = {},
): DriftReport {
  return { status, recommendation, shifts: [], reasons: [], statement, ...extra };
}

/**
 * The drift of `current` against `previous` (the last completed run before it; undefined when
 * there is none). `balancedWeight` is the input's, for the balanced score of the regression.
 */
export function detectDrift(
  previous: TuningOutput | undefined,
  current: TuningOutput,
  settings: { maxRegression: number; balancedWeight?: number },
): DriftReport {
  if (!previous) {
    return report(
      'first-run',
      { current: current.power },
      'First run: there is no earlier completed run to compare with; the next run compares with this one.',
    );
  }
  const recommendation = { previous: previous.power, current: current.power };
  if (previous.power === null && current.power === null) {
    return report(
      'none',
      recommendation,
      'No drift: neither this run nor the previous one found a size that meets the constraints.',
    );
  }
  if (previous.power === null || current.power === null) {
    const reason =
      current.power === null
        ? `No size meets the constraints any more; the previous run recommended ${previous.power} MB.`
        : `A size meets the constraints again: ${current.power} MB; the previous run found none.`;
    return report('drift', recommendation, `Drift: ${reason}`, { reasons: [reason] });
  }

  const shifts = shiftsBetween(previous, current);
  const reasons = shifts.filter((s) => s.apart).map((s) => shiftReason(s, current.currency));
  const moved = previous.power !== current.power;
  let regression: CurrentRegression | undefined;
  if (moved && current.currentPower !== undefined) {
    const today = current.results.find((r) => r.power === current.currentPower);
    if (today && !today.feasible) {
      reasons.push(
        `The recommendation moved from ${previous.power} MB to ${current.power} MB, and the function's current size, ` +
          `${today.power} MB, failed in this run: ${today.infeasibleReason ?? 'infeasible'}.`,
      );
    } else {
      regression = currentRegression(
        current,
        current.currentPower,
        settings.maxRegression,
        settings.balancedWeight,
      );
      if (regression?.verdict === 'beyond')
        reasons.push(regressionReason(regression, previous.power, current.power, current.strategy));
    }
  }
  const extra = { shifts, reasons, ...(regression ? { regression } : {}) };
  if (reasons.length > 0) return report('drift', recommendation, `Drift: ${reasons.join(' ')}`, extra);
  return report('none', recommendation, noDriftStatement(previous.power, current, shifts, regression), extra);
}

function noDriftStatement(
  previousPower: number,
  current: TuningOutput,
  shifts: MetricShift[],
  regression: CurrentRegression | undefined,
): string {
  const where =
    previousPower === current.power
      ? `the recommendation stays at ${current.power} MB`
      : `the recommendation moved from ${previousPower} MB to ${current.power} MB`;
  const figures =
    shifts.length > 0
      ? `, its ${shifts.map((s) => (s.metric === 'cost' ? 'cost per invocation' : 'duration')).join(' and ')} within noise of the previous run's`
      : ' (no intervals to compare the figures with)';
  const today =
    previousPower === current.power
      ? ''
      : regression
        ? `; the current size, ${regression.currentPower} MB, is not shown more than ${pct(regression.allowed)} worse than it`
        : '; the current size was not measured, so it is not weighed against it';
  return `No drift: ${where}${figures}${today}.`;
}

/** The powerTuning child of a scheduled run: one id per run, so a retried start finds it again. */
export function tuningWorkflowIdOf(scheduledRunWorkflowId: string): string {
  return `${scheduledRunWorkflowId}-tuning`;
}

/** Reads `maxRegression` (a fraction) and `webhook`; every bad field at once, named. */
export function validateDriftSettings(raw: unknown): DriftSettings {
  if (raw !== undefined && !isPlainObject(raw))
    throw new InputError('drift', `got ${describeValue(raw)}`, 'an object with maxRegression and webhook');
  const settings = raw ?? {};
  const errors: InputError[] = [];
  const maxRegression =
    settings['maxRegression'] === undefined ? DEFAULT_MAX_REGRESSION : settings['maxRegression'];
  if (
    typeof maxRegression !== 'number' ||
    !Number.isFinite(maxRegression) ||
    maxRegression < 0 ||
    maxRegression > MAX_MAX_REGRESSION
  ) {
    errors.push(
      new InputError(
        'maxRegression',
        `got ${describeValue(maxRegression)}`,
        `a fraction from 0 to ${MAX_MAX_REGRESSION} (0.1 = 10%)`,
      ),
    );
  }
  let webhook: string | undefined;
  if (settings['webhook'] !== undefined) {
    try {
      webhook = checkWebhookUrl(settings['webhook']);
    } catch (err) {
      errors.push(err as InputError);
    }
  }
  if (errors.length > 0) throw new InputErrors(errors);
  return { maxRegression: maxRegression as number, ...(webhook !== undefined ? { webhook } : {}) };
}

/** An absolute http:// or https:// URL with a host, at most 2048 characters. */
export function checkWebhookUrl(raw: unknown, field = 'webhook'): string {
  const accepted = 'an absolute http:// or https:// URL, e.g. https://hooks.example.com/powertune';
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_WEBHOOK_LENGTH)
    throw new InputError(
      field,
      `got ${describeValue(raw)}`,
      `${accepted}, up to ${MAX_WEBHOOK_LENGTH} characters`,
    );
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(field, `"${raw}" is not a URL`, accepted);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InputError(field, `the scheme "${url.protocol.replace(/:$/, '')}" is not allowed`, accepted);
  if (!url.hostname) throw new InputError(field, `"${raw}" has no host`, accepted);
  return raw;
}

/** One run in a drift notice. */
export interface NoticeRun {
  /** The powerTuning workflow (`powertune result <id>`). */
  tuningWorkflowId: string;
  power: number | null;
  cost: number | null;
  duration: number | null;
}

/** The webhook's body when a run drifts (codec-encoded when payload encryption is on). */
export interface DriftNotice {
  type: 'powertune.drift';
  scheduleId: string;
  functionName: string;
  strategy: Strategy;
  currency: TuningOutput['currency'];
  statement: string;
  reasons: string[];
  previous: NoticeRun;
  current: NoticeRun;
  /** The scheduled run that found the drift. */
  workflow: { namespace: string; workflowId: string; runId: string; link?: string };
}

export function noticeRun(tuningWorkflowId: string, output: TuningOutput): NoticeRun {
  return { tuningWorkflowId, power: output.power, cost: output.cost, duration: output.duration };
}

/** Placeholders of a Web UI run link template, filled in for the run a notice is about. */
export const RUN_LINK_WORKFLOW_ID = '{workflowId}';
export const RUN_LINK_RUN_ID = '{runId}';

/** The template's placeholders (raw, or URL-encoded as a link builder leaves them) replaced. */
export function fillRunLink(template: string, workflowId: string, runId: string): string {
  const fill = (text: string, slot: string, value: string) =>
    text
      .replaceAll(encodeURIComponent(slot), encodeURIComponent(value))
      .replaceAll(slot, encodeURIComponent(value));
  return fill(fill(template, RUN_LINK_WORKFLOW_ID, workflowId), RUN_LINK_RUN_ID, runId);
}

/** What a tuning schedule starts its runs with (the `scheduledTuning` workflow's input). */
export interface ScheduledTuningInput {
  /** The schedule starting the runs: earlier runs are found by it. */
  scheduleId: string;
  /** The tuning of each run, as powerTuning takes it. */
  tuning: PowerTuningInput;
  /** Drift detection; maxRegression defaults to 10%. */
  drift?: { maxRegression?: number; webhook?: string };
  /** Web UI page of a run, with {workflowId} and {runId} placeholders, for the webhook's link. */
  runLink?: string;
}

/** What became of the drift webhook. */
export interface WebhookOutcome {
  delivered: boolean;
  /** The receiver's HTTP status, when delivered. */
  status?: number;
  /** True when the body was codec-encoded (payload encryption on). */
  encoded?: boolean;
  /** Why it was not delivered, after the retries. */
  error?: string;
}

/** A scheduled run's output: its tuning, and its drift against the run before it. */
export interface ScheduledTuningOutput {
  scheduleId: string;
  functionName: string;
  /** The powerTuning child (`powertune result <workflowId>`). */
  tuning: { workflowId: string; runId: string };
  output: TuningOutput;
  /** The run compared with; absent on a first run. */
  previous?: { workflowId: string; runId: string; tuningWorkflowId: string };
  drift: DriftReport;
  /** Only when the run drifted and a webhook is set. */
  webhook?: WebhookOutcome;
}

export interface ScheduledTuningSettings {
  scheduleId: string;
  config: TuningConfig;
  drift: DriftSettings;
  runLink?: string;
}

/** Checks a scheduled run's whole input: the tuning with the shared validator, then the rest. */
export function validateScheduledTuningInput(raw: unknown): ScheduledTuningSettings {
  if (!isPlainObject(raw))
    throw new InputError('input', `got ${describeValue(raw)}`, 'an object with scheduleId, tuning and drift');
  const errors: InputError[] = [];
  const collect = inputErrorCollector(errors);
  const scheduleId = raw['scheduleId'];
  if (typeof scheduleId !== 'string' || scheduleId.length === 0)
    errors.push(new InputError('scheduleId', `got ${describeValue(scheduleId)}`, 'the id of the schedule'));
  const tuning = raw['tuning'];
  const config = isPlainObject(tuning)
    ? collect(() => validateInput(tuning))
    : (errors.push(new InputError('tuning', `got ${describeValue(tuning)}`, 'the input of a tuning')),
      undefined);
  const drift = collect(() => validateDriftSettings(raw['drift']));
  const runLink = raw['runLink'];
  if (runLink !== undefined && typeof runLink !== 'string')
    errors.push(new InputError('runLink', `got ${describeValue(runLink)}`, 'a URL template'));
  if (errors.length > 0 || !config || !drift) throw new InputErrors(errors);
  return {
    scheduleId: scheduleId as string,
    config,
    drift,
    ...(typeof runLink === 'string' ? { runLink } : {}),
  };
}
