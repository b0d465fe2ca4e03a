/**
 * `npm run worker`: runs the power-tuning worker until SIGINT or SIGTERM, then finishes the
 * activities in hand and exits. Connection settings come from the standard Temporal environment
 * variables and profiles (see connection/temporal-settings.ts).
 */
// First: the garbage-collection policy must be set before the heap grows.
import './heap.js';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadTemporalSettings } from '../connection/temporal-settings.js';
import { createPowerTuningWorker } from './create-worker.js';
import { activitySlotsFromEnv } from './slots.js';

Runtime.install({ logger: new DefaultLogger('INFO'), shutdownSignals: ['SIGINT', 'SIGTERM'] });

const settings = loadTemporalSettings();
// Read before connecting: a bad value is a configuration error, not a connection problem.
const slots = activitySlotsFromEnv();
const connection = await NativeConnection.connect(settings.nativeConnectionOptions);
try {
  // A prebuilt workflow bundle (`PT_WORKFLOW_BUNDLE`) skips bundling at start-up.
  const bundlePath = process.env.PT_WORKFLOW_BUNDLE;
  const worker = await createPowerTuningWorker({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    workflowBundle: bundlePath ? { codePath: bundlePath } : undefined,
    extra: slots,
  });
  const slotText = slots.maxConcurrentActivityTaskExecutions ?? 'default';
  console.log(
    `power-tuning worker: task queue "${settings.taskQueue}", namespace "${settings.namespace}", activity slots ${slotText}`,
  );
  await worker.run();
} finally {
  await connection.close();
}
