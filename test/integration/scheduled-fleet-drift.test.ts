/**
 * A fleet schedule end to end, through `powertune schedule create --prefix`, on a real dev server
 * against the emulator: two functions selected by prefix, run twice by the schedule (the first at
 * creation with --run-now, the second by a trigger once the first is done). Between the runs one
 * function becomes three times as CPU-hungry: that function is flagged, the other is not, the run
 * is `TuningDrift = drift`, one webhook POST lists the drifted function, and `list --drift` shows
 * the run with its count of drifted functions. The schedule is deleted at the end, whatever happens.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { UpdateFunctionCodeCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import type { ScheduleHandle } from '@temporalio/client';
import {
  fleetWorkflowIdOf,
  type FleetDriftNotice,
  type ScheduledFleetTuningOutput,
} from '../../domain/fleet-drift.js';
import { TUNING_DRIFT } from '../../domain/search-attributes.js';
import { runCaptured, type Captured } from '../client/support.js';
import { testTemporalAddress } from '../support/env.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

// As in scheduled-drift.test.ts: 128 MB stays the cheapest size before and after the change.
const PROFILE = { cpuMs: 100, ioWaitMs: 100, noise: { distribution: 'normal', size: 3 } };
const CHANGED_PROFILE = { ...PROFILE, cpuMs: 300 };
const CHANGED = 'fleetdrift-changed';
const STEADY = 'fleetdrift-steady';
const functions = writeTestFunctions({ [CHANGED]: PROFILE, [STEADY]: PROFILE, 'other-fn': PROFILE });
const SCHEDULE_ID = `fleet-drift-${crypto.randomBytes(3).toString('hex')}`;

interface Run {
  workflowId: string;
  runId: string;
}

describe('fleet schedules and per-function drift', () => {
  let h: Harness;
  let cliEnv: NodeJS.ProcessEnv;
  const posts: string[] = [];
  const hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      posts.push(body);
      res.writeHead(200).end();
    });
  });

  const cli = (...argv: string[]): Promise<Captured> => runCaptured(argv, { env: cliEnv });

  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    cliEnv = {
      TEMPORAL_ADDRESS: await testTemporalAddress(),
      TEMPORAL_NAMESPACE: h.namespace,
      TEMPORAL_TASK_QUEUE: h.taskQueue,
    };
  });

  after(async () => {
    // Never leave a schedule (or a run of one) behind on the shared server.
    const handle = h?.client.schedule.getHandle(SCHEDULE_ID);
    const running = await handle
      ?.describe()
      .then((d) => d.info.runningActions)
      .catch(() => []);
    await handle?.delete().catch(() => undefined);
    for (const action of running ?? [])
      await h.client.workflow
        .getHandle(action.workflow.workflowId)
        .terminate('test over')
        .catch(() => undefined);
    hook.close();
    hook.closeAllConnections();
    await h?.stop();
  });

  /** The schedule's `count`-th action, once it has started (bounded wait). */
  async function action(handle: ScheduleHandle, count: number): Promise<Run> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const taken = (await handle.describe()).info.recentActions;
      const found = taken[count - 1];
      if (found)
        return {
          workflowId: found.action.workflow.workflowId,
          runId: found.action.workflow.firstExecutionRunId,
        };
      assert.ok(Date.now() < deadline, `${handle.scheduleId} took ${taken.length} actions, not ${count}`);
      await sleep(200);
    }
  }

  const result = (run: Run) =>
    h.client.workflow.getHandle(run.workflowId, run.runId).result() as Promise<ScheduledFleetTuningOutput>;

  it('flags only the function whose profile changed, and the run as drift', async () => {
    const webhook = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/drift`;
    const created = await cli(
      'schedule',
      'create',
      ...['--prefix', 'fleetdrift-', '--concurrency', '2'],
      ...['--every', '1h', '--num', '5', '--power-values', '128,256'],
      ...['--webhook', webhook, '--id', SCHEDULE_ID, '--paused', '--run-now'],
    );
    assert.equal(created.code, 0, created.stderr);
    assert.match(
      created.stdout,
      new RegExp(`^Created schedule ${SCHEDULE_ID}: tunes prefix "fleetdrift-" every 1h \\(2 memory sizes`),
    );

    const handle = h.client.schedule.getHandle(SCHEDULE_ID);
    const first = await action(handle, 1);
    const firstOutput = await result(first);
    assert.equal(firstOutput.drift.status, 'first-run');
    assert.equal(firstOutput.fleet.workflowId, fleetWorkflowIdOf(first.workflowId));
    assert.deepEqual(firstOutput.output.functions.map((f) => [f.functionName, f.status]).sort(), [
      [CHANGED, 'tuned'],
      [STEADY, 'tuned'],
    ]);
    assert.deepEqual(
      firstOutput.drift.functions.map((f) => f.status),
      ['first-run', 'first-run'],
    );

    const lambda = lambdaClient(h.emulator.url);
    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: CHANGED,
        ZipFile: Buffer.from(JSON.stringify(CHANGED_PROFILE)),
      }),
    );
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: CHANGED });
    await handle.trigger();
    const second = await action(handle, 2);
    const secondOutput = await result(second);

    assert.equal(secondOutput.previous?.workflowId, first.workflowId);
    assert.equal(secondOutput.drift.status, 'drift', secondOutput.drift.statement);
    assert.deepEqual(secondOutput.drift.drifted, [CHANGED]);
    const byName = new Map(secondOutput.drift.functions.map((f) => [f.functionName, f]));
    const changed = byName.get(CHANGED);
    const steady = byName.get(STEADY);
    assert.equal(changed?.status, 'drift', changed?.statement);
    assert.match(
      changed?.statement ?? '',
      /^Drift: The recommended size's cost per invocation moved beyond noise/,
    );
    assert.equal(steady?.status, 'none', steady?.statement);
    const previousChild = firstOutput.output.functions.find((f) => f.functionName === CHANGED);
    assert.equal(changed?.previousTuningWorkflowId, previousChild?.childWorkflowId);

    const attribute = async (run: Run) =>
      (await h.client.workflow.getHandle(run.workflowId, run.runId).describe()).typedSearchAttributes.get(
        TUNING_DRIFT,
      );
    assert.equal(await attribute(first), 'first-run');
    assert.equal(await attribute(second), 'drift');

    // One POST, for the drifted run, listing the drifted function only (no codec key here: JSON).
    assert.equal(posts.length, 1);
    const notice = JSON.parse(posts[0]!) as FleetDriftNotice;
    assert.equal(notice.type, 'powertune.fleet-drift');
    assert.equal(notice.scheduleId, SCHEDULE_ID);
    assert.deepEqual(
      notice.functions.map((f) => f.functionName),
      [CHANGED],
    );
    assert.equal(notice.workflow.workflowId, second.workflowId);

    // `powertune list --drift`: one row for the run, with its fleet and its count (visibility lags a little).
    let listed: { workflowId: string; tuningWorkflowId?: string; driftedFunctions?: unknown }[] = [];
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(300)) {
      const out = await cli(
        'list',
        '--drift',
        '--json',
        '--query',
        `TemporalScheduledById = "${SCHEDULE_ID}"`,
      );
      assert.equal(out.code, 0, out.stderr);
      listed = JSON.parse(out.stdout) as typeof listed;
      if (listed.length > 0) break;
    }
    assert.deepEqual(
      listed.map((r) => [r.workflowId, r.tuningWorkflowId, r.driftedFunctions]),
      [[second.workflowId, secondOutput.fleet.workflowId, { drifted: 1, of: 2 }]],
    );

    const deleted = await cli('schedule', 'delete', SCHEDULE_ID);
    assert.equal(deleted.code, 0, deleted.stderr);
  });
});
