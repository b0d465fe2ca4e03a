/** The analysis step: statistics, costs, the strategy's choice and the visualization link. */
import { ApplicationFailure } from '@temporalio/common';
import { NoFeasiblePowerError, analyzeTuning } from '../domain/analysis.js';
import { summariseInvocations } from '../domain/sample-summary.js';
import type { TuningOutput } from '../domain/types.js';
import type { AnalyzeInput } from './types.js';

export const analyzeActivities = {
  async analyzeResults(input: AnalyzeInput): Promise<TuningOutput> {
    try {
      return analyzeTuning({
        config: input.config,
        functionName: input.snapshot.functionName,
        region: input.snapshot.region,
        architecture: input.snapshot.architecture,
        results: input.results.map(({ power, invocations, infeasibleReason }) => ({
          power,
          summary: summariseInvocations(invocations),
          infeasibleReason,
        })),
      });
    } catch (err) {
      if (err instanceof NoFeasiblePowerError)
        throw ApplicationFailure.nonRetryable(err.message, 'NoFeasiblePowerValue');
      throw err;
    }
  },
};
