/** The workflows this worker runs (the worker bundles this file). */
export { powerTuning } from './power-tuning.js';
export { progressQuery } from './progress.js';
