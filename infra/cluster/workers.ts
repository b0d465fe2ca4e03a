/**
 * The cluster's workers: each one the project's worker process in its own process group. From the
 * TypeScript sources (`worker/main.ts` through tsx, as `npm run worker` runs it) they share one
 * prebuilt workflow bundle, so N workers do not bundle N times; from compiled JavaScript (the Docker
 * image's `dist/worker/main.js`) a worker bundles its own compiled workflows, as the image does,
 * unless the cluster shares its bundle with them too (`shareBundle`, for the benchmark).
 * A worker is ready once the server lists it as a poller of the task queue.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { bundleWorkflowCode } from '@temporalio/worker';
import { bundleConverterOptions, dataConverterFromEnv } from '../../codec/data-converter.js';
import { WORKFLOWS_PATH } from '../../worker/create-worker.js';
import { WORKER_ENVIRONMENT } from '../../worker/launch.js';
import { PROJECT_ROOT } from '../paths.js';
import { quietBundleLogger } from '../quiet-logger.js';
import { startService, type ServiceProcess } from '../service-process.js';

/** More would only contend for this machine's cores (each worker is a Node process with its own SDK core). */
export const MAX_WORKERS = 16;

export interface WorkerSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  bundleFile: string;
  /** AWS settings and anything else the workers need (e.g. AWS_ENDPOINT_URL_LAMBDA). */
  env: Record<string, string>;
  logDir: string;
  /** Compiled workers load `bundleFile` too instead of bundling their own (ClusterOptions.shareBundle). */
  shareBundle?: boolean;
}

/** Bundles the workflows once, with the data converter the workers will use (PT_CODEC_KEY). */
export async function writeWorkflowBundle(file: string): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: quietBundleLogger,
    ...bundleConverterOptions(dataConverterFromEnv()),
  });
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(file, code);
}

/** Whether the server lists a workflow poller whose identity is this worker's (`<pid>@<host>`). */
async function isPolling(connection: Connection, settings: WorkerSettings, pid: number): Promise<boolean> {
  const { pollers } = await connection.workflowService.describeTaskQueue({
    namespace: settings.namespace,
    taskQueue: { name: settings.taskQueue },
    taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return (pollers ?? []).some((p) => p.identity?.startsWith(`${pid}@`));
}

/** The worker from the TypeScript sources. */
export const SOURCE_WORKER_ENTRY = path.join(PROJECT_ROOT, 'worker', 'main.ts');

export async function startWorker(
  settings: WorkerSettings,
  index: number,
  entry = SOURCE_WORKER_ENTRY,
  timeoutMs = 120_000,
): Promise<ServiceProcess> {
  const fromSource = entry.endsWith('.ts');
  const service = startService({
    name: `worker-${index}`,
    command: process.execPath,
    args: fromSource ? ['--import', 'tsx', entry] : [entry],
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      // Compiled, as the image runs it: with the image's environment too.
      ...(fromSource ? {} : WORKER_ENVIRONMENT),
      ...settings.env,
      TEMPORAL_ADDRESS: settings.address,
      TEMPORAL_NAMESPACE: settings.namespace,
      TEMPORAL_TASK_QUEUE: settings.taskQueue,
      ...(fromSource || settings.shareBundle ? { PT_WORKFLOW_BUNDLE: settings.bundleFile } : {}),
    },
    logFile: path.join(settings.logDir, `worker-${index}.log`),
  });
  const connection = await Connection.connect({ address: settings.address, connectTimeout: 10_000 });
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!service.isRunning()) {
        throw new Error(
          `worker ${index} exited during start-up; log ${service.logFile}:\n${service.logTail()}`,
        );
      }
      if (await isPolling(connection, settings, service.pid).catch(() => false)) return service;
      await sleep(500);
    }
    throw new Error(
      `worker ${index} not polling within ${timeoutMs} ms; log ${service.logFile}:\n${service.logTail()}`,
    );
  } catch (err) {
    await service.stop(5000);
    throw err;
  } finally {
    await connection.close();
  }
}
