/**
 * The worker as its own process (`worker/main.ts`), so tests and the chaos script can SIGKILL it
 * at any moment and start another, as a crash in production would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workflowBundle } from './tuning-harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let bundleFile: Promise<string> | undefined;
/** The workflow bundle written once to a file, so each new worker starts in a second or two. */
export function workflowBundleFile(): Promise<string> {
  bundleFile ??= workflowBundle().then(({ code }) => {
    const file = join(mkdtempSync(join(tmpdir(), 'pt-bundle-')), 'workflows.js');
    writeFileSync(file, code);
    return file;
  });
  return bundleFile;
}

export interface WorkerProcess {
  pid: number;
  /** Resolves when the worker has said it polls its task queue. */
  ready: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface WorkerProcessOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  lambdaEndpoint: string;
  extraEnv?: Record<string, string>;
}

export async function startWorkerProcess(opts: WorkerProcessOptions): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: opts.address,
      TEMPORAL_NAMESPACE: opts.namespace,
      TEMPORAL_TASK_QUEUE: opts.taskQueue,
      AWS_ENDPOINT_URL_LAMBDA: opts.lambdaEndpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      PT_WORKFLOW_BUNDLE: await workflowBundleFile(),
      ...opts.extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-10_000);
      if (output.includes('power-tuning worker:')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)),
    );
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid ?? -1,
    ready,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
