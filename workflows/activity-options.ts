/** Timeouts and retries of the workflows' activities. */
import { ActivityCancellationType, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { PowerTuningActivities } from '../activities/index.js';
import { HEARTBEAT_TIMEOUT_MS } from '../domain/heartbeats.js';

export const CONTROL_PLANE: ActivityOptions = {
  startToCloseTimeout: '1 hour',
  // A crashed worker is noticed within this time; activities heartbeat every few seconds.
  heartbeatTimeout: HEARTBEAT_TIMEOUT_MS,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
  },
};

export const acts = proxyActivities<PowerTuningActivities>(CONTROL_PLANE);

export const invokeOptions: ActivityOptions = {
  ...CONTROL_PLANE,
  // Batches can be long (slow functions); the heartbeat timeout detects a lost worker.
  startToCloseTimeout: '24 hours',
  retry: { ...CONTROL_PLANE.retry, maximumAttempts: 20 },
  // A cancelled batch lets its in-flight invocations finish; cleanup must wait for that.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};

export const analyzeOptions: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3 },
};

export const cleanupOptions: ActivityOptions = {
  ...CONTROL_PLANE,
  retry: { ...CONTROL_PLANE.retry, maximumAttempts: 30 },
};
