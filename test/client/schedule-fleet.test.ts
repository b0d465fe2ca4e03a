/**
 * `powertune schedule create` of a fleet selection without a server: a function and a selection
 * together, neither, fleet-only flags without a selection and bad fleet input are refused (exit
 * 2, naming the flag) before any connection; the default id follows the selection; and
 * `list --drift` shows a fleet run's count of drifted functions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listEntry, renderTuningList } from '../../client/cli/list.js';
import { defaultFleetScheduleId, validateFleetScheduleRequest } from '../../client/schedules.js';
import { InputErrors } from '../../domain/errors.js';
import { runCaptured } from './support.js';

async function refused(argv: string[], message: RegExp): Promise<void> {
  const out = await runCaptured(argv);
  assert.equal(out.code, 2, `${argv.join(' ')}: ${out.stderr}`);
  assert.match(out.stderr, message);
  assert.doesNotMatch(out.stderr, /cannot connect/);
  assert.equal(out.stdout, '');
}

const create = (...flags: string[]) => ['schedule', 'create', '--every', '7d', '--num', '5', ...flags];

describe('schedule create of a fleet refuses bad input before creating anything', () => {
  it('takes exactly one of a function and a selection', async () => {
    await refused(
      ['schedule', 'create', 'my-fn', '--prefix', 'orders-', '--every', '7d', '--num', '5'],
      /error: <function> "my-fn" and --prefix, --functions or --tag are both given/,
    );
    await refused(
      create('--prefix', 'orders-', '--lambda-arn', 'my-fn'),
      /error: --lambda-arn: a fleet selects its functions with --prefix, --functions or --tag/,
    );
    await refused(create(), /error: <function>: missing\. Accepted: .*--prefix, --functions or --tag/);
    await refused(
      create('--prefix', 'orders-', '--tag', 'team=orders'),
      /error: invalid input: --prefix, --functions or --tag: "prefix" and "tags" are both set/,
    );
  });

  it('refuses fleet-only flags for one function', async () => {
    await refused(
      ['schedule', 'create', 'my-fn', '--concurrency', '2', '--every', '7d', '--num', '5'],
      /error: --concurrency: only with a fleet selection/,
    );
  });

  it('checks the fleet and the tuning with the workflow’s validators, naming the flag', async () => {
    await refused(
      create('--prefix', 'orders-', '--concurrency', '99'),
      /error: invalid input: --concurrency: /,
    );
    await refused(
      create('--prefix', 'no spaces'),
      /error: invalid input: --prefix: "no spaces" cannot start/,
    );
    await refused(
      ['schedule', 'create', '--prefix', 'orders-', '--every', '7d', '--num', '2'],
      /error: invalid input: --num: .*Accepted: .*5/,
    );
    await refused(create('--prefix', 'orders-', '--every', '7x'), /error: --every: "7x" is not a duration/);
  });

  it('names every bad field of a fleet request at once', () => {
    assert.throws(
      () => validateFleetScheduleRequest({ tuning: { num: 5 } }, { every: '0s', maxRegression: -1 }),
      (err: unknown) =>
        err instanceof InputErrors &&
        err.errors.map((e) => e.field).join(',') === 'selector,every,maxRegression',
    );
  });

  it('gives one schedule per selection by default', () => {
    assert.equal(defaultFleetScheduleId('prefix "orders-"'), 'powertune-schedule-fleet-prefix-orders');
    assert.equal(defaultFleetScheduleId('tags team=orders'), 'powertune-schedule-fleet-tags-team-orders');
  });

  it('list --drift shows how many of a fleet run’s functions drifted, and its fleet', () => {
    const entry = listEntry({
      workflowId: 'powertune-schedule-fleet-x-2026-03-01T00:00:00Z',
      runId: 'r1',
      status: 'COMPLETED',
      startTime: new Date('2026-03-01T00:00:00Z'),
      closeTime: new Date('2026-03-01T00:01:05Z'),
      taskQueue: 'power-tuning',
      functionName: 'prefix "x"',
      drift: 'drift',
      tuningWorkflowId: 'powertune-schedule-fleet-x-2026-03-01T00:00:00Z-fleet',
      driftedFunctions: { drifted: 1, of: 3 },
    });
    const rows = renderTuningList([entry], { timeZone: 'UTC' })
      .split('\n')
      .filter((line) => line.startsWith('│'))
      .map((line) =>
        line
          .split('│')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    assert.deepEqual(rows[1]?.slice(-2), [
      'drift (1 of 3 functions)',
      'powertune-schedule-fleet-x-2026-03-01T00:00:00Z-fleet',
    ]);
  });
});
