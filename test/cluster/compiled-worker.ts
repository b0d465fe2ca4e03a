/**
 * The worker compiled as the Docker image compiles it (`tsc -p tsconfig.build.json`), into a
 * temporary folder that resolves packages from the project's node_modules, so tests can run the
 * image's entry point (`dist/worker/main.js`) without a container engine.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../infra/paths.js';

export interface CompiledWorker {
  /** The folder holding dist/, package.json and a node_modules link. */
  root: string;
  /** `<root>/dist/worker/main.js`. */
  entry: string;
  /** Top-level folders of the compiled tree (what the image must copy to compile it). */
  folders: string[];
  remove(): Promise<void>;
}

export async function compileWorker(): Promise<CompiledWorker> {
  const root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'pt-compiled-worker-'));
  const dist = path.join(root, 'dist');
  const tsc = path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', dist], {
      cwd: PROJECT_ROOT,
      timeout: 300_000,
    });
  } catch (err) {
    await fs.promises.rm(root, { recursive: true, force: true });
    const { stdout } = err as { stdout?: string };
    throw new Error(`tsc -p tsconfig.build.json failed:\n${stdout ?? (err as Error).message}`, {
      cause: err,
    });
  }
  // "type": "module" and the packages, as in the image's /app.
  await fs.promises.copyFile(path.join(PROJECT_ROOT, 'package.json'), path.join(root, 'package.json'));
  await fs.promises.symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  const folders = (await fs.promises.readdir(dist, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return {
    root,
    entry: path.join(dist, 'worker', 'main.js'),
    folders,
    remove: () => fs.promises.rm(root, { recursive: true, force: true }),
  };
}
