/**
 * Custom search attributes a tuning sets, so runs can be filtered in `list` and the Web UI.
 * The dev server registers them at start-up (`--search-attribute Name=Type`).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TUNING_FUNCTION = defineSearchAttributeKey('TuningFunction', SearchAttributeType.KEYWORD);
export const TUNING_STRATEGY = defineSearchAttributeKey('TuningStrategy', SearchAttributeType.KEYWORD);
export const TUNING_PHASE = defineSearchAttributeKey('TuningPhase', SearchAttributeType.KEYWORD);
export const TUNING_RECOMMENDED_MEMORY = defineSearchAttributeKey(
  'TuningRecommendedMemory',
  SearchAttributeType.INT,
);
/** A scheduled run's drift against the run before it: `none`, `drift` or `first-run` (domain/drift.ts). */
export const TUNING_DRIFT = defineSearchAttributeKey('TuningDrift', SearchAttributeType.KEYWORD);

/** Every custom attribute with its CLI type name, for `temporal server start-dev --search-attribute`. */
export const TUNING_SEARCH_ATTRIBUTES: { name: string; cliType: 'Keyword' | 'Int' }[] = [
  { name: TUNING_FUNCTION.name, cliType: 'Keyword' },
  { name: TUNING_STRATEGY.name, cliType: 'Keyword' },
  { name: TUNING_PHASE.name, cliType: 'Keyword' },
  { name: TUNING_RECOMMENDED_MEMORY.name, cliType: 'Int' },
  { name: TUNING_DRIFT.name, cliType: 'Keyword' },
];

export const DEFAULT_TASK_QUEUE = 'power-tuning';
