/**
 * One chaos trial: start a tuning on a worker process, SIGKILL that worker when the run reaches
 * a chosen phase (or after a random delay), start a fresh worker, and check that the run
 * completed with exactly `num` counted invocations per size and left the function as it was.
 * Shared by test/reliability/worker-crash.test.ts and `npm run chaos`.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { Client } from '@temporalio/client';
import type { PowerTuningWorkflow } from '../../client/api.js';
import type { TuningOutput, TuningProgress } from '../../domain/types.js';
import { POWER_TUNING_WORKFLOW, progressQuery } from '../../domain/workflow-api.js';
import type { RunningEmulator } from '../../emulator/index.js';
import { functionState, lambdaClient } from './function-state.js';
import { startWorkerProcess } from './worker-process.js';

export type KillPoint = 'setup' | 'invoking' | 'analyzing' | 'cleanup' | { afterMs: number };

export interface ChaosContext {
  client: Client;
  address: string;
  namespace: string;
  emulator: RunningEmulator;
}

export interface ChaosTrial {
  functionName: string;
  killAt: KillPoint;
  num: number;
  powerValues: number[];
  parallelInvocation?: boolean;
  /** Adaptive sampling (and so, by default, each size spread over 3 environments). */
  confidence?: number;
  /** With confidence: search every MB between the smallest and largest powerValues. */
  exploration?: 'model';
  /** With confidence: a latency bound, under which a contested size is published again over more environments. */
  constraints?: { percentile: number; maxDurationMs: number };
}

export interface ChaosOutcome {
  ok: boolean;
  /** Where the kill really happened (the phase seen just before it). */
  killedIn: string;
  problems: string[];
}

const PHASE_ORDER = [
  'validating',
  'setup',
  'invoking',
  'analyzing',
  'optimizing',
  'cleanup',
  'done',
  'failed',
];

async function waitForKillPoint(
  killAt: KillPoint,
  progress: () => Promise<TuningProgress | undefined>,
): Promise<string> {
  if (typeof killAt === 'object') {
    await sleep(killAt.afterMs);
    return (await progress())?.phase ?? 'unknown';
  }
  const target = PHASE_ORDER.indexOf(killAt);
  for (let i = 0; i < 2_000; i++) {
    const phase = (await progress())?.phase;
    if (phase && PHASE_ORDER.indexOf(phase) >= target) {
      // Mid-phase rather than at its first instant, for invocations.
      if (phase === 'invoking') await sleep(300);
      return phase;
    }
    await sleep(20);
  }
  return 'never reached';
}

export async function runChaosTrial(ctx: ChaosContext, trial: ChaosTrial): Promise<ChaosOutcome> {
  const taskQueue = `chaos-${randomUUID()}`;
  const lambda = lambdaClient(ctx.emulator.url);
  const workerOptions = {
    address: ctx.address,
    namespace: ctx.namespace,
    taskQueue,
    lambdaEndpoint: ctx.emulator.url,
  };
  const before = await functionState(lambda, trial.functionName);
  const first = await startWorkerProcess(workerOptions);
  let second: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
  const problems: string[] = [];
  let killedIn = 'not killed';
  try {
    await first.ready;
    const handle = await ctx.client.workflow.start<PowerTuningWorkflow>(POWER_TUNING_WORKFLOW, {
      taskQueue,
      workflowId: `chaos-${randomUUID()}`,
      args: [
        {
          lambdaARN: trial.functionName,
          num: trial.num,
          powerValues: trial.powerValues,
          parallelInvocation: trial.parallelInvocation ?? false,
          ...(trial.confidence !== undefined ? { confidence: trial.confidence } : {}),
          ...(trial.exploration ? { exploration: trial.exploration } : {}),
          ...(trial.constraints ? { constraints: trial.constraints } : {}),
        },
      ],
    });
    killedIn = await waitForKillPoint(trial.killAt, () => handle.query(progressQuery).catch(() => undefined));
    await first.kill('SIGKILL');
    second = await startWorkerProcess(workerOptions);
    await second.ready;
    const out = (await handle.result()) as TuningOutput;

    for (const r of out.results) {
      // The fixed grid makes exactly num per size; adaptive runs at least the first round of num.
      const counted =
        trial.confidence === undefined ? r.invocations === trial.num : r.invocations >= trial.num;
      if (!counted) problems.push(`${r.power} MB counted ${r.invocations} of ${trial.num}`);
    }
    // A model exploration measures its first sizes and those its curve proposed: results for each.
    const measured = trial.exploration ? (out.exploration?.measured ?? []) : trial.powerValues;
    if (trial.exploration && !measured.length) problems.push('no exploration report');
    if (out.results.length !== measured.length) problems.push(`results for ${out.results.length} sizes`);
    const after = await functionState(lambda, trial.functionName);
    if (!isDeepStrictEqual(after, before)) {
      problems.push(`function changed: before ${JSON.stringify(before)} after ${JSON.stringify(after)}`);
    }
  } catch (err) {
    problems.push(`run failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await first.kill('SIGKILL');
    await second?.kill('SIGTERM');
  }
  return { ok: problems.length === 0, killedIn, problems };
}
