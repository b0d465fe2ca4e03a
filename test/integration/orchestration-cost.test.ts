/**
 * With pricePerMillionActions, a run counts its own Temporal Cloud actions from its event
 * history (real dev server, emulator) and prices them; without it, nothing more is scheduled.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { actionsCost } from '../../domain/orchestration.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions({ 'priced-fn': { cpuMs: 20, ioWaitMs: 10 } });

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

/** The history-visible actions, counted straight from the proto fields (not through eventFacts). */
function visibleActions(history: History) {
  const events = history.events ?? [];
  const counting = events.filter(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'countRunActions',
  );
  return {
    starts: events.filter((e) => e.workflowExecutionStartedEventAttributes).length,
    attempts: events.reduce((sum, e) => sum + (e.activityTaskStartedEventAttributes?.attempt ?? 0), 0),
    timers: events.filter((e) => e.timerStartedEventAttributes).length,
    signals: events.filter((e) => e.workflowExecutionSignaledEventAttributes).length,
    upserts: events.filter((e) =>
      Object.keys(
        e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
      ).some((k) => k !== 'TemporalChangeVersion'),
    ).length,
    counting: counting.length,
  };
}

describe('orchestration cost', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
  });
  after(async () => h?.stop());

  it('counts the run actions from its history and prices them in executionCost', async () => {
    const handle = await h.start({
      lambdaARN: 'priced-fn',
      num: 5,
      powerValues: [128, 256],
      pricePerMillionActions: 50,
    });
    const out = await handle.result();
    const report = out.orchestration;
    assert.ok(report, 'the output has an orchestration report');
    const { actions } = report;
    const history = visibleActions(await handle.fetchHistory());
    assert.equal(history.counting, 1);
    assert.equal(actions.workflowStarts, history.starts);
    // Everything the history shows; the counting activity's own attempt is in it by now.
    assert.equal(actions.activityAttempts, history.attempts);
    assert.equal(actions.timers, history.timers);
    assert.equal(actions.signals, history.signals);
    assert.equal(actions.searchAttributeUpserts, history.upserts);
    assert.ok(actions.searchAttributeUpserts > 0, 'a run sets its search attributes');
    assert.ok(actions.activityAttempts >= 6, 'lock, inspect, two setups, batches, cleanup at least');
    const parts =
      actions.workflowStarts +
      actions.activityAttempts +
      actions.heartbeats +
      actions.timers +
      actions.signals +
      actions.searchAttributeUpserts +
      actions.childWorkflows +
      actions.updates;
    assert.equal(actions.total, parts);
    assert.equal(report.pricePerMillionActions, 50);
    assert.equal(report.cost, actionsCost(actions.total, 50));
    assert.equal(out.stateMachine.executionCost, report.cost);
    assert.ok(out.stateMachine.executionCost > 0);
  });

  it('without a price: executionCost stays 0 and no counting activity runs', async () => {
    const handle = await h.start({ lambdaARN: 'priced-fn', num: 5, powerValues: [128] });
    const out = await handle.result();
    assert.equal(out.stateMachine.executionCost, 0);
    assert.equal(out.orchestration, undefined);
    assert.equal(visibleActions(await handle.fetchHistory()).counting, 0);
  });
});
