/**
 * Which worker the benchmark runs. `compiled` (the default) is the worker as the container image
 * runs it (Dockerfile): compiled by `tsc -p tsconfig.build.json` and started by Node directly,
 * without tsx's loader thread and transform caches, with the image's environment
 * (worker/launch.ts). `tsx` is `npm run worker`, as in development.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../infra/paths.js';
import { WORKER_ENVIRONMENT } from '../worker/launch.js';

export type WorkerForm = 'compiled' | 'tsx';

export interface WorkerBuild {
  form: WorkerForm;
  /** Node's arguments that start the worker (after any profiling flags). */
  args: string[];
  /** Environment it starts with besides the bench's: the image's (worker/launch.ts) when compiled. */
  env: Readonly<Record<string, string>>;
  /** The worker's entry point: `worker/main.ts` (tsx) or the compiled `worker/main.js`. */
  entry: string;
  remove(): void;
}

const exec = promisify(execFile);

export async function buildWorker(form: WorkerForm): Promise<WorkerBuild> {
  if (form === 'tsx') {
    const entry = path.join(PROJECT_ROOT, 'worker', 'main.ts');
    return { form, args: ['--import', 'tsx', entry], env: {}, entry, remove: () => undefined };
  }
  // Inside the checkout, so the compiled modules find node_modules and package.json's "type".
  const outDir = path.join(PROJECT_ROOT, '.cache', `bench-worker-${randomUUID().slice(0, 8)}`);
  const remove = () => rmSync(outDir, { recursive: true, force: true });
  try {
    await exec(
      process.execPath,
      [
        path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        'tsconfig.build.json',
        '--outDir',
        outDir,
      ],
      { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (err) {
    remove();
    const out = (err as { stdout?: string }).stdout ?? '';
    throw new Error(`compiling the worker (tsc -p tsconfig.build.json) failed:\n${out}`, { cause: err });
  }
  const entry = path.join(outDir, 'worker', 'main.js');
  return { form, args: [entry], env: WORKER_ENVIRONMENT, entry, remove };
}
