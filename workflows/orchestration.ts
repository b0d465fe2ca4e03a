/**
 * With a price per million actions, the run's last step counts its own Temporal Cloud actions
 * (activities/orchestration.ts) and prices them, as the original priced its state transitions.
 */
import { isCancellation, log, proxyActivities } from '@temporalio/workflow';
import type { PowerTuningActivities } from '../activities/index.js';
import { actionsCost } from '../domain/orchestration.js';
import type { TuningOutput } from '../domain/types.js';

const { countRunActions } = proxyActivities<PowerTuningActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

/**
 * The output with the run's actions and their cost. The tuning itself is done by then: when the
 * count fails, the output is returned as it is (executionCost 0) and the failure is logged.
 */
export async function withOrchestrationCost(
  output: TuningOutput,
  pricePerMillionActions: number,
): Promise<TuningOutput> {
  try {
    const actions = await countRunActions();
    const cost = actionsCost(actions.total, pricePerMillionActions);
    return {
      ...output,
      stateMachine: { ...output.stateMachine, executionCost: cost },
      orchestration: { actions, pricePerMillionActions, cost },
    };
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.warn('Could not count the run actions; executionCost stays 0', { error: String(err) });
    return output;
  }
}
