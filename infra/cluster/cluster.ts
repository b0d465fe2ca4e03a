/**
 * The production topology on one machine, without containers: PostgreSQL, the Temporal server
 * (schemas set up by its SQL tool), the Web UI server, the namespace with the tunings' search
 * attributes, and N workers on the power-tuning task queue. Each piece is a service process group
 * recorded in .cache/pids; `stop` ends them in reverse order. Used by `npm run cluster`, the
 * cluster tests (which also restart pieces of it) and `npm run bench -- --cluster`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TASK_QUEUE } from '../../domain/search-attributes.js';
import { freePort } from '../free-port.js';
import type { ServiceProcess } from '../service-process.js';
import { binaryPath, ensureClusterBinaries } from './go-build.js';
import { prepareNamespace } from './namespace.js';
import { startPostgres, type Postgres } from './postgres.js';
import { ensurePostgresBinaries } from './postgres-binaries.js';
import { setUpSchemas } from './schema.js';
import { startTemporalServer, type TemporalServer } from './temporal-server.js';
import { startUiServer } from './ui-server.js';
import { TEMPORAL_SERVER_PROGRAM, UI_SERVER_PROGRAM } from './versions.js';
import { MAX_WORKERS, startWorker, writeWorkflowBundle, type WorkerSettings } from './workers.js';

export interface ClusterOptions {
  /** The cluster's folder: database, configuration, logs. */
  dir: string;
  workers: number;
  namespace?: string;
  taskQueue?: string;
  /** Extra environment of the workers (AWS endpoint and credentials). */
  workerEnv?: Record<string, string>;
  /** The entry point of worker number `index` (from 1); undefined: the TypeScript sources (workers.ts). */
  workerEntry?: (index: number) => string | undefined;
  /** The Temporal server's log level (default warn). */
  serverLogLevel?: string;
  /** Start the Web UI server (default true; the cluster benchmark needs none). */
  ui?: boolean;
  /**
   * Compiled workers load the prebuilt workflow bundle too, instead of bundling their own at start
   * (default false, as the image does): the benchmark keeps bundling out of their measured memory.
   */
  shareBundle?: boolean;
  log?: (msg: string) => void;
}

export interface Cluster {
  address: string;
  namespace: string;
  taskQueue: string;
  /** Undefined when started with `ui: false`. */
  uiUrl: string | undefined;
  dir: string;
  postgres: Postgres;
  server: TemporalServer;
  /** The running workers, oldest first. */
  workers(): ServiceProcess[];
  /** Starts one more worker (from the sources, or `entry`) and waits until it polls. */
  addWorker(entry?: string): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

function checkOptions(opts: ClusterOptions): void {
  if (!Number.isInteger(opts.workers) || opts.workers < 1 || opts.workers > MAX_WORKERS) {
    throw new Error(`workers: expected a whole number from 1 to ${MAX_WORKERS}; got ${String(opts.workers)}`);
  }
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  checkOptions(opts);
  const log = opts.log ?? ((msg: string) => process.stderr.write(`${msg}\n`));
  const namespace = opts.namespace ?? 'default';
  const taskQueue = opts.taskQueue ?? DEFAULT_TASK_QUEUE;
  const logDir = path.join(opts.dir, 'logs');
  await fs.promises.mkdir(logDir, { recursive: true });
  const binDir = await ensurePostgresBinaries({ log });
  await ensureClusterBinaries({ log });

  // Everything started so far, stopped in reverse order should a later step fail.
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const postgres = await startPostgres({
      binDir,
      clusterDir: opts.dir,
      port: await freePort(),
      logFile: path.join(logDir, 'postgresql.log'),
      log,
    });
    stops.push(() => postgres.stop());
    const pg = { port: postgres.port, user: postgres.user, password: postgres.password };
    await setUpSchemas({ sqlTool: binaryPath(TEMPORAL_SERVER_PROGRAM, 'sql'), postgres: pg, log });

    const server = await startTemporalServer({
      serverBin: binaryPath(TEMPORAL_SERVER_PROGRAM, 'server'),
      clusterDir: opts.dir,
      postgres: pg,
      logFile: path.join(logDir, 'temporal-server.log'),
      ...(opts.serverLogLevel ? { logLevel: opts.serverLogLevel } : {}),
      log,
    });
    stops.push(() => server.stop());
    await prepareNamespace(server.address, namespace, log);

    const ui =
      opts.ui === false
        ? undefined
        : await startUiServer({
            uiBin: binaryPath(UI_SERVER_PROGRAM, 'server'),
            clusterDir: opts.dir,
            temporalAddress: server.address,
            namespace,
            logFile: path.join(logDir, 'temporal-ui.log'),
            log,
          });
    if (ui) stops.push(() => ui.stop());

    const settings: WorkerSettings = {
      address: server.address,
      namespace,
      taskQueue,
      bundleFile: path.join(opts.dir, 'workflow-bundle.js'),
      env: opts.workerEnv ?? {},
      logDir,
      shareBundle: opts.shareBundle ?? false,
    };
    log('cluster: bundling the workflow code once for every worker');
    await writeWorkflowBundle(settings.bundleFile);
    const workers: ServiceProcess[] = [];
    // Workers finish their activities in hand on SIGTERM; stopped first, before the server.
    stops.push(async () => {
      await Promise.all(workers.map((w) => w.stop(15_000)));
    });
    let started = 0;
    const addWorker = async (entry?: string): Promise<ServiceProcess> => {
      const worker = await startWorker(settings, ++started, entry);
      workers.push(worker);
      return worker;
    };
    // One at a time: each start loads the SDK and the bundle, which is CPU-heavy on 2 cores.
    for (let i = 1; i <= opts.workers; i++) await addWorker(opts.workerEntry?.(i));
    log(`cluster: ${opts.workers} worker(s) polling task queue ${taskQueue}`);

    return {
      address: server.address,
      namespace,
      taskQueue,
      uiUrl: ui?.url,
      dir: opts.dir,
      postgres,
      server,
      workers: () => workers.filter((w) => w.isRunning()),
      addWorker: (entry?: string) => addWorker(entry),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * A cluster in a fresh temporary folder (tests, the cluster benchmark); its `stop` also removes the
 * folder and the database's data, which may lie outside it. Should the process exit first (a signal
 * during start-up), the folder is removed on exit.
 */
export async function startTemporaryCluster(opts: Omit<ClusterOptions, 'dir'>): Promise<Cluster> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'pt-cluster-'));
  const remove = (folder: string) => fs.promises.rm(folder, { recursive: true, force: true });
  const removeAtExit = () => fs.rmSync(dir, { recursive: true, force: true });
  process.on('exit', removeAtExit);
  let cluster: Cluster;
  try {
    // PostgreSQL runs as its own account when we are root: it must reach the data folder inside.
    await fs.promises.chmod(dir, 0o755);
    cluster = await startCluster({ ...opts, dir });
  } catch (err) {
    await remove(dir);
    process.off('exit', removeAtExit);
    throw err;
  }
  const stop = cluster.stop;
  let stopping: Promise<void> | undefined;
  return {
    ...cluster,
    stop: () =>
      (stopping ??= (async () => {
        await stop();
        await remove(cluster.postgres.dataDir);
        await remove(dir);
        process.off('exit', removeAtExit);
      })()),
  };
}
