/**
 * What a worker-crash test needs: the emulator in real time with slow updates (so a kill can land
 * inside a setup step), a client of the test's Temporal server, and the options a worker process
 * of its own task queue starts with.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import type { PowerTuningWorkflow } from '../../client/api.js';
import type { PowerTuningInput, TuningOutput } from '../../domain/types.js';
import { POWER_TUNING_WORKFLOW } from '../../domain/workflow-api.js';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { testTemporalAddress, testTemporalNamespace } from './env.js';
import { startWorkerProcess } from './worker-process.js';

export interface CrashRig {
  emulator: RunningEmulator;
  client: Client;
  /** Options for startWorkerProcess: a fresh task queue named after `name`. */
  workerOptions(name: string): Promise<{
    address: string;
    namespace: string;
    taskQueue: string;
    lambdaEndpoint: string;
  }>;
  stop(): Promise<void>;
}

export async function startCrashRig(functionsFile: string, updateDelayMs = 400): Promise<CrashRig> {
  const emulator = await startEmulator({
    port: 0,
    timeScale: 1,
    updateDelayMs,
    functionsFile,
    loadSamples: false,
  });
  const connection = await Connection.connect({ address: await testTemporalAddress() });
  const client = new Client({ connection, namespace: await testTemporalNamespace() });
  return {
    emulator,
    client,
    workerOptions: async (name) => ({
      address: await testTemporalAddress(),
      namespace: await testTemporalNamespace(),
      taskQueue: `${name}-${randomUUID()}`,
      lambdaEndpoint: emulator.url,
    }),
    stop: async () => {
      await connection.close();
      await emulator.stop();
    },
  };
}

/**
 * Starts `input` on a worker process of its own, polls `reached` every `everyMs` (at most
 * `attempts` times) until the run is where the test wants it killed, SIGKILLs that worker and lets
 * a fresh one finish the run. `output` is absent when the point was never reached (nothing is
 * awaited then); both workers are stopped either way.
 */
export async function killMidRun(
  rig: CrashRig,
  name: string,
  input: PowerTuningInput,
  reached: () => Promise<boolean>,
  { attempts, everyMs }: { attempts: number; everyMs: number },
): Promise<{ output?: TuningOutput }> {
  const workerOptions = await rig.workerOptions(name);
  const first = await startWorkerProcess(workerOptions);
  let second: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
  try {
    await first.ready;
    const handle = await rig.client.workflow.start<PowerTuningWorkflow>(POWER_TUNING_WORKFLOW, {
      taskQueue: workerOptions.taskQueue,
      workflowId: `${name}-${randomUUID()}`,
      args: [input],
    });
    let there = false;
    for (let i = 0; i < attempts && !there; i++) {
      there = await reached();
      if (!there) await sleep(everyMs);
    }
    if (!there) return {};
    await first.kill('SIGKILL');
    second = await startWorkerProcess(workerOptions);
    await second.ready;
    return { output: (await handle.result()) as TuningOutput };
  } finally {
    await first.kill('SIGKILL');
    await second?.kill('SIGTERM');
  }
}
