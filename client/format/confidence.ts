/**
 * What backs a recommendation, in the words every view uses (terminal, HTML report): how sure
 * the decision is, which sizes could not be told apart from the choice, and how many
 * invocations it took against the fixed grid. Results of older runs have none of it.
 */
import type { DecisionConfidence, TuningOutput } from '../../domain/types.js';
import { formatLevel } from './units.js';

const STOP_TEXT: Record<NonNullable<DecisionConfidence['stop']>, string> = {
  'grid-complete': 'every planned invocation made',
  settled: 'stopped once settled',
  'budget-spent': 'invocation budget spent',
  'nothing-feasible': 'no size left to measure',
};

/** `95% confidence, tolerance 5%, adaptive sampling, stopped once settled`. */
export function confidenceTerms(c: DecisionConfidence): string {
  return [
    `${formatLevel(c.level)} confidence`,
    `tolerance ${formatLevel(c.tolerance)}`,
    `${c.policy} sampling`,
    ...(c.stop ? [STOP_TEXT[c.stop]] : []),
  ].join(', ');
}

/** Sizes the decision could not tell apart from the choice, the choice itself left out. */
export function equivalentToChoice(output: TuningOutput): number[] {
  return (output.equivalentSizes ?? []).filter((p) => p !== output.power);
}

/**
 * `150 spent / 150 grid (num × sizes)`, or undefined for older runs. A model exploration's grid is
 * the exhaustive one every 64 MB of its range, which it did not run.
 */
export function invocationsText(output: TuningOutput): string | undefined {
  if (output.invocationsSpent === undefined) return undefined;
  const what = output.exploration ? 'on the 64-MB grid of the range (num × sizes)' : 'grid (num × sizes)';
  const grid = output.gridInvocations === undefined ? '' : ` / ${output.gridInvocations} ${what}`;
  return `${output.invocationsSpent} spent${grid}`;
}

/**
 * The statement without a leading "Not settled:", for views that already show whether the
 * decision is settled next to it (the words would otherwise appear twice in a row).
 */
export function statementBody(c: DecisionConfidence): string {
  const body = c.statement.replace(/^not settled:\s*/i, '');
  return body.charAt(0).toUpperCase() + body.slice(1);
}
