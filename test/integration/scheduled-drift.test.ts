/**
 * Tuning schedules end to end, through the `powertune schedule` commands, on a real dev server
 * against the emulator, with payload encryption on: two schedules every 2 s, each run twice by
 * its schedule (the first right at creation, the second by the interval). Between the runs one
 * function becomes three times as CPU-hungry; its second run is flagged as drift (output, the
 * TuningDrift search attribute, `list --drift`, an encrypted webhook POST), while the unchanged
 * function's is not. The schedules are deleted at the end, whatever happens.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { UpdateFunctionCodeCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { Client, type ScheduleHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { dataConverterFromEnv } from '../../codec/data-converter.js';
import { payloadsFromJson } from '../../codec/server.js';
import { tuningWorkflowIdOf, type DriftNotice, type ScheduledTuningOutput } from '../../domain/drift.js';
import { TUNING_DRIFT } from '../../domain/search-attributes.js';
import { runCaptured, type Captured } from '../client/support.js';
import { testTemporalAddress } from '../support/env.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

// Encryption for the whole file, set before the harness bundles the workflows and starts the worker.
const KEY_ENV = { PT_CODEC_KEY: crypto.randomBytes(32).toString('base64'), PT_CODEC_KEY_ID: 'drift-test' };
Object.assign(process.env, KEY_ENV);

// I/O and some CPU: 128 MB is the cheapest size by about 7%, clearly, before and after the change.
const PROFILE = { cpuMs: 100, ioWaitMs: 100, noise: { distribution: 'normal', size: 3 } };
const CHANGED_PROFILE = { ...PROFILE, cpuMs: 300 };
const functions = writeTestFunctions({ 'drift-changed': PROFILE, 'drift-steady': PROFILE });
const suffix = crypto.randomBytes(3).toString('hex');
const IDS = { changed: `drift-changed-${suffix}`, steady: `drift-steady-${suffix}` };

interface Run {
  workflowId: string;
  runId: string;
}

describe('tuning schedules and drift', () => {
  let h: Harness;
  let client: Client;
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
    client = new Client({
      connection: h.client.connection,
      namespace: h.namespace,
      dataConverter: dataConverterFromEnv(),
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    cliEnv = {
      TEMPORAL_ADDRESS: await testTemporalAddress(),
      TEMPORAL_NAMESPACE: h.namespace,
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      TEMPORAL_UI_URL: 'http://ui.test',
      ...KEY_ENV,
    };
  });

  after(async () => {
    // Never leave a schedule (or a run of one) behind on the shared server.
    for (const id of Object.values(IDS)) {
      const handle = client?.schedule.getHandle(id);
      const running = await handle
        ?.describe()
        .then((d) => d.info.runningActions)
        .catch(() => []);
      await handle?.delete().catch(() => undefined);
      for (const action of running ?? [])
        await client.workflow
          .getHandle(action.workflow.workflowId)
          .terminate('test over')
          .catch(() => undefined);
    }
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
    client.workflow.getHandle(run.workflowId, run.runId).result() as Promise<ScheduledTuningOutput>;

  /** First run (created with --run-now), `between`, then the interval's run; paused after it. */
  async function twoRuns(id: string, between: () => Promise<void>) {
    const handle = client.schedule.getHandle(id);
    const first = await action(handle, 1);
    const firstOutput = await result(first);
    await between();
    assert.equal((await cli('schedule', 'unpause', id)).code, 0);
    const second = await action(handle, 2);
    const paused = await cli('schedule', 'pause', id, '--note', 'two runs are enough');
    assert.equal(paused.code, 0, paused.stderr);
    assert.equal(paused.stdout.trim(), `Schedule ${id} paused.`);
    return { first, firstOutput, second, secondOutput: await result(second) };
  }

  it('flags drift when the profile changed between two scheduled runs, and not when it did not', async () => {
    const webhook = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/drift?token=t0k3n`;
    for (const [name, id] of [
      ['drift-changed', IDS.changed],
      ['drift-steady', IDS.steady],
    ] as const) {
      const created = await cli(
        'schedule',
        'create',
        name,
        ...['--every', '2s', '--num', '5', '--power-values', '128,256'],
        ...['--max-regression', '10%', '--webhook', webhook, '--id', id, '--paused', '--run-now'],
      );
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, new RegExp(`^Created schedule ${id}: tunes ${name} every 2s`));
    }
    const description = await client.schedule.getHandle(IDS.changed).describe();
    assert.equal(description.policies.overlap, 'SKIP');

    const lambda = lambdaClient(h.emulator.url);
    const [changed, steady] = await Promise.all([
      twoRuns(IDS.changed, async () => {
        await lambda.send(
          new UpdateFunctionCodeCommand({
            FunctionName: 'drift-changed',
            ZipFile: Buffer.from(JSON.stringify(CHANGED_PROFILE)),
          }),
        );
        await waitUntilFunctionUpdatedV2(
          { client: lambda, maxWaitTime: 30 },
          { FunctionName: 'drift-changed' },
        );
      }),
      twoRuns(IDS.steady, async () => undefined),
    ]);

    for (const runs of [changed, steady]) {
      assert.equal(runs.firstOutput.drift.status, 'first-run');
      assert.equal(runs.firstOutput.previous, undefined);
      assert.equal(runs.firstOutput.webhook, undefined);
      assert.equal(runs.secondOutput.previous?.workflowId, runs.first.workflowId);
      assert.equal(runs.secondOutput.tuning.workflowId, tuningWorkflowIdOf(runs.second.workflowId));
      // The same size both times: only the figures behind it changed (or not).
      assert.equal(runs.firstOutput.output.power, 128);
      assert.equal(runs.secondOutput.output.power, 128);
    }

    // The changed function: its cost per invocation at 128 MB tripled, far beyond noise.
    const drifted = changed.secondOutput;
    assert.equal(drifted.drift.status, 'drift', drifted.drift.statement);
    assert.match(
      drifted.drift.statement,
      /^Drift: The recommended size's cost per invocation moved beyond noise \(\+\d+%\)/,
    );
    assert.ok((drifted.drift.shifts[0]?.change ?? 0) > 1, JSON.stringify(drifted.drift.shifts));
    assert.deepEqual(drifted.webhook, { delivered: true, status: 200, encoded: true });

    const unchanged = steady.secondOutput;
    assert.equal(unchanged.drift.status, 'none', unchanged.drift.statement);
    assert.match(unchanged.drift.statement, /^No drift: the recommendation stays at 128 MB/);
    assert.equal(unchanged.webhook, undefined);

    // The search attribute, as the Web UI and list filter on it.
    const attribute = async (run: Run) =>
      (await client.workflow.getHandle(run.workflowId, run.runId).describe()).typedSearchAttributes.get(
        TUNING_DRIFT,
      );
    assert.equal(await attribute(changed.second), 'drift');
    assert.equal(await attribute(steady.second), 'none');
    assert.equal(await attribute(steady.first), 'first-run');

    // One POST, for the drift only, encrypted: the codec reads the notice back.
    assert.equal(posts.length, 1);
    assert.ok(!posts[0]!.includes('drift-changed'), 'the body is not in clear text');
    const codec = dataConverterFromEnv()!.payloadCodecs![0]!;
    const [decoded] = await codec.decode(payloadsFromJson(JSON.parse(posts[0]!)));
    const notice = defaultPayloadConverter.fromPayload<DriftNotice>(decoded!);
    assert.equal(notice.functionName, 'drift-changed');
    assert.equal(notice.scheduleId, IDS.changed);
    assert.equal(notice.previous.tuningWorkflowId, changed.firstOutput.tuning.workflowId);
    assert.equal(notice.current.tuningWorkflowId, drifted.tuning.workflowId);
    assert.deepEqual(notice.reasons, drifted.drift.reasons);
    assert.equal(
      notice.workflow.link,
      `http://ui.test/namespaces/${h.namespace}/workflows/${encodeURIComponent(changed.second.workflowId)}/${changed.second.runId}/history`,
    );

    // `powertune list --drift`: the drifted run with its tuning, not the steady one (visibility lags a little).
    let listed: { workflowId: string; tuningWorkflowId?: string; drift?: string; functionName?: string }[] =
      [];
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(300)) {
      const out = await cli(
        'list',
        '--drift',
        '--json',
        '--query',
        `TemporalScheduledById IN ("${IDS.changed}", "${IDS.steady}")`,
      );
      assert.equal(out.code, 0, out.stderr);
      listed = JSON.parse(out.stdout) as typeof listed;
      if (listed.length > 0) break;
    }
    assert.deepEqual(
      listed.map((r) => [r.workflowId, r.tuningWorkflowId, r.drift, r.functionName]),
      [[changed.second.workflowId, drifted.tuning.workflowId, 'drift', 'drift-changed']],
    );
  });

  it('lists, pauses and deletes its schedules, with clear errors for unknown ones', async () => {
    const listed = await cli('schedule', 'list', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const ours = (
      JSON.parse(listed.stdout) as {
        scheduleId: string;
        every?: string;
        paused: boolean;
        functionName?: string;
      }[]
    ).filter((s) => Object.values(IDS).includes(s.scheduleId));
    assert.deepEqual(
      ours.map((s) => [s.scheduleId, s.functionName, s.every, s.paused]),
      [
        [IDS.changed, 'drift-changed', '2s', true],
        [IDS.steady, 'drift-steady', '2s', true],
      ],
    );
    const again = await cli(
      'schedule',
      'create',
      'drift-steady',
      '--every',
      '1h',
      '--num',
      '5',
      '--id',
      IDS.steady,
    );
    assert.equal(again.code, 2);
    assert.match(again.stderr, new RegExp(`--id: a schedule with id "${IDS.steady}" already exists`));

    // Another team's schedule is neither listed nor touched.
    const foreignId = `not-ours-${suffix}`;
    const foreign = await client.schedule.create({
      scheduleId: foreignId,
      spec: { intervals: [{ every: '1h' }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'someoneElsesWorkflow',
        taskQueue: h.taskQueue,
        args: [],
      },
      state: { paused: true },
    });
    try {
      const all = await cli('schedule', 'list', '--json');
      assert.ok(!all.stdout.includes(foreignId), all.stdout);
      const refused = await cli('schedule', 'delete', foreignId);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /is not a tuning schedule \(it starts someoneElsesWorkflow\); left alone/);
      await foreign.describe();
    } finally {
      await foreign.delete();
    }

    for (const id of Object.values(IDS)) {
      const deleted = await cli('schedule', 'delete', id);
      assert.equal(deleted.code, 0, deleted.stderr);
      assert.equal(deleted.stdout.trim(), `Schedule ${id} deleted.`);
    }
    const gone = await cli('schedule', 'pause', IDS.changed);
    assert.equal(gone.code, 2);
    assert.match(
      gone.stderr,
      new RegExp(
        `error: no schedule "${IDS.changed}" in namespace "${h.namespace}"; see powertune schedule list`,
      ),
    );
  });
});
