/**
 * What a worker-crash test needs: the emulator in real time with slow updates (so a kill can land
 * inside a setup step), a client of the test's Temporal server, and the options a worker process
 * of its own task queue starts with.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { testTemporalAddress, testTemporalNamespace } from './env.js';

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
