/** "Cost of this tuning": the Lambda time, and the Temporal Cloud actions when the run priced them. */
import type { TuningOutput } from '../../domain/types.js';
import { groupDigits } from '../../domain/describe.js';
import { formatMoney } from './units.js';

export function tuningCostText(output: TuningOutput): string {
  const lambda = `${formatMoney(output.stateMachine.lambdaCost, output.currency)} of Lambda time`;
  const o = output.orchestration;
  if (!o) return `Cost of this tuning: ${lambda}`;
  const actions = `${groupDigits(o.actions.total)} actions at ${formatMoney(o.pricePerMillionActions, output.currency)} per million`;
  return `Cost of this tuning: ${lambda} and ${formatMoney(o.cost, output.currency)} of Temporal Cloud actions (${actions}, ${groupDigits(o.actions.heartbeats)} of them estimated heartbeats)`;
}
