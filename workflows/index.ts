/**
 * The workflows this worker runs (the worker bundles this file). Clients start them by these
 * export names, declared for them in domain/workflow-api.ts.
 */
export { powerTuning } from './power-tuning.js';
export { cleanupFunction } from './cleanup-function.js';
export { fleetTuning } from './fleet-tuning.js';
export { scheduledTuning } from './scheduled-tuning.js';
