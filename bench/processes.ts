/**
 * The emulator and the worker each run in their own process, so the worker's memory and CPU
 * can be read from /proc without counting the emulator's work, and nothing shares one event loop.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmulatorAdmin } from '../emulator/admin-client.js';
import { freePort } from '../infra/free-port.js';
import { PROJECT_ROOT } from '../infra/paths.js';
import { startService, type ServiceProcess } from '../infra/service-process.js';

export interface EmulatorProcess {
  url: string;
  admin: EmulatorAdmin;
  pid: number;
  stop(): Promise<void>;
}

export interface EmulatorProcessOptions {
  functionsFile: string;
  timeScale: number;
  updateDelayMs: number;
  logDir: string;
}

export async function startEmulatorProcess(opts: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const port = await freePort();
  const service = startService({
    name: 'bench-emulator',
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      'emulator/cli.ts',
      '--port',
      String(port),
      '--no-samples',
      '--functions',
      opts.functionsFile,
      '--time-scale',
      String(opts.timeScale),
      '--update-delay-ms',
      String(opts.updateDelayMs),
    ],
    logFile: path.join(opts.logDir, 'emulator.log'),
    cwd: PROJECT_ROOT,
  });
  const url = `http://127.0.0.1:${port}`;
  const admin = new EmulatorAdmin(url);
  await waitFor(
    service,
    async () => {
      await admin.state();
      return true;
    },
    30_000,
  );
  return { url, admin, pid: service.pid, stop: () => service.stop(5000) };
}

export interface WorkerProcess {
  pid: number;
  /** Graceful stop (SIGTERM): the worker finishes and, when profiled, writes its CPU profile. */
  stop(): Promise<void>;
}

export interface WorkerProcessOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  lambdaEndpoint: string;
  bundleFile: string;
  /** Node's arguments that start the worker, and its own environment (bench/worker-build.ts). */
  workerArgs: string[];
  workerEnv: Readonly<Record<string, string>>;
  logDir: string;
  /** Write a V8 CPU profile (`--cpu-prof`) into this folder when the worker exits. */
  cpuProfileDir?: string;
}

/** What a benchmark worker needs to reach the emulator as its AWS Lambda (region and dummy credentials). */
export function emulatorWorkerEnv(lambdaEndpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
  };
}

/** The product's worker (`worker/main.ts`, compiled or not) with the benchmark's workflow bundle. */
export async function startWorkerProcess(opts: WorkerProcessOptions): Promise<WorkerProcess> {
  const logFile = path.join(opts.logDir, `worker-${opts.taskQueue}.log`);
  const profile = opts.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfileDir] : [];
  const service = startService({
    name: 'bench-worker',
    command: process.execPath,
    args: [...profile, ...opts.workerArgs],
    logFile,
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      ...opts.workerEnv,
      TEMPORAL_ADDRESS: opts.temporalAddress,
      TEMPORAL_NAMESPACE: opts.namespace,
      TEMPORAL_TASK_QUEUE: opts.taskQueue,
      ...emulatorWorkerEnv(opts.lambdaEndpoint),
      PT_WORKFLOW_BUNDLE: opts.bundleFile,
    },
  });
  await waitFor(service, async () => readFileSync(logFile, 'utf8').includes('power-tuning worker:'), 60_000);
  return { pid: service.pid, stop: () => service.stop(20_000) };
}

async function waitFor(
  service: ServiceProcess,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!service.isRunning())
      throw new Error(`${service.name} exited during start-up:\n${service.logTail()}`);
    if (await ready().catch(() => false)) return;
    await sleep(100);
  }
  await service.stop(2000);
  throw new Error(`${service.name} not ready within ${timeoutMs} ms:\n${service.logTail()}`);
}
