/**
 * What the analysis needs from one memory size's invocations, in bounded size: counts, the first
 * error, the billed total for cost, and sketches of the measured durations. Built where the
 * invocations are made and merged batch by batch, so the workflow never holds every result.
 */
import { mergeSketches, sketchOf, type ValueSketch } from './sketch.js';
import type { InvocationResult } from './types.js';

export interface SizeSummary {
  invocations: number;
  /** Invocations with an error not in allowedExceptions: billed, but not measured. */
  errors: number;
  /** Invocations with an allowed error: measured, as in the original. */
  allowedErrors: number;
  coldStarts: number;
  /** The earliest error that was not allowed, for the infeasible reason. */
  firstError?: { type: string; message: string };
  /**
   * Σ ceil(billedMs) over every invocation, failed ones included (all are billed). Cost is
   * linear in billed time, so the total cost is invocationCost of this plus the request fees.
   */
  billedMsTotal: number;
  /** Duration + Init + Restore of the measured invocations (no error, or an allowed one). */
  durationMs: ValueSketch;
  /** Billed time of the measured invocations. */
  billedMs: ValueSketch;
  /** Init Duration of every cold start. */
  initMs: ValueSketch;
}

/** An invocation that counts in the statistics: no error, or an allowed one (as upstream). */
export function isMeasured(invocation: InvocationResult): boolean {
  return invocation.error === undefined || invocation.error.allowed;
}

export function emptySummary(): SizeSummary {
  return summariseInvocations([]);
}

/**
 * `warmOnly`: cold starts are counted, billed and keep their Init Duration, but stay out of the
 * duration sketches. A size spread over several environments has a cold first call in each,
 * too many for the trimming to leave out (domain/environments.ts).
 */
export function summariseInvocations(
  results: readonly InvocationResult[],
  { warmOnly = false }: { warmOnly?: boolean } = {},
): SizeSummary {
  const succeeded = results.filter(isMeasured);
  const measured = warmOnly ? succeeded.filter((r) => !r.coldStart) : succeeded;
  const firstError = results.find((r) => !isMeasured(r))?.error;
  return {
    invocations: results.length,
    errors: results.length - succeeded.length,
    allowedErrors: succeeded.filter((r) => r.error !== undefined).length,
    coldStarts: results.filter((r) => r.coldStart).length,
    ...(firstError ? { firstError: { type: firstError.type, message: firstError.message } } : {}),
    billedMsTotal: results.reduce((sum, r) => sum + Math.ceil(r.billedMs), 0),
    durationMs: sketchOf(measured.map((r) => r.durationMs)),
    billedMs: sketchOf(measured.map((r) => r.billedMs)),
    initMs: sketchOf(results.filter((r) => r.coldStart).map((r) => r.initMs)),
  };
}

/**
 * Both summaries together. Everything but firstError is independent of the order; firstError
 * is a's when it has one, so merging in invocation order keeps the earliest.
 */
export function mergeSummaries(a: SizeSummary, b: SizeSummary): SizeSummary {
  const firstError = a.firstError ?? b.firstError;
  return {
    invocations: a.invocations + b.invocations,
    errors: a.errors + b.errors,
    allowedErrors: a.allowedErrors + b.allowedErrors,
    coldStarts: a.coldStarts + b.coldStarts,
    ...(firstError ? { firstError: { ...firstError } } : {}),
    billedMsTotal: a.billedMsTotal + b.billedMsTotal,
    durationMs: mergeSketches(a.durationMs, b.durationMs),
    billedMs: mergeSketches(a.billedMs, b.billedMs),
    initMs: mergeSketches(a.initMs, b.initMs),
  };
}
