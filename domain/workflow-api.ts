/**
 * What a client calls a workflow by, declared once for the worker, the activities and every
 * client: the workflow type names, the queries and the signal. Plain data on purpose: a client
 * imports it without loading @temporalio/workflow's runtime (where `defineQuery` lives).
 */
import type { QueryDefinition, SignalDefinition } from '@temporalio/common';
import type { BatchProgress } from './progress-signal.js';
import type { FleetProgress } from './fleet-types.js';
import type { PayloadSpec, TuningProgress } from './types.js';

/** The names the worker registers (the exports of workflows/index.ts; test/unit/workflow-api.test.ts checks them). */
export const POWER_TUNING_WORKFLOW = 'powerTuning';
export const CLEANUP_FUNCTION_WORKFLOW = 'cleanupFunction';
/** What a tuning schedule starts: a powerTuning child, then the drift against the previous run. */
export const SCHEDULED_TUNING_WORKFLOW = 'scheduledTuning';
/** Many functions, each tuned by a powerTuning child, a bounded number at a time per account and region. */
export const FLEET_TUNING_WORKFLOW = 'fleetTuning';

/** The same object `defineQuery` builds; the type parameter carries the answer's type to callers. */
function queryDefinition<Answer>(name: string): QueryDefinition<Answer> {
  return { type: 'query', name } as QueryDefinition<Answer>;
}

/** The same object `defineSignal` builds. */
function signalDefinition<Args extends unknown[]>(name: string): SignalDefinition<Args> {
  return { type: 'signal', name } as SignalDefinition<Args>;
}

/** The run's phase and per-size counts (answered from workflows/progress.ts's tracker). */
export const progressQuery = queryDefinition<TuningProgress>('progress');
/** The run's inline payload, for the activities that were given only a reference to it (payload-ref.ts). */
export const payloadQuery = queryDefinition<PayloadSpec>('tuningPayload');
/** A fleet's per-function states (answered from workflows/fleet-status.ts). */
export const fleetProgressQuery = queryDefinition<FleetProgress>('fleetProgress');
/** A running batch's progress, sent by the batch itself, paced (domain/progress-signal.ts). */
export const batchProgressSignal = signalDefinition<[BatchProgress]>('batchProgress');
