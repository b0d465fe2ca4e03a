/** Builds the power-tuning worker; shared by `npm run worker`, the demo, the tests and the benchmarks. */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { signalThrough } from '../activities/progress-reporter.js';
import { historyThrough } from '../activities/run-history.js';
import { dataConverterFromEnv } from '../codec/data-converter.js';
import { HEARTBEAT_THROTTLE_MS } from '../domain/heartbeats.js';
import { DEFAULT_TASK_QUEUE } from '../domain/search-attributes.js';
import { sourceOrCompiled } from '../infra/module-path.js';
import { ensureSearchAttributes } from './search-attributes.js';

export const WORKFLOWS_PATH = sourceOrCompiled(new URL('../workflows/index.ts', import.meta.url));

export interface PowerTuningWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  activityDeps?: ActivityDeps;
  /** A prebuilt bundle (tests build it once); otherwise the worker bundles the workflows itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  extra?: Partial<WorkerOptions>;
  warn?: (message: string) => void;
}

export async function createPowerTuningWorker(opts: PowerTuningWorkerOptions): Promise<Worker> {
  const namespace = opts.namespace ?? 'default';
  const ready = await ensureSearchAttributes(opts.connection, namespace, opts.warn ?? console.warn);
  const code = opts.workflowBundle
    ? { workflowBundle: opts.workflowBundle }
    : { workflowsPath: WORKFLOWS_PATH };
  // Long batches signal their runs through the worker's own client: created once, lazily, from the
  // worker's connection, namespace and data converter, so signals are encrypted like the rest.
  const reportProgress = signalThrough(() => worker.client);
  const worker: Worker = await Worker.create({
    connection: opts.connection,
    namespace,
    taskQueue: opts.taskQueue ?? DEFAULT_TASK_QUEUE,
    ...code,
    activities: createActivities({
      workerHasSearchAttributes: () => ready,
      reportProgress,
      readRunHistory: historyThrough(() => worker.client),
      ...opts.activityDeps,
    }),
    // Payload encryption when PT_CODEC_KEY(_FILE) is set, failure messages and stack traces included
    // (a workflowsPath bundle takes the failure converter from here); a bad key stops the worker.
    dataConverter: dataConverterFromEnv(),
    // Heartbeats reach the server every few seconds (domain/heartbeats.ts).
    maxHeartbeatThrottleInterval: HEARTBEAT_THROTTLE_MS,
    ...opts.extra,
  });
  return worker;
}
