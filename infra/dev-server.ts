/**
 * Starts and stops a local `temporal server start-dev` on free loopback ports, with the project's
 * custom search attributes registered, for tests, the demo and local development.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TUNING_SEARCH_ATTRIBUTES } from '../domain/search-attributes.js';
import { freePort } from './free-port.js';
import { cacheDir } from './paths.js';
import { startService, type ServiceProcess } from './service-process.js';
import { ensureTemporalCli } from './temporal-cli.js';
import { waitForFrontend } from './temporal-ready.js';

export interface DevServerOptions {
  /** SQLite file; default: a fresh temporary file, deleted on stop. */
  dbFile?: string;
  /** Frontend gRPC port; default: a free port. */
  port?: number;
  /** Web UI port; only used when not headless (default: a free port). */
  uiPort?: number;
  /** Disable the Web UI (default true: tests do not need it). */
  headless?: boolean;
  namespace?: string;
  /** debug | info | warn | error | never (default warn). */
  logLevel?: string;
  extraArgs?: string[];
  /** Where the server's output goes; default `.cache/logs/temporal-dev-<port>.log`. */
  logFile?: string;
  /** Start-up budget (default 60 s: a cold start on a loaded CI machine is slow). */
  startTimeoutMs?: number;
  log?: (msg: string) => void;
}

export interface DevServer {
  /** `127.0.0.1:<port>`, ready for `Connection.connect({ address })`. */
  address: string;
  uiUrl?: string;
  namespace: string;
  dbFile: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
  /** Stops and starts the server again on the same ports and database file (crash/recovery tests). */
  restart(): Promise<void>;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'never'];

export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const log = opts.log ?? ((msg: string) => process.stderr.write(`${msg}\n`));
  const logLevel = opts.logLevel ?? 'warn';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`startDevServer: logLevel must be one of ${LOG_LEVELS.join(', ')}; got '${logLevel}'`);
  }
  const cli = await ensureTemporalCli({ log });
  const namespace = opts.namespace ?? 'default';
  const headless = opts.headless ?? true;
  const port = opts.port ?? (await freePort());
  const uiPort = headless ? undefined : (opts.uiPort ?? (await freePort()));
  const tempDir = opts.dbFile ? undefined : await fs.promises.mkdtemp(path.join(os.tmpdir(), 'pt-temporal-'));
  const dbFile = opts.dbFile ?? path.join(tempDir ?? '', 'temporal.db');
  const logFile = opts.logFile ?? cacheDir('logs', `temporal-dev-${port}.log`);
  const address = `127.0.0.1:${port}`;

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port)];
  if (uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  args.push('--db-filename', dbFile, '--log-level', logLevel);
  if (namespace !== 'default') args.push('--namespace', namespace);
  // No outbound network here or in CI: skip the version check that would call home.
  args.push('--dynamic-config-value', 'frontend.enableServerVersionCheck=false');
  for (const attr of TUNING_SEARCH_ATTRIBUTES)
    args.push('--search-attribute', `${attr.name}=${attr.cliType}`);
  args.push(...(opts.extraArgs ?? []));

  const launch = async (): Promise<ServiceProcess> => {
    const service = startService({ name: 'temporal-dev-server', command: cli, args, logFile });
    try {
      await waitForFrontend(service, {
        name: 'temporal dev server',
        address,
        namespace,
        timeoutMs: opts.startTimeoutMs ?? 60_000,
        intervalMs: 300,
      });
    } catch (err) {
      await service.stop(2000);
      throw err;
    }
    return service;
  };

  let service = await launch();
  log(`temporal dev server ready at ${address} (pid ${service.pid}, log ${logFile})`);
  const server: DevServer = {
    address,
    uiUrl: uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`,
    namespace,
    dbFile,
    pid: service.pid,
    logFile,
    async stop() {
      await service.stop();
      if (tempDir) await fs.promises.rm(tempDir, { recursive: true, force: true });
    },
    async restart() {
      await service.stop();
      service = await launch();
      server.pid = service.pid;
    },
  };
  return server;
}
