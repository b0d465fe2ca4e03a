/**
 * Following a tuning to its end (run, watch, demo): live progress on stderr, then the result
 * on stdout. Ctrl-C stops following; the tuning goes on in Temporal.
 */
import type { Client } from '@temporalio/client';
import type { PowerTuningInput, TuningOutput } from '../../domain/types.js';
import {
  awaitResult,
  TuningFailedError,
  watchTuning,
  type TuningHandle,
  type TuningSnapshot,
} from '../api.js';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_TUNING_FAILED } from './exit.js';
import { writeLine, type CliIo } from './io.js';
import { printOutput, type OutputOptions } from './output.js';
import { progressViewFor } from './progress-view.js';

export interface FollowOptions extends OutputOptions {
  quiet?: boolean;
  intervalMs?: number;
  input?: PowerTuningInput;
  /** On Ctrl-C, say how to follow or cancel the tuning (default true). */
  interruptHint?: boolean;
}

export async function followTuning(
  io: CliIo,
  client: Client,
  handle: TuningHandle,
  opts: FollowOptions,
): Promise<number> {
  const end = await followToEnd(io, client, handle, opts);
  if ('exitCode' in end) return end.exitCode;
  await printOutput(io, end.output, opts, {
    input: opts.input,
    workflowId: handle.workflowId,
    runId: end.runId,
  });
  return EXIT_OK;
}

/** How following ended: the tuning's output, or the exit code when it failed or was left. */
export type FollowEnd = { output: TuningOutput; runId?: string } | { exitCode: number };

/** Live progress on stderr until the tuning ends; then its output, or why there is none. */
export async function followToEnd(
  io: CliIo,
  client: Client,
  handle: TuningHandle,
  opts: Pick<FollowOptions, 'quiet' | 'intervalMs' | 'interruptHint'>,
): Promise<FollowEnd> {
  const view = progressViewFor(io.stderr, opts.quiet ?? false);
  let last: TuningSnapshot | undefined;
  try {
    for await (const snapshot of watchTuning(client, handle, {
      intervalMs: opts.intervalMs ?? 1000,
      signal: io.signal,
    })) {
      last = snapshot;
      view.update(snapshot);
    }
  } finally {
    view.stop();
  }
  if (io.signal?.aborted && last?.status === 'RUNNING') {
    if (opts.interruptHint === false) return { exitCode: EXIT_INTERRUPTED };
    writeLine(
      io.stderr,
      `Stopped watching; the tuning goes on. Follow it: powertune watch ${handle.workflowId}`,
    );
    writeLine(io.stderr, `Cancel it (restores the function): powertune cancel ${handle.workflowId}`);
    return { exitCode: EXIT_INTERRUPTED };
  }
  try {
    return { output: await awaitResult(handle), runId: last?.runId };
  } catch (err) {
    if (err instanceof TuningFailedError) {
      writeLine(io.stderr, `error: tuning ${err.workflowId} ${describeEnd(err)}`);
      return { exitCode: EXIT_TUNING_FAILED };
    }
    throw err;
  }
}

export function describeEnd(err: TuningFailedError): string {
  switch (err.status) {
    case 'CANCELLED':
      return 'was cancelled (its cleanup restored the function)';
    case 'TERMINATED':
      return `was terminated: ${err.message}`;
    case 'TIMED_OUT':
      return 'timed out';
    default:
      return `failed: ${err.message}`;
  }
}
