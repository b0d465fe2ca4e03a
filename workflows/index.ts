/** The workflows this worker runs (the worker bundles this file). */
export { powerTuning } from './power-tuning.js';
export { cleanupFunction } from './cleanup-function.js';
export { progressQuery } from './progress.js';
