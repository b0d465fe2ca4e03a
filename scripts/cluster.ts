/**
 * `npm run cluster [-- --workers N] [--emulator]`: the production topology on this machine, no
 * containers (infra/cluster/): PostgreSQL, the Temporal server, its Web UI server, N workers. Runs
 * until Ctrl-C or `npm run cluster -- stop` (from any terminal), then stops everything in order:
 * workers, UI, server, database. Data persists in .cache/cluster/local/ (or PT_CLUSTER_DIR) between runs.
 *
 * Workers reach AWS with the usual configuration of this shell; `--emulator` starts the Lambda
 * emulator and points them (and the printed exports) at it instead.
 */
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { startCluster, type Cluster } from '../infra/cluster/cluster.js';
import {
  forgetRunning,
  localClusterDir,
  recordRunning,
  runningCluster,
  stopRunningCluster,
} from '../infra/cluster/control.js';
import { clusterExports, EMULATOR_REGION, parseClusterArgs, type StartOptions } from './cluster-cli.js';

const say = (msg: string): void => void process.stderr.write(`${msg}\n`);

function waitForStopSignal(): Promise<NodeJS.Signals> {
  // The service hooks (infra/service-process.ts) would stop every process at once on a signal; the
  // cluster stops in order instead (workers before the server, the database last).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
  // The services' handles are unref'd: without a timer of its own, this process would just exit.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        clearInterval(keepAlive);
        resolve(signal);
      });
    }
  });
}

async function start(dir: string, options: StartOptions): Promise<number> {
  const running = runningCluster(dir);
  if (running) {
    throw new Error(
      `a cluster is already running (pid ${running.pid}, Temporal at ${running.address ?? '(starting)'}); stop it with: npm run cluster -- stop`,
    );
  }
  // Recorded at once, so `npm run cluster -- stop` also stops a cluster still starting.
  recordRunning(dir, { pid: process.pid, workers: options.workers });
  let emulator: RunningEmulator | undefined;
  const workerEnv: Record<string, string> = {};
  if (options.emulator) {
    emulator = await startEmulator({ port: 0, timeScale: 1 });
    say(`Lambda emulator at ${emulator.url}`);
    Object.assign(workerEnv, {
      AWS_ENDPOINT_URL_LAMBDA: emulator.url,
      AWS_REGION: EMULATOR_REGION,
      AWS_ACCESS_KEY_ID: process.env['AWS_ACCESS_KEY_ID'] ?? 'emulator',
      AWS_SECRET_ACCESS_KEY: process.env['AWS_SECRET_ACCESS_KEY'] ?? 'emulator',
    });
  }
  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster({
      dir,
      workers: options.workers,
      workerEnv,
      log: say,
    });
    recordRunning(dir, {
      pid: process.pid,
      address: cluster.address,
      uiUrl: cluster.uiUrl,
      workers: options.workers,
    });
    process.stdout.write(`${clusterExports(cluster, emulator?.url)}\n`);
    const signal = await waitForStopSignal();
    say(`cluster: ${signal}: stopping workers, Web UI, Temporal server and PostgreSQL`);
    return 0;
  } finally {
    await cluster?.stop();
    await emulator?.stop();
    forgetRunning(dir);
    if (cluster) say('cluster: stopped');
  }
}

async function main(): Promise<number> {
  const parsed = parseClusterArgs(process.argv.slice(2));
  const dir = localClusterDir();
  if (parsed.command === 'stop') {
    say((await stopRunningCluster(dir)) ? 'cluster: stopped' : 'cluster: none is running');
    return 0;
  }
  return start(dir, parsed.options);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`cluster: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
