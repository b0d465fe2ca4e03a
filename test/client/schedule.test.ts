/**
 * `powertune schedule` without a server: every bad flag and bad tuning input is refused (exit 2,
 * naming the flag and what is accepted) before any connection is made, intervals read and print
 * back, the list renders, and `list --drift` asks visibility for the drifted scheduled runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildListQuery } from '../../client/api.js';
import { listEntry, renderTuningList } from '../../client/cli/list.js';
import { renderScheduleList } from '../../client/cli/schedule.js';
import {
  defaultScheduleId,
  formatInterval,
  parseInterval,
  validateScheduleRequest,
} from '../../client/schedules.js';
import { InputErrors } from '../../domain/errors.js';
import { runCaptured } from './support.js';

/** Exit 2 with this message, and no attempt to connect (the test address has no server). */
async function refused(argv: string[], message: RegExp): Promise<void> {
  const out = await runCaptured(argv);
  assert.equal(out.code, 2, `${argv.join(' ')}: ${out.stderr}`);
  assert.match(out.stderr, message);
  assert.doesNotMatch(out.stderr, /cannot connect/);
  assert.equal(out.stdout, '');
}

const create = (...flags: string[]) => ['schedule', 'create', 'my-fn', '--num', '5', ...flags];

describe('schedule create refuses bad input before creating anything', () => {
  it('needs --every, as a duration', async () => {
    await refused(
      ['schedule', 'create', 'my-fn', '--num', '5'],
      /required option '--every <duration>' not specified/,
    );
    await refused(
      create('--every', '7x'),
      /error: --every: "7x" is not a duration\. Accepted: a whole number followed by s, m, h or d, such as 30s, 15m, 12h or 7d, from 1s to 366d\./,
    );
    await refused(create('--every', '0s'), /--every: 0s is out of range/);
    await refused(create('--every', '400d'), /--every: 400d is out of range/);
  });

  it('checks the tuning input with the workflow’s validator, naming the flag', async () => {
    await refused(
      ['schedule', 'create', 'my-fn', '--num', '2', '--every', '7d'],
      /error: invalid input: --num: .*Accepted: .*5/,
    );
    await refused(['schedule', 'create', '--every', '7d', '--num', '5'], /lambdaARN|<function>/);
  });

  it('accepts only http(s) webhooks and percentages of regression', async () => {
    await refused(
      create('--every', '1d', '--webhook', 'ftp://hooks.example.com/x'),
      /error: --webhook: the scheme "ftp" is not allowed\. Accepted: an absolute http:\/\/ or https:\/\/ URL/,
    );
    await refused(
      create('--every', '1d', '--webhook', 'hooks.example.com'),
      /--webhook: "hooks\.example\.com" is not a URL/,
    );
    await refused(
      create('--every', '1d', '--max-regression', 'ten'),
      /--max-regression: expected a percentage/,
    );
    await refused(
      create('--every', '1d', '--max-regression', '2000%'),
      /--max-regression: expected a percentage from 0 to 1000%, got "2000%"/,
    );
  });

  it('checks schedule ids', async () => {
    await refused(
      create('--every', '1d', '--id', 'has space'),
      /--id: "has space" is not a schedule id\. Accepted: 1 to 200 characters/,
    );
    await refused(['schedule', 'pause', '-x'], /unknown option '-x'/);
    await refused(['schedule', 'delete', 'no/slash'], /<schedule-id>: "no\/slash" is not a schedule id/);
  });
});

describe('schedule helpers', () => {
  it('reads and prints intervals in s, m, h and d', () => {
    assert.equal(parseInterval('30s'), 30_000);
    assert.equal(parseInterval('15m'), 900_000);
    assert.equal(parseInterval(' 12h '), 43_200_000);
    assert.equal(parseInterval('7d'), 604_800_000);
    assert.equal(formatInterval(604_800_000), '7d');
    assert.equal(formatInterval(90_000), '90s');
    assert.equal(formatInterval(parseInterval('120m')), '2h');
    assert.throws(() => parseInterval('1.5h'), /"1\.5h" is not a duration/);
  });

  it('names every bad field of a request at once', () => {
    assert.throws(
      () =>
        validateScheduleRequest(
          { lambdaARN: 'fn', num: 1 },
          { every: 'weekly', maxRegression: -0.1, webhook: 'x' },
        ),
      (err: unknown) => {
        assert.ok(err instanceof InputErrors);
        assert.deepEqual(err.fields, ['num', 'every', 'maxRegression', 'webhook']);
        return true;
      },
    );
    assert.equal(
      validateScheduleRequest({ lambdaARN: 'fn', num: 5 }, { every: '7d' }).drift.maxRegression,
      0.1,
    );
  });

  it('gives one schedule per function by default', () => {
    assert.equal(defaultScheduleId('orders'), 'powertune-schedule-orders');
    assert.equal(
      defaultScheduleId('arn:aws:lambda:us-east-1:1:function:x'),
      'powertune-schedule-arn-aws-lambda-us-east-1-1-function-x',
    );
  });

  it('renders the list with the state and the next run of active schedules only', () => {
    const text = renderScheduleList(
      [
        {
          scheduleId: 'powertune-schedule-a',
          functionName: 'a',
          strategy: 'cost',
          every: '7d',
          paused: false,
          nextRunAt: new Date('2026-03-01T00:00:00Z'),
          lastRunAt: new Date('2026-02-22T00:00:00Z'),
        },
        { scheduleId: 'b', every: '1h', paused: true, nextRunAt: new Date('2026-03-01T01:00:00Z') },
      ],
      'UTC',
    );
    const rows = text
      .split('\n')
      .filter((line) => line.startsWith('│'))
      .map((line) =>
        line
          .split('│')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    assert.deepEqual(rows, [
      ['Schedule ID', 'Function', 'Strategy', 'Every', 'State', 'Last run', 'Next run'],
      [
        'powertune-schedule-a',
        'a',
        'cost',
        '7d',
        'active',
        '2026-02-22 00:00:00 UTC',
        '2026-03-01 00:00:00 UTC',
      ],
      ['b', '-', '-', '1h', 'paused', '-', '-'],
    ]);
  });

  it('list --drift shows each drifted run’s drift and the tuning result, report and compare take', () => {
    const entry = listEntry({
      workflowId: 'powertune-schedule-orders-2026-03-01T00:00:00Z',
      runId: 'r1',
      status: 'COMPLETED',
      startTime: new Date('2026-03-01T00:00:00Z'),
      closeTime: new Date('2026-03-01T00:01:05Z'),
      taskQueue: 'power-tuning',
      functionName: 'orders',
      strategy: 'cost',
      recommendedMemory: 512,
      drift: 'drift',
      tuningWorkflowId: 'powertune-schedule-orders-2026-03-01T00:00:00Z-tuning',
    });
    assert.equal(entry.drift, 'drift');
    const rows = renderTuningList([entry], { timeZone: 'UTC' })
      .split('\n')
      .filter((line) => line.startsWith('│'))
      .map((line) =>
        line
          .split('│')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    assert.deepEqual(rows[0]?.slice(-2), ['Drift', 'Tuning ID']);
    assert.deepEqual(rows[1]?.slice(-2), ['drift', 'powertune-schedule-orders-2026-03-01T00:00:00Z-tuning']);
    assert.equal(rows[1]?.[5], '512 MB');
  });

  it('list --drift asks for the scheduled runs flagged as drift', () => {
    assert.equal(
      buildListQuery({ drift: true }),
      'WorkflowType = "scheduledTuning" AND TuningDrift = "drift"',
    );
    assert.equal(
      buildListQuery({ drift: true, functionName: 'orders' }),
      'WorkflowType = "scheduledTuning" AND TuningDrift = "drift" AND TuningFunction = "orders"',
    );
  });
});
