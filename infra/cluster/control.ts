/**
 * Which `npm run cluster` is running: the supervising process writes its pid and addresses to
 * running.json in the cluster's folder (.cache/cluster/local/, or PT_CLUSTER_DIR), so a second start
 * is refused and `npm run cluster -- stop` (from any terminal) can ask it to stop everything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from '../lock.js';
import { cacheDir, PROJECT_ROOT } from '../paths.js';

export interface RunningCluster {
  pid: number;
  workers: number;
  /** Known once the cluster is up. */
  address?: string;
  uiUrl?: string;
}

/** `npm run cluster`'s script (run through tsx). */
export const CLUSTER_SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'cluster.ts');

/** The folder of `npm run cluster`'s cluster: database, configuration, logs. */
export function localClusterDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['PT_CLUSTER_DIR'] || cacheDir('cluster', 'local');
}

function runningFile(dir: string): string {
  return path.join(dir, 'running.json');
}

/** The cluster recorded as running, if its supervising process still lives. */
export function runningCluster(dir: string): RunningCluster | undefined {
  try {
    const state = JSON.parse(fs.readFileSync(runningFile(dir), 'utf8')) as RunningCluster;
    return Number.isInteger(state.pid) && isAlive(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
}

export function recordRunning(dir: string, state: RunningCluster): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(runningFile(dir), `${JSON.stringify(state, null, 2)}\n`);
}

export function forgetRunning(dir: string): void {
  fs.rmSync(runningFile(dir), { force: true });
}

/** Asks the running cluster to stop and waits until its supervisor has exited; false if none ran. */
export async function stopRunningCluster(dir: string, timeoutMs = 120_000): Promise<boolean> {
  const state = runningCluster(dir);
  if (!state) {
    forgetRunning(dir);
    return false;
  }
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(state.pid)) {
    if (Date.now() > deadline) {
      throw new Error(
        `the cluster (pid ${state.pid}) did not stop within ${timeoutMs} ms; its logs are in ${path.join(dir, 'logs')}`,
      );
    }
    await sleep(250);
  }
  return true;
}
