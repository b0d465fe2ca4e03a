/**
 * A finished tuning's result from either a workflow ID (asked from Temporal) or a JSON file
 * (a saved `--json` output, or the original tool's output, which has no per-size details).
 */
import fs from 'node:fs';
import path from 'node:path';
import { isPlainObject } from '../../domain/json.js';
import type { OriginalStatsEntry, PowerValueStats, TuningOutput } from '../../domain/types.js';
import {
  awaitResult,
  getTuningHandle,
  getTuningInput,
  getTuningSnapshot,
  TuningFailedError,
  TuningNotFoundError,
} from '../api.js';
import type { ReportData } from '../report/html.js';
import { withClient, type GlobalOptions } from './connect.js';
import { CliError, EXIT_TUNING_FAILED, UsageError } from './exit.js';
import type { CliIo } from './io.js';
import { describeEnd } from './follow.js';
import { readJsonFile } from './json-file.js';

/** A result with what is known of its run: the report's data, plus what the user typed. */
export interface LoadedResult extends Omit<ReportData, 'generatedAt'> {
  /** What the user passed, for labels. */
  ref: string;
}

/**
 * Accepts this tool's output as is, and fills in the original tool's shape
 * (`{power, cost, duration, stateMachine, stats?}`) with what it has.
 */
export function normaliseOutput(raw: unknown, source: string): TuningOutput {
  // power is null in our output when no size met the constraints (the original always has one).
  const power = isPlainObject(raw) ? raw['power'] : undefined;
  const noRecommendation = power === null && isPlainObject(raw) && Array.isArray(raw['results']);
  if (
    !isPlainObject(raw) ||
    (typeof power !== 'number' && !noRecommendation) ||
    !isPlainObject(raw['stateMachine'])
  ) {
    throw new UsageError(
      `${source} is not a tuning result (expected the JSON output of a tuning, with "power" and "stateMachine")`,
    );
  }
  if (Array.isArray(raw['results'])) return raw as unknown as TuningOutput;
  const stats = Array.isArray(raw['stats'])
    ? (raw['stats'] as OriginalStatsEntry[])
    : [{ value: raw['power'], averagePrice: Number(raw['cost']), averageDuration: Number(raw['duration']) }];
  const results: PowerValueStats[] = stats.map((s) => ({
    power: Number(s.value),
    invocations: NaN,
    errors: 0,
    coldStarts: 0,
    averageDuration: s.averageDuration,
    averagePrice: s.averagePrice,
    p50: NaN,
    p90: NaN,
    p99: NaN,
    stdDev: NaN,
    totalCost: NaN,
    feasible: true,
  }));
  return {
    ...(raw as unknown as TuningOutput),
    strategy: (raw['strategy'] as TuningOutput['strategy']) ?? 'cost',
    functionName: (raw['functionName'] as string) ?? '(unknown function)',
    region: (raw['region'] as string) ?? '(unknown region)',
    architecture: (raw['architecture'] as TuningOutput['architecture']) ?? 'x86_64',
    currency: (raw['currency'] as TuningOutput['currency']) ?? 'USD',
    dryRun: Boolean(raw['dryRun']),
    optimized: Boolean(raw['optimized']),
    results,
  };
}

export function looksLikeFile(io: CliIo, ref: string): boolean {
  return ref.endsWith('.json') || ref === '-' || fs.existsSync(path.resolve(io.cwd, ref));
}

export async function loadResult(io: CliIo, globals: GlobalOptions, ref: string): Promise<LoadedResult> {
  if (looksLikeFile(io, ref)) {
    return { output: normaliseOutput(await readJsonFile(io, ref, 'result file'), ref), ref };
  }
  return withClient(globals, io, async ({ client }) => {
    const handle = getTuningHandle(client, ref);
    let snapshot;
    try {
      snapshot = await getTuningSnapshot(client, handle);
    } catch (err) {
      if (err instanceof TuningNotFoundError) {
        throw new UsageError(
          `${err.message} (and no file with that name: pass a workflow ID or a result .json file)`,
        );
      }
      throw err;
    }
    if (snapshot.status === 'RUNNING') {
      throw new CliError(
        `tuning ${ref} is still running; follow it with: powertune watch ${ref}`,
        EXIT_TUNING_FAILED,
      );
    }
    try {
      const output = await awaitResult(getTuningHandle(client, ref, snapshot.runId));
      const input = await getTuningInput(client, ref, snapshot.runId).catch(() => undefined);
      const loaded: LoadedResult = {
        output,
        workflowId: ref,
        runId: snapshot.runId,
        startTime: snapshot.startTime,
        ref,
      };
      if (input) loaded.input = input;
      if (snapshot.closeTime) loaded.closeTime = snapshot.closeTime;
      return loaded;
    } catch (err) {
      if (err instanceof TuningFailedError)
        throw new CliError(`tuning ${ref} ${describeEnd(err)}`, EXIT_TUNING_FAILED);
      throw err;
    }
  });
}
