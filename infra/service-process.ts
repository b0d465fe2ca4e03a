/**
 * Runs a long-lived helper server (Temporal dev server, moto) in its own process group, so stopping it
 * also stops anything it forked, and makes sure it does not outlive us:
 *  - exit/signal hooks stop every live service when this Node process ends normally or is interrupted;
 *  - a tiny shell watchdog stops the group if this process dies without running hooks (SIGKILL, OOM);
 *  - a pid file in `.cache/pids/` lets the CI script's trap stop anything left over.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cacheDir } from './paths.js';

export interface ServiceProcess {
  name: string;
  pid: number;
  logFile: string;
  /** True until the process has exited. */
  isRunning(): boolean;
  /** Last lines of the log, for error messages. */
  logTail(lines?: number): string;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the leader has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartServiceOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const live = new Set<ServiceProcess>();
let hooksInstalled = false;

export function pidDir(): string {
  return cacheDir('pids');
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // group already gone
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' handlers must be synchronous: send SIGTERM and let the watchdog escalate if needed.
  process.on('exit', () => {
    for (const service of live) {
      killGroup(service.pid, 'SIGTERM');
      fs.rmSync(path.join(pidDir(), String(service.pid)), { force: true });
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      void Promise.all([...live].map((s) => s.stop(3000))).finally(() => {
        // Re-raise so the exit status still says we were interrupted.
        process.kill(process.pid, signal);
      });
    });
  }
}

/** Watches this process and the service group; stops the group once we are gone. */
function startWatchdog(groupPid: number, pidFile: string): void {
  const script =
    'owner=$1; pg=$2; pidfile=$3; ' +
    'while kill -0 "$owner" 2>/dev/null && kill -0 -"$pg" 2>/dev/null; do sleep 2; done; ' +
    'if ! kill -0 "$owner" 2>/dev/null; then ' +
    'kill -TERM -"$pg" 2>/dev/null; sleep 5; kill -KILL -"$pg" 2>/dev/null; rm -f "$pidfile"; fi';
  const args = ['-c', script, 'watchdog', String(process.pid), String(groupPid), pidFile];
  const watchdog = spawn('/bin/sh', args, {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
}

export function startService(opts: StartServiceOptions): ServiceProcess {
  installExitHooks();
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const logFd = fs.openSync(opts.logFile, 'a');
  fs.writeSync(logFd, `\n--- ${new Date().toISOString()} ${opts.command} ${opts.args.join(' ')}\n`);
  let child: ChildProcess;
  try {
    child = spawn(opts.command, opts.args, {
      detached: true, // own process group, so the whole tree can be signalled
      stdio: ['ignore', logFd, logFd],
      env: opts.env ?? process.env,
      cwd: opts.cwd,
    });
  } finally {
    fs.closeSync(logFd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${opts.name}: ${opts.command} did not spawn`);
  child.unref();
  let running = true;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running = false;
      resolve();
    });
    child.once('error', () => {
      running = false;
      resolve();
    });
  });
  const pidFile = path.join(pidDir(), String(pid));
  fs.mkdirSync(pidDir(), { recursive: true });
  fs.writeFileSync(pidFile, `${opts.name} ${opts.command}\n`);
  startWatchdog(pid, pidFile);
  let stopping: Promise<void> | undefined;

  const service: ServiceProcess = {
    name: opts.name,
    pid,
    logFile: opts.logFile,
    isRunning: () => running,
    logTail(lines = 20) {
      try {
        return fs.readFileSync(opts.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    stop(graceMs = 10_000) {
      // Memoised: a second call waits for the first instead of signalling a pid that may be reused.
      stopping ??= (async () => {
        if (running) {
          killGroup(pid, 'SIGTERM');
          // Abort the grace timer once the process is gone, so it does not keep the event loop alive.
          const timer = new AbortController();
          const timedOut = await Promise.race([
            exited.then(() => false),
            sleep(graceMs, true, { signal: timer.signal }).catch(() => false),
          ]);
          timer.abort();
          if (timedOut) killGroup(pid, 'SIGKILL');
          await exited;
        }
        // Children that ignored SIGTERM may still hold the group.
        killGroup(pid, 'SIGKILL');
        live.delete(service);
        fs.rmSync(pidFile, { force: true });
      })();
      return stopping;
    },
  };
  live.add(service);
  return service;
}
