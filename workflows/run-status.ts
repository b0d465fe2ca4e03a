/**
 * What a running tuning shows of itself: the `progress` and payload queries, the Web UI's
 * current details, and the search attributes (once the worker's namespace has them); and what it
 * hears of itself: the progress its running batches signal.
 */
import { setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { FunctionFacts } from '../activities/types.js';
import {
  TUNING_FUNCTION,
  TUNING_PHASE,
  TUNING_RECOMMENDED_MEMORY,
  TUNING_STRATEGY,
} from '../domain/search-attributes.js';
import type { TuningConfig, TuningOutput, TuningProgress } from '../domain/types.js';
import { batchProgressSignal, payloadQuery, progressQuery } from '../domain/workflow-api.js';
import { ProgressTracker } from './progress.js';

export type Phase = TuningProgress['phase'];

export class RunStatus {
  readonly progress: ProgressTracker;
  private searchAttributes = false;

  constructor(config: TuningConfig, invocationsPerSize: number) {
    this.progress = new ProgressTracker(config.lambdaARN);
    setHandler(progressQuery, () => this.progress.snapshot());
    // Activities ask for the inline payload instead of carrying it (domain/payload-ref.ts).
    setHandler(payloadQuery, () => config.payload);
    // Long batches tell how far they got; no commands, so recorded histories replay unchanged.
    setHandler(batchProgressSignal, (batch) => this.progress.batchProgress(batch));
    this.progress.start(config.powerValues, invocationsPerSize);
  }

  /** Names the function and strategy in the search attributes, when the namespace has them. */
  identify(facts: FunctionFacts, config: TuningConfig, workerHasSearchAttributes: boolean): void {
    this.searchAttributes = workerHasSearchAttributes;
    if (!this.searchAttributes) return;
    upsertSearchAttributes([
      { key: TUNING_FUNCTION, value: facts.functionName },
      { key: TUNING_STRATEGY, value: config.strategy },
    ]);
  }

  enter(phase: Phase): void {
    this.progress.enter(phase);
    if (this.searchAttributes) upsertSearchAttributes([{ key: TUNING_PHASE, value: phase }]);
  }

  phase(): Phase {
    return this.progress.currentPhase();
  }

  recommend(output: TuningOutput): void {
    this.progress.recommend(output);
    if (this.searchAttributes && output.power !== null)
      upsertSearchAttributes([{ key: TUNING_RECOMMENDED_MEMORY, value: output.power }]);
  }
}
