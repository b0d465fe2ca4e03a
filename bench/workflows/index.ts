/** The benchmark worker's workflows: the product workflow plus the naive design it is compared with. */
export { powerTuning } from '../../workflows/power-tuning.js';
export { naivePowerTuning } from './naive-power-tuning.js';
