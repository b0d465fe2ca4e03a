/**
 * Everything a benchmark run needs, started by the bench itself: a Temporal dev server, the
 * emulator (own process), the workflow bundle (product + naive workflows), and a client. Each
 * scenario gets a fresh worker process on its own task queue, so its peak memory and CPU are its own.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../infra/dev-server.js';
import { buildWorker, type WorkerForm } from './worker-build.js';
import {
  startEmulatorProcess,
  startWorkerProcess,
  type EmulatorProcess,
  type WorkerProcess,
} from './processes.js';

const BENCH_WORKFLOWS = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export interface BenchStack {
  client: Client;
  emulator: EmulatorProcess;
  temporal: DevServer;
  workDir: string;
  /** Starts a worker on a new task queue, runs `fn`, and stops the worker. */
  withWorker<T>(label: string, fn: (worker: WorkerProcess, taskQueue: string) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/** A synthetic function: CPU work (scaled by the memory's vCPU share) and I/O wait, in ms. */
export interface SyntheticWork {
  cpuMs?: number;
  ioWaitMs?: number;
}

export interface StackOptions {
  /** Synthetic functions to create, by name. */
  functions: Record<string, SyntheticWork>;
  updateDelayMs: number;
  cpuProfileDir?: string;
  worker: WorkerForm;
  log: (message: string) => void;
}

const silent = () => undefined;
const bundlerLogger = {
  log: silent,
  trace: silent,
  debug: silent,
  info: silent,
  warn: (m: string) => console.error(m),
  error: (m: string) => console.error(m),
};

export async function startStack(opts: StackOptions): Promise<BenchStack> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'pt-bench-'));
  const functionsFile = writeFunctionsFile(workDir, opts.functions);

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse())
      await s().catch((err: unknown) => opts.log(`stop failed: ${String(err)}`));
    stops.length = 0;
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    opts.log(
      `starting the Temporal dev server, the emulator, the workflow bundle and the ${opts.worker} worker`,
    );
    const [temporal, emulator, bundle, workerBuild] = await Promise.all([
      startDevServer({ log: silent }).then((s) => (stops.push(() => s.stop()), s)),
      startEmulatorProcess({
        functionsFile,
        timeScale: 1,
        updateDelayMs: opts.updateDelayMs,
        logDir: workDir,
      }).then((e) => (stops.push(() => e.stop()), e)),
      bundleWorkflowCode({ workflowsPath: BENCH_WORKFLOWS, logger: bundlerLogger }),
      buildWorker(opts.worker).then((b) => (stops.push(async () => b.remove()), b)),
    ]);
    const bundleFile = path.join(workDir, 'workflows.js');
    writeFileSync(bundleFile, bundle.code);
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace });

    const withWorker = async <T>(
      label: string,
      fn: (worker: WorkerProcess, taskQueue: string) => Promise<T>,
    ): Promise<T> => {
      const taskQueue = `bench-${label}-${randomUUID().slice(0, 8)}`;
      const worker = await startWorkerProcess({
        temporalAddress: temporal.address,
        namespace: temporal.namespace,
        taskQueue,
        lambdaEndpoint: emulator.url,
        bundleFile,
        workerArgs: workerBuild.args,
        workerEnv: workerBuild.env,
        logDir: workDir,
        cpuProfileDir: opts.cpuProfileDir ? path.join(opts.cpuProfileDir, label) : undefined,
      });
      try {
        return await fn(worker, taskQueue);
      } finally {
        await worker.stop();
      }
    };
    return { client, emulator, temporal, workDir, withWorker, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Writes the emulator's functions file (`functions.json` in `dir`) for these synthetic functions; its path. */
export function writeFunctionsFile(dir: string, functions: Record<string, SyntheticWork>): string {
  const file = path.join(dir, 'functions.json');
  writeFileSync(file, JSON.stringify({ functions: syntheticFunctions(functions) }, null, 2));
  return file;
}

function syntheticFunctions(functions: Record<string, SyntheticWork>) {
  return Object.entries(functions).map(([name, { cpuMs = 0, ioWaitMs = 0 }]) => ({
    name,
    description: `benchmark: ${cpuMs} ms of CPU at one vCPU, ${ioWaitMs} ms of I/O wait`,
    synthetic: { cpuMs, ioWaitMs },
    timeout: 60,
  }));
}
