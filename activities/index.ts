/**
 * Every activity of the power-tuning workflow. Side effects (Lambda, S3) live here and only here.
 */
import { createAwsClients, type AwsClients } from './aws/clients.js';
import { analyzeActivities } from './analyze.js';
import { architectureActivities } from './architecture.js';
import { cleanupActivities } from './cleanup.js';
import { fleetListingActivities } from './fleet-listing.js';
import { driftActivities } from './drift.js';
import { invokeActivities } from './invoke-batch.js';
import { lockActivities } from './lock.js';
import { optimizeActivities } from './optimize.js';
import { orchestrationActivities } from './orchestration.js';
import { prepareActivities } from './prepare.js';
import { createPayloadSource } from './payload-source.js';
import type { ProgressReporter } from './progress-reporter.js';
import type { RunHistoryReader } from './run-history.js';
import { createS3PayloadCache } from './aws/s3-payload.js';
import { setupActivities } from './setup.js';
import { strandedCleanupActivities } from './stranded-cleanup.js';
import { webhookActivities } from './webhook.js';

export interface ActivityDeps {
  aws?: AwsClients;
  /** Whether the worker found (or registered) the custom search attributes. */
  workerHasSearchAttributes?: () => boolean;
  /** Lets long invocation batches signal their progress to the run; without it they only heartbeat. */
  reportProgress?: ProgressReporter;
  /** Lets a run count its own Temporal Cloud actions (input pricePerMillionActions). */
  readRunHistory?: RunHistoryReader;
}

export function createActivities(deps: ActivityDeps = {}) {
  const aws = deps.aws ?? createAwsClients();
  const s3Payloads = createS3PayloadCache(
    aws,
    async () => process.env.AWS_REGION ?? (await aws.defaultRegion()),
  );
  return {
    ...prepareActivities(aws, s3Payloads, deps.workerHasSearchAttributes ?? (() => false)),
    ...lockActivities(aws),
    ...setupActivities(aws),
    ...architectureActivities(aws),
    ...invokeActivities(aws, createPayloadSource(s3Payloads), deps.reportProgress),
    ...analyzeActivities,
    ...optimizeActivities(aws),
    ...cleanupActivities(aws),
    ...strandedCleanupActivities(aws),
    ...fleetListingActivities(aws),
    ...orchestrationActivities(deps.readRunHistory),
    // Scheduled runs: the previous run to compare with, and the drift webhook.
    ...driftActivities(deps.workerHasSearchAttributes ?? (() => false)),
    ...webhookActivities(),
  };
}

export type PowerTuningActivities = ReturnType<typeof createActivities>;
