/**
 * `npm run bench -- --cluster`: the same concurrent tunings on the native production cluster
 * (infra/cluster/: PostgreSQL and the Temporal server built from source; no Web UI server), first on
 * one worker, then on two, in one run, against the emulator in its own process. Each phase gets fresh
 * workers (compiled, as the image runs them, loading the cluster's prebuilt workflow bundle), so each
 * worker's peak RSS is its own phase's. Everything it started is stopped, in order, at the end, on an
 * error and on SIGINT/SIGTERM/SIGHUP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { startTemporaryCluster, type Cluster } from '../infra/cluster/cluster.js';
import type { ServiceProcess } from '../infra/service-process.js';
import {
  clusterPhase,
  clusterSummary,
  type ClusterPhaseMeasurement,
  type ClusterSummary,
  type ClusterWorkload,
} from './cluster-summary.js';
import { machineInfo } from './machine.js';
import { powerValueList, type BenchOptions } from './options.js';
import { emulatorWorkerEnv, startEmulatorProcess, type EmulatorProcess } from './processes.js';
import { sampleMachineCpu, sampleTreeCpuMs, sampleProcess } from './proc-stats.js';
import { concurrentFunctions } from './scenarios/concurrent.js';
import { writeFunctionsFile } from './stack.js';
import { checkComplete, finishTuning, startTuning } from './tuning-run.js';
import { buildWorker, type WorkerBuild } from './worker-build.js';

/** The run was stopped by a signal; everything it started has been stopped. */
export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}; everything the bench started was stopped`);
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

interface Phase {
  cluster: Cluster;
  client: Client;
  emulator: EmulatorProcess;
  workload: ClusterWorkload;
  functions: string[];
}

export async function runClusterBench(
  opts: BenchOptions,
  log: (message: string) => void,
): Promise<ClusterSummary> {
  const machine = machineInfo();
  const started = performance.now();
  const { tunings, powerValues, num } = opts.sizes.cluster;
  const workload: ClusterWorkload = {
    tunings,
    powerValues,
    num,
    functionMs: opts.functionMs,
    updateDelayMs: opts.updateDelayMs,
  };
  // The concurrent scenario's functions (one per tuning: the per-function lock allows one tuning
  // each), in real time: each invocation waits functionMs, as a function doing I/O would.
  const functions = concurrentFunctions(tunings);

  // A signal stops the run: the race below ends at once and `finally` stops everything in order.
  // Listening (not once) also swallows the signal infra/service-process.ts re-raises after its own
  // hooks stopped the processes, so the folders are still removed before the bench exits.
  let interrupt: (err: Interrupted) => void = () => undefined;
  let signalled = false;
  const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
  const onSignal = (signal: NodeJS.Signals) => {
    signalled = true;
    interrupt(new Interrupted(signal));
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);

  const workDir = mkdtempSync(path.join(tmpdir(), 'pt-bench-cluster-'));
  const stops: (() => Promise<void>)[] = [];
  let closed = false;
  // Something that finishes starting after an interruption's cleanup is stopped at once.
  const track = (stop: () => Promise<void>) =>
    closed ? void stop().catch(() => undefined) : stops.push(stop);
  const run = async (): Promise<ClusterSummary> => {
    log(`starting the emulator and building the ${opts.worker} worker`);
    const [emulator, build] = await Promise.all([
      startEmulatorProcess({
        functionsFile: writeFunctionsFile(
          workDir,
          Object.fromEntries(functions.map((name) => [name, { ioWaitMs: opts.functionMs }])),
        ),
        timeScale: 1,
        updateDelayMs: opts.updateDelayMs,
        logDir: workDir,
      }).then((e) => (track(() => e.stop()), e)),
      buildWorker(opts.worker).then((b) => (track(async () => b.remove()), b)),
    ]);
    log('starting the cluster (PostgreSQL, Temporal server) and one worker');
    const cluster = await startTemporaryCluster({
      workers: 1,
      ui: false,
      shareBundle: true,
      workerEntry: () => build.entry,
      workerEnv: emulatorWorkerEnv(emulator.url),
      log,
    });
    track(() => cluster.stop());
    const connection = await Connection.connect({ address: cluster.address });
    // Not closed after a signal: the abandoned body's calls would retry on a closed channel, which
    // throws from a timer (an uncaught exception) in the client; the process exits right after.
    track(async () => (signalled ? undefined : connection.close()));
    const phase: Phase = {
      cluster,
      emulator,
      workload,
      functions,
      client: new Client({ connection, namespace: cluster.namespace }),
    };

    const one = await measurePhase(phase, cluster.workers(), log);
    log('replacing the worker with two fresh ones');
    await Promise.all(cluster.workers().map((w) => w.stop(15_000)));
    const two = await measurePhase(phase, await startWorkers(cluster, build, 2), log);
    return clusterSummary(workload, clusterPhase(workload, one), clusterPhase(workload, two), {
      machine,
      loadAverageAtEnd: machineInfo().loadAverage,
      worker: opts.worker,
      totalMs: performance.now() - started,
    });
  };
  const body = run();
  // Once interrupted, the abandoned body fails as its connection closes: nothing waits for it.
  body.catch(() => undefined);
  try {
    return await Promise.race([body, interrupted]);
  } finally {
    log('stopping the workers, the Temporal server, PostgreSQL and the emulator');
    closed = true;
    for (const stop of stops.splice(0).reverse())
      await stop().catch((err: unknown) => log(`stop failed: ${String(err)}`));
    rmSync(workDir, { recursive: true, force: true });
    for (const signal of SIGNALS) process.off(signal, onSignal);
  }
}

/** One at a time, as the cluster starts them: each start loads the SDK and the bundle. */
async function startWorkers(cluster: Cluster, build: WorkerBuild, count: number): Promise<ServiceProcess[]> {
  const workers: ServiceProcess[] = [];
  for (let i = 0; i < count; i++) workers.push(await cluster.addWorker(build.entry));
  return workers;
}

async function measurePhase(
  phase: Phase,
  workers: ServiceProcess[],
  log: (message: string) => void,
): Promise<ClusterPhaseMeasurement> {
  const { cluster, client, emulator, workload, functions } = phase;
  const pids = workers.map((w) => w.pid);
  const serverPid = cluster.server.service().pid;
  // The postmaster (setpriv, running it as its account, execs it: same pid) and every backend under it.
  const postmaster = cluster.postgres.service().pid;
  const sample = () => ({
    workers: pids.map((pid) => sampleProcess(pid)),
    server: sampleProcess(serverPid),
    postgresCpuMs: sampleTreeCpuMs(postmaster),
    emulator: sampleProcess(emulator.pid),
    clientCpuMs: ((usage) => (usage.user + usage.system) / 1000)(process.cpuUsage()),
    machine: sampleMachineCpu(),
  });
  log(`${workload.tunings} tunings at once on ${workers.length} worker(s)…`);
  const before = sample();
  const t0 = performance.now();
  const handles = await Promise.all(
    functions.map((lambdaARN) =>
      startTuning(client, cluster.taskQueue, {
        lambdaARN,
        num: workload.num,
        powerValues: powerValueList(workload.powerValues),
      }),
    ),
  );
  // Timed to the last result; failures are reported below, with the run's own message.
  const ends = await Promise.all(
    handles.map((h) =>
      h.result().then(
        () => performance.now(),
        () => performance.now(),
      ),
    ),
  );
  const after = sample();
  const wallMs = Math.max(...ends) - t0;
  const runs = await Promise.all(handles.map((h) => finishTuning(h)));
  runs.forEach((run, i) => checkComplete(run, workload.powerValues, workload.num, `cluster tuning ${i + 1}`));
  const activities = await activitiesByWorker(handles, pids);
  log(`${workers.length} worker(s): ${(wallMs / 1000).toFixed(1)} s`);
  return {
    wallMs,
    workers: pids.map((_, i) => ({
      peakRssMb: after.workers[i]?.peakRssMb ?? 0,
      cpuMs: (after.workers[i]?.cpuMs ?? 0) - (before.workers[i]?.cpuMs ?? 0),
      activities: activities[i] ?? 0,
    })),
    serverCpuMs: after.server.cpuMs - before.server.cpuMs,
    postgresCpuMs: after.postgresCpuMs - before.postgresCpuMs,
    emulatorCpuMs: after.emulator.cpuMs - before.emulator.cpuMs,
    clientCpuMs: after.clientCpuMs - before.clientCpuMs,
    machineBusyMs: after.machine.busyMs - before.machine.busyMs,
    machineTotalMs: after.machine.totalMs - before.machine.totalMs,
  };
}

/** How many activity tasks each worker started (the identity is `<pid>@<host>`), in `pids` order. */
async function activitiesByWorker(handles: WorkflowHandle[], pids: number[]): Promise<number[]> {
  const counts = pids.map(() => 0);
  for (const handle of handles) {
    for (const event of (await handle.fetchHistory()).events ?? []) {
      const identity = event.activityTaskStartedEventAttributes?.identity;
      const index = identity ? pids.indexOf(Number(identity.split('@')[0])) : -1;
      if (index >= 0) counts[index] = (counts[index] ?? 0) + 1;
    }
  }
  return counts;
}
