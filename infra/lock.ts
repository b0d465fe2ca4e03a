/**
 * A cross-process lock made from a directory: `mkdir` is atomic, so only one installer wins.
 * The owner's pid is stored inside so a lock left by a killed process can be taken over.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LockOptions {
  /** How long to wait for another holder before giving up (default 20 min: installs can be slow). */
  timeoutMs?: number;
  log?: (msg: string) => void;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM means the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownerPid(lockDir: string): Promise<number | undefined> {
  try {
    const text = await fs.readFile(path.join(lockDir, 'owner'), 'utf8');
    const pid = Number.parseInt(text, 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `fn` while holding the lock directory `lockDir`; waits if another process holds it. */
export async function withDirLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 20 * 60_000;
  const deadline = Date.now() + timeoutMs;
  await fs.mkdir(path.dirname(lockDir), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = await ownerPid(lockDir);
    if (owner !== undefined && !isAlive(owner)) {
      opts.log?.(`removing stale lock ${lockDir} left by pid ${owner}`);
      await fs.rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for lock ${lockDir} (held by pid ${owner ?? '?'})`,
      );
    }
    if (!announced) {
      opts.log?.(`waiting for lock ${lockDir} (held by pid ${owner ?? '?'})`);
      announced = true;
    }
    await sleep(250);
  }
  try {
    await fs.writeFile(path.join(lockDir, 'owner'), String(process.pid));
    return await fn();
  } finally {
    await fs.rm(lockDir, { recursive: true, force: true });
  }
}
