/** Runs the `powertune` CLI as a user would: a child process of client/bin/powertune.js. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testTemporalAddress } from '../support/env.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'client', 'bin', 'powertune.js');
export const ARTIFACTS = path.join(ROOT, 'artifacts');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for the CLI: where Temporal is and which task queue the test worker polls. */
export function cliEnv(address: string, namespace: string, taskQueue: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    NO_COLOR: '1',
  };
  delete env['FORCE_COLOR'];
  return env;
}

/** A harness of the test file's own, and the CLI's environment pointed at it. */
export async function startCliHarness(): Promise<{ harness: Harness; env: NodeJS.ProcessEnv }> {
  const harness = await startHarness();
  return { harness, env: cliEnv(await testTemporalAddress(), harness.namespace, harness.taskQueue) };
}

/**
 * A CPU-bound tuning against a 1000 ms p95 bound: synthetic-cpu takes about 5.5 s, 2.8 s, 1.4 s and
 * 700 ms at these sizes, so only 1024 MB is under it.
 */
export const CPU_BOUND_RUN_ARGS = [
  'run',
  'synthetic-cpu',
  '-n',
  '5',
  '-p',
  '128,256,512,1024',
  '--max-duration',
  '1000',
] as const;

/** Runs `powertune <args>`; kills it after `timeoutMs` (a hung CLI fails the test, not the run). */
export function powertune(
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { timeoutMs?: number; command?: string[] } = {},
): Promise<CliRun> {
  const [cmd, ...pre] = opts.command ?? [process.execPath, BIN];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd as string, [...pre, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Polls `check` until it returns a value (not undefined), at most `attempts` times. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  attempts = 60,
  pauseMs = 500,
): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  throw new Error(`condition not reached after ${attempts} attempts${last ? `: ${String(last)}` : ''}`);
}
