/** Counting a run's billable Temporal Cloud actions from its history, and their price. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionsCost, countBillableActions, type HistoryEventFacts } from '../../domain/orchestration.js';
import { validateInput } from '../../domain/validate.js';
import { tuningCostText } from '../../client/format/tuning-cost.js';
import type { TuningOutput } from '../../domain/types.js';

const THROTTLE = 3_000;

describe('billable actions', () => {
  it('counts each kind as Temporal Cloud bills it', () => {
    const events: HistoryEventFacts[] = [
      { type: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' },
      { type: 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', upsertedKeys: ['TuningPhase'] },
      // A patch only: not billed.
      { type: 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', upsertedKeys: ['TemporalChangeVersion'] },
      { type: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED' },
      // Third attempt: the two failed ones before it were billed too.
      { type: 'EVENT_TYPE_ACTIVITY_TASK_STARTED', attempt: 3, scheduledEventId: 4, timeMs: 10_000 },
      { type: 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED', scheduledEventId: 4, timeMs: 17_500 },
      { type: 'EVENT_TYPE_TIMER_STARTED' },
      { type: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED' },
      { type: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED' },
      { type: 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED' },
      { type: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED' },
      { type: 'EVENT_TYPE_MARKER_RECORDED' },
      { type: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED' },
      { type: 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED' },
    ];
    assert.deepEqual(countBillableActions(events, THROTTLE), {
      total: 1 + 1 + 3 + 2 + 1 + 2 + 2 + 1,
      workflowStarts: 1,
      searchAttributeUpserts: 1,
      activityAttempts: 3,
      // 7.5 s of running time at one beat per 3 s.
      heartbeats: 2,
      timers: 1,
      signals: 2,
      childWorkflows: 2,
      updates: 1,
    });
  });

  it('reads the API names with or without the prefix, and adds attempts not yet in the history', () => {
    const events: HistoryEventFacts[] = [
      { type: 'WorkflowExecutionStarted' },
      { type: 'ActivityTaskStarted', scheduledEventId: 2, timeMs: 0 },
      { type: 'ActivityTaskFailed', scheduledEventId: 2, timeMs: 2_999 },
    ];
    const count = countBillableActions(events, THROTTLE, 1);
    assert.equal(count.workflowStarts, 1);
    assert.equal(count.activityAttempts, 2);
    assert.equal(count.heartbeats, 0);
    assert.equal(count.total, 3);
  });

  it('an activity still running (no closing event) adds no heartbeat estimate', () => {
    const count = countBillableActions(
      [{ type: 'ActivityTaskStarted', attempt: 1, scheduledEventId: 2, timeMs: 0 }],
      THROTTLE,
    );
    assert.equal(count.heartbeats, 0);
    assert.equal(count.total, 1);
  });

  it('prices a million actions at the price per million', () => {
    assert.equal(actionsCost(1_000_000, 50), 50);
    assert.equal(actionsCost(120, 50), 0.006);
    assert.equal(actionsCost(120, 0), 0);
  });
});

describe('pricePerMillionActions', () => {
  it('is read into the config, and refused when not a price', () => {
    const base = { lambdaARN: 'fn', num: 5 };
    assert.equal(validateInput({ ...base, pricePerMillionActions: 50 }).pricePerMillionActions, 50);
    assert.equal(validateInput(base).pricePerMillionActions, undefined);
    for (const bad of [-1, 5000, '50', null]) {
      assert.throws(
        () => validateInput({ ...base, pricePerMillionActions: bad }),
        /Invalid input "pricePerMillionActions": .*Accepted: a number from 0 to 1000/,
      );
    }
  });
});

describe('the cost line', () => {
  const output = {
    currency: 'USD',
    stateMachine: { executionCost: 0, lambdaCost: 0.0123, visualization: '' },
  } as unknown as TuningOutput;

  it('shows only Lambda time without a price', () => {
    assert.equal(tuningCostText(output), 'Cost of this tuning: $0.0123 of Lambda time');
  });

  it('adds the Temporal Cloud actions beside it when the run priced them', () => {
    const priced = {
      ...output,
      orchestration: {
        pricePerMillionActions: 50,
        cost: 0.0615,
        actions: { total: 1230, heartbeats: 400 },
      },
    } as unknown as TuningOutput;
    assert.equal(
      tuningCostText(priced),
      'Cost of this tuning: $0.0123 of Lambda time and $0.0615 of Temporal Cloud actions (1,230 actions at $50.00 per million, 400 of them estimated heartbeats)',
    );
  });
});
