/**
 * An in-process tuning stack for integration tests: the emulator (instant by default), a worker
 * on a private task queue of the shared dev server, and a client. The workflow bundle is built
 * once per process.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  bundleWorkflowCode,
  type Worker,
} from '@temporalio/worker';
import { bundleConverterOptions, dataConverterFromEnv } from '../../codec/data-converter.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index.js';
import type { PowerTuningInput, TuningOutput } from '../../domain/types.js';
import { POWER_TUNING_WORKFLOW, progressQuery } from '../../domain/workflow-api.js';
import { WORKFLOWS_PATH, createPowerTuningWorker } from '../../worker/create-worker.js';
import { testS3Endpoint, testTemporalAddress, testTemporalNamespace } from './env.js';

let bundle: Promise<{ code: string }> | undefined;
export function workflowBundle(): Promise<{ code: string }> {
  // The converters the worker will use (encoded failures when PT_CODEC_KEY is set): a prebuilt
  // bundle converts workflow failures with what it was built with.
  bundle ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: quietLogger,
    ...bundleConverterOptions(dataConverterFromEnv()),
  });
  return bundle;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};

export interface Harness {
  emulator: RunningEmulator;
  client: Client;
  taskQueue: string;
  namespace: string;
  start(input: PowerTuningInput | Record<string, unknown>, workflowId?: string): Promise<WorkflowHandle>;
  run(input: PowerTuningInput | Record<string, unknown>): Promise<TuningOutput>;
  stop(): Promise<void>;
}

/** A worker polling in the background until `stop`, which shuts it down and waits until it has. */
export interface BackgroundWorker {
  stop(): Promise<void>;
}

export function runInBackground(worker: Worker): BackgroundWorker {
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running.catch(() => undefined);
    },
  };
}

export interface HarnessOptions {
  emulator?: EmulatorOptions;
  /** Also point S3 at the test S3 server. */
  s3?: boolean;
  /** A Temporal server of the test's own (default: the shared test server). */
  temporal?: { address: string; namespace: string };
}

/** Points the standard AWS SDK variables at the local servers (as a user would for LocalStack). */
export async function useLocalAws(emulatorUrl: string, s3: boolean): Promise<void> {
  process.env.AWS_ENDPOINT_URL_LAMBDA = emulatorUrl;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  if (s3) process.env.AWS_ENDPOINT_URL_S3 = await testS3Endpoint();
}

let runtimeInstalled = false;
/** The SDK's logger is process-wide and set once: tests that read the worker's logs install theirs first. */
export function installTestLogger(logger: DefaultLogger): void {
  if (runtimeInstalled) throw new Error('the Temporal runtime is already installed in this process');
  runtimeInstalled = true;
  Runtime.install({ logger });
}

function quietRuntime(): void {
  if (!runtimeInstalled) installTestLogger(new DefaultLogger('WARN'));
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  quietRuntime();
  const emulator = await startEmulator({ port: 0, timeScale: 0, updateDelayMs: 20, ...opts.emulator });
  await useLocalAws(emulator.url, opts.s3 ?? false);
  const address = opts.temporal?.address ?? (await testTemporalAddress());
  const namespace = opts.temporal?.namespace ?? (await testTemporalNamespace());
  const taskQueue = `test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const worker: Worker = await createPowerTuningWorker({
    connection: nativeConnection,
    namespace,
    taskQueue,
    workflowBundle: await workflowBundle(),
  });
  const polling = runInBackground(worker);
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });

  const start = (input: PowerTuningInput | Record<string, unknown>, workflowId = `tuning-${randomUUID()}`) =>
    client.workflow.start(POWER_TUNING_WORKFLOW, { taskQueue, workflowId, args: [input] });

  return {
    emulator,
    client,
    taskQueue,
    namespace,
    start,
    async run(input) {
      const handle = await start(input);
      return (await handle.result()) as TuningOutput;
    },
    async stop() {
      await polling.stop();
      await nativeConnection.close();
      await connection.close();
      await emulator.stop();
    },
  };
}

/** Cancels the run and checks that it ends cancelled, as its progress says too. */
export async function cancelAndExpectCancelled(handle: WorkflowHandle): Promise<void> {
  await handle.cancel();
  await assert.rejects(handle.result(), (err: unknown) => {
    assert.ok(err instanceof WorkflowFailedError);
    assert.ok(err.cause instanceof CancelledFailure);
    return true;
  });
  assert.equal((await handle.query(progressQuery)).phase, 'cancelled');
}
