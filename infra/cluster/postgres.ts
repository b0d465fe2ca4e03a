/**
 * The cluster's PostgreSQL: a data folder of its own (initdb once, password authentication, TCP on
 * 127.0.0.1 only, no Unix socket), started in the foreground as a service process group so that
 * stopping or restarting it is one signal away.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCapture } from '../exec.js';
import type { ServiceProcess } from '../service-process.js';
import { launchService, type ManagedService } from './managed-service.js';
import { asAccount, postgresAccount, type RunAs } from './run-as.js';

/** The database role the Temporal server and its schema tool use. */
export const POSTGRES_USER = 'temporal';

export interface PostgresOptions {
  binDir: string;
  /** The cluster's folder: the data folder and password live here. */
  clusterDir: string;
  port: number;
  logFile: string;
  log: (msg: string) => void;
}

/** `restart` sends SIGTERM to the group (every session ends, then the server), then starts it on the same port and data. */
export interface Postgres extends ManagedService {
  port: number;
  user: string;
  password: string;
  dataDir: string;
}

/** Whether `account` may write into `dir` (parents included); always true when we are not root. */
async function reachable(account: RunAs | undefined, dir: string): Promise<boolean> {
  if (!account) return true;
  const [cmd, args] = asAccount(account, 'test', ['-w', dir]);
  return runCapture(cmd, args, { timeoutMs: 5000 }).then(
    () => true,
    () => false,
  );
}

/**
 * The data folder: `<clusterDir>/postgres`, or, when the account PostgreSQL runs as cannot reach the
 * project (a checkout under /root), a folder of its own in the system's temporary directory.
 */
async function prepareDataDir(opts: PostgresOptions, account: RunAs | undefined): Promise<string> {
  const preferred = path.join(opts.clusterDir, 'postgres');
  const candidates = [
    preferred,
    path.join(
      os.tmpdir(),
      `pt-postgres-${createHash('sha256').update(preferred).digest('hex').slice(0, 12)}`,
    ),
  ];
  for (const dir of candidates) {
    const existed = fs.existsSync(dir);
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    if (account) await fs.promises.chown(dir, account.uid, account.gid);
    await fs.promises.chmod(dir, 0o700);
    if (await reachable(account, dir)) {
      if (dir !== preferred) {
        opts.log(
          `postgresql: user ${account?.user} cannot reach ${preferred}; using ${dir} for the data instead`,
        );
      }
      return dir;
    }
    // Only the empty folder just made; never data that was there before.
    if (!existed) await fs.promises.rmdir(dir);
  }
  throw new Error(`postgresql: user ${account?.user} can reach neither ${candidates.join(' nor ')}`);
}

/** The role's password, made once per cluster folder and kept beside the data (mode 600). */
async function password(clusterDir: string): Promise<string> {
  const file = path.join(clusterDir, 'postgres-password');
  try {
    return (await fs.promises.readFile(file, 'utf8')).trim();
  } catch {
    const value = randomBytes(18).toString('base64url');
    await fs.promises.writeFile(file, `${value}\n`, { mode: 0o600 });
    return value;
  }
}

async function initdb(opts: PostgresOptions, account: RunAs | undefined, dataDir: string, pw: string) {
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  opts.log(`postgresql: creating a database cluster in ${dataDir}`);
  // initdb reads the password from a file; this one is readable by the account only, and removed.
  const pwFile = path.join(dataDir, '..', `.pwfile-${process.pid}`);
  await fs.promises.writeFile(pwFile, `${pw}\n`, { mode: 0o600 });
  if (account) await fs.promises.chown(pwFile, account.uid, account.gid);
  try {
    const args = ['-D', dataDir, '-U', POSTGRES_USER, `--pwfile=${pwFile}`, '--auth=scram-sha-256'];
    args.push('--encoding=UTF8', '--locale=C.UTF-8');
    const [cmd, cmdArgs] = asAccount(account, path.join(opts.binDir, 'initdb'), args);
    await runCapture(cmd, cmdArgs, { timeoutMs: 120_000 });
  } finally {
    await fs.promises.rm(pwFile, { force: true });
  }
}

async function waitUntilReady(
  opts: PostgresOptions,
  service: ServiceProcess,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const isReady = path.join(opts.binDir, 'pg_isready');
  while (Date.now() < deadline) {
    if (!service.isRunning()) {
      throw new Error(`postgresql exited during start-up; log ${service.logFile}:\n${service.logTail()}`);
    }
    const ok = await runCapture(isReady, ['-h', '127.0.0.1', '-p', String(opts.port), '-t', '2'], {
      timeoutMs: 5000,
    }).then(
      () => true,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(
    `postgresql on port ${opts.port} not ready within ${timeoutMs} ms; log ${service.logFile}:\n${service.logTail()}`,
  );
}

export async function startPostgres(opts: PostgresOptions): Promise<Postgres> {
  const account = await postgresAccount();
  await fs.promises.mkdir(opts.clusterDir, { recursive: true });
  const dataDir = await prepareDataDir(opts, account);
  const pw = await password(opts.clusterDir);
  await initdb(opts, account, dataDir, pw);
  const args = ['-D', dataDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1'];
  // No Unix socket: its default folder may not exist or be writable; clients use TCP.
  args.push('-c', 'unix_socket_directories=', '-c', 'max_connections=200');
  const [command, commandArgs] = asAccount(account, path.join(opts.binDir, 'postgres'), args);

  const server = await launchService(
    { name: 'postgresql', command, args: commandArgs, logFile: opts.logFile },
    (service) => waitUntilReady(opts, service),
    30_000,
  );
  opts.log(`postgresql ready on 127.0.0.1:${opts.port} (pid ${server.service().pid}, data ${dataDir})`);
  return { ...server, port: opts.port, user: POSTGRES_USER, password: pw, dataDir };
}
