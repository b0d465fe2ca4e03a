/**
 * Fleet schedules' pure rules: which input takes the fleet path, its validation (every bad field
 * named, the fleet's as `fleet.<field>`), which functions are compared with which, the run-level
 * verdict, and the memo `list --drift` reads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputErrors } from '../../domain/errors.js';
import {
  FLEET_DRIFT_MEMO,
  fleetDriftMemoOf,
  fleetWorkflowIdOf,
  isScheduledFleetInput,
  pairFunctions,
  summarizeFleetDrift,
  validateScheduledFleetInput,
  type FunctionDriftVerdict,
} from '../../domain/fleet-drift.js';
import type { FleetFunctionResult, FleetFunctionStatus, FleetOutput } from '../../domain/fleet-types.js';

function row(name: string, status: FleetFunctionStatus, run: string): FleetFunctionResult {
  return {
    functionName: name,
    functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    region: 'us-east-1',
    accountId: '123456789012',
    status,
    childWorkflowId: `${run}-${name}`,
    ...(status === 'tuned' ? { childRunId: `${run}-${name}-run` } : {}),
  };
}

function fleet(...functions: FleetFunctionResult[]): FleetOutput {
  return {
    selection: 'prefix "a"',
    concurrency: 2,
    strategy: 'cost',
    functions,
    counts: { tuned: 0, failed: 0, locked: 0, cancelled: 0 },
    savings: [],
  };
}

function verdict(name: string, status: FunctionDriftVerdict['status']): FunctionDriftVerdict {
  return { functionName: name, functionArn: name, status, statement: status, tuningWorkflowId: `t-${name}` };
}

describe('fleet schedule input', () => {
  it('takes the fleet path only when the input has a fleet', () => {
    assert.equal(isScheduledFleetInput({ scheduleId: 's', tuning: { lambdaARN: 'f', num: 5 } }), false);
    assert.equal(
      isScheduledFleetInput({ scheduleId: 's', fleet: { prefix: 'a', tuning: { num: 5 } } }),
      true,
    );
    assert.equal(isScheduledFleetInput('fleet'), false);
  });

  it('validates the fleet with the fleet’s own rules and defaults drift', () => {
    const settings = validateScheduledFleetInput({
      scheduleId: 's',
      fleet: { prefix: 'orders-', concurrency: 2, tuning: { num: 5 } },
    });
    assert.deepEqual(settings.fleet.selector, { kind: 'prefix', prefix: 'orders-' });
    assert.equal(settings.fleet.concurrency, 2);
    assert.equal(settings.drift.maxRegression, 0.1);
  });

  it('names every bad field at once, the fleet’s under fleet.', () => {
    assert.throws(
      () =>
        validateScheduledFleetInput({
          scheduleId: '',
          tuning: { lambdaARN: 'f', num: 5 },
          fleet: { prefix: 'a', tags: { t: 'v' }, concurrency: 0, tuning: { num: 2 } },
          drift: { maxRegression: -1 },
        }),
      (err: unknown) => {
        assert.ok(err instanceof InputErrors);
        assert.deepEqual(err.errors.map((e) => e.field).sort(), [
          'fleet.concurrency',
          'fleet.selector',
          'fleet.tuning.num',
          'maxRegression',
          'scheduleId',
          'tuning',
        ]);
        return true;
      },
    );
  });

  it('gives each run’s fleet its own id', () => {
    assert.equal(fleetWorkflowIdOf('sched-2026-03-01T00:00:00Z'), 'sched-2026-03-01T00:00:00Z-fleet');
  });
});

describe('fleet drift', () => {
  it('pairs each function tuned now with its tuning of the previous run, when it was tuned then', () => {
    const previous = fleet(row('a', 'tuned', 'p'), row('b', 'failed', 'p'), row('gone', 'tuned', 'p'));
    const current = fleet(row('a', 'tuned', 'c'), row('b', 'tuned', 'c'), row('c', 'locked', 'c'));
    assert.deepEqual(pairFunctions(previous, current), [
      {
        functionName: 'a',
        functionArn: row('a', 'tuned', 'c').functionArn,
        current: { workflowId: 'c-a', runId: 'c-a-run' },
        previous: { workflowId: 'p-a', runId: 'p-a-run' },
      },
      {
        functionName: 'b',
        functionArn: row('b', 'tuned', 'c').functionArn,
        current: { workflowId: 'c-b', runId: 'c-b-run' },
      },
    ]);
    assert.deepEqual(
      pairFunctions(undefined, current).map((p) => p.previous),
      [undefined, undefined],
    );
  });

  it('drifts when any function drifted, naming them', () => {
    const summary = summarizeFleetDrift(
      [verdict('a', 'none'), verdict('b', 'drift'), verdict('c', 'first-run')],
      true,
    );
    assert.equal(summary.status, 'drift');
    assert.deepEqual(summary.drifted, ['b']);
    assert.equal(summary.statement, 'Drift in 1 of 3 functions: b.');
  });

  it('is no drift with a previous run, and a first run without one', () => {
    const none = summarizeFleetDrift([verdict('a', 'none'), verdict('c', 'first-run')], true);
    assert.equal(none.status, 'none');
    assert.match(none.statement, /^No drift: 1 of 2 functions compared/);
    assert.equal(summarizeFleetDrift([verdict('a', 'first-run')], false).status, 'first-run');
    // A previous run whose functions all failed still makes this run a comparison, not a first run.
    assert.equal(summarizeFleetDrift([], true).status, 'none');
  });

  it('reads the memo list --drift shows, ignoring anything malformed', () => {
    const memo = { fleetWorkflowId: 'x-fleet', drifted: 1, functions: 2 };
    assert.deepEqual(fleetDriftMemoOf({ [FLEET_DRIFT_MEMO]: memo }), memo);
    assert.equal(fleetDriftMemoOf(undefined), undefined);
    assert.equal(fleetDriftMemoOf({ [FLEET_DRIFT_MEMO]: { ...memo, drifted: '1' } }), undefined);
  });
});
