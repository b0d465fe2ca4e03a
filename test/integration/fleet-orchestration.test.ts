/**
 * The fleetTuning workflow's orchestration on a real Temporal server, with a stand-in powerTuning
 * child (test/fixtures/fleet/stub-workflows.ts) and a stand-in listing: at most `concurrency`
 * children run at once in each account and region; locked and failing functions are recorded
 * and the others go on; a large fleet hands over to a new run (continue-as-new) without starting
 * any child twice; a cancelled fleet cancels its children and waits for their cleanup; bad input
 * fails before anything is listed.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, defaultPayloadConverter } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { FleetListingInput } from '../../activities/fleet-listing.js';
import type { FleetMember, FleetOutput, FleetTuningInput } from '../../domain/fleet-types.js';
import { FLEET_CHILDREN_PER_RUN } from '../../domain/fleet-plan.js';
import { FLEET_TUNING_WORKFLOW, fleetProgressQuery } from '../../domain/workflow-api.js';
import { testTemporalAddress, testTemporalNamespace } from '../support/env.js';
import { installTestLogger, runInBackground, type BackgroundWorker } from '../support/tuning-harness.js';

const WORKFLOWS = fileURLToPath(new URL('../fixtures/fleet/stub-workflows.ts', import.meta.url));

function member(name: string, region: string, accountId: string): FleetMember {
  return {
    functionName: name,
    functionArn: `arn:aws:lambda:${region}:${accountId}:function:${name}`,
    region,
    accountId,
    memorySize: 128,
  };
}

/** 105 functions in two accounts/regions, one locked and one failing among them. */
const MANY = [
  ...Array.from({ length: 60 }, (_, i) =>
    member(`fn-${String(i).padStart(3, '0')}`, 'us-east-1', '111111111111'),
  ),
  ...Array.from({ length: 43 }, (_, i) =>
    member(`fn-${String(i).padStart(3, '0')}`, 'eu-west-1', '222222222222'),
  ),
  member('locked-orders', 'us-east-1', '111111111111'),
  member('broken-billing', 'eu-west-1', '222222222222'),
];
const SLOW = Array.from({ length: 6 }, (_, i) => member(`slow-${i}`, 'us-east-1', '111111111111'));

/** What the slow stand-ins report: which started, and which cleaned up. */
const seen = { started: [] as string[], ended: [] as string[] };

/** A child as the fleet's history shows it: its id and the input it was given. */
interface ChildInHistory {
  workflowId: string;
  input: Record<string, unknown>;
}

/**
 * The children of every run of a fleet, from its histories, and the most that were open at once
 * per account and region (`--<region>--<account>` ends each child id): started minus ended, in
 * the order the fleet recorded them, so no clock is involved.
 */
async function childrenOf(
  client: Client,
  workflowId: string,
  runIds: string[],
): Promise<{ children: ChildInHistory[]; perRun: number[]; maxOpen: Map<string, number> }> {
  const children: ChildInHistory[] = [];
  const perRun: number[] = [];
  const maxOpen = new Map<string, number>();
  for (const runId of runIds) {
    const open = new Map<string, string>();
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    let started = 0;
    for (const event of history.events ?? []) {
      const initiated = event.startChildWorkflowExecutionInitiatedEventAttributes;
      if (initiated?.workflowId) {
        started++;
        const payload = initiated.input?.payloads?.[0];
        children.push({
          workflowId: initiated.workflowId,
          input: payload ? defaultPayloadConverter.fromPayload<Record<string, unknown>>(payload) : {},
        });
        open.set(String(event.eventId), initiated.workflowId);
        const group = initiated.workflowId.split('--').slice(-2).join('/');
        const now = [...open.values()].filter((id) => id.split('--').slice(-2).join('/') === group).length;
        maxOpen.set(group, Math.max(maxOpen.get(group) ?? 0, now));
      }
      const closed =
        event.childWorkflowExecutionCompletedEventAttributes ??
        event.childWorkflowExecutionFailedEventAttributes ??
        event.childWorkflowExecutionCanceledEventAttributes ??
        event.childWorkflowExecutionTimedOutEventAttributes ??
        event.childWorkflowExecutionTerminatedEventAttributes ??
        event.startChildWorkflowExecutionFailedEventAttributes;
      if (closed?.initiatedEventId) open.delete(String(closed.initiatedEventId));
    }
    perRun.push(started);
  }
  return { children, perRun, maxOpen };
}

describe('fleet orchestration', () => {
  let native: NativeConnection;
  let connection: Connection;
  let client: Client;
  let worker: BackgroundWorker;
  const taskQueue = `fleet-${randomUUID()}`;
  const listed: FleetListingInput[] = [];

  before(async () => {
    // The failing stand-ins would each log a warning.
    installTestLogger(new DefaultLogger('ERROR'));
    const address = await testTemporalAddress();
    const namespace = await testTemporalNamespace();
    native = await NativeConnection.connect({ address });
    connection = await Connection.connect({ address });
    client = new Client({ connection, namespace });
    const w = await Worker.create({
      connection: native,
      namespace,
      taskQueue,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOWS, logger: quiet }),
      activities: {
        async listFleetFunctions(input: FleetListingInput): Promise<FleetMember[]> {
          listed.push(input);
          if (input.selector.kind !== 'prefix') throw ApplicationFailure.nonRetryable('unexpected selector');
          return input.selector.prefix === 'slow-' ? SLOW : MANY;
        },
        async tuningStarted(arn: string) {
          seen.started.push(arn);
        },
        async tuningEnded(arn: string) {
          seen.ended.push(arn);
        },
      },
    });
    worker = runInBackground(w);
  });
  after(async () => {
    await worker?.stop();
    await native?.close();
    await connection?.close();
  });

  const start = (input: FleetTuningInput) =>
    client.workflow.start(FLEET_TUNING_WORKFLOW, {
      taskQueue,
      workflowId: `fleet-${randomUUID()}`,
      args: [input],
    });

  it('tunes 105 functions at most 10 at a time per account and region, hands over once, and records failures', async () => {
    const handle = await start({ prefix: 'fn-', concurrency: 10, tuning: { num: 5, strategy: 'speed' } });
    const firstRun = handle.firstExecutionRunId;
    const output = (await handle.result()) as FleetOutput;

    assert.equal(output.functions.length, MANY.length);
    assert.deepEqual(output.counts, { tuned: 103, failed: 1, locked: 1, cancelled: 0 });
    const byName = new Map(output.functions.map((f) => [`${f.functionName}@${f.region}`, f]));
    assert.equal(byName.get('locked-orders@us-east-1')?.status, 'locked');
    assert.match(byName.get('locked-orders@us-east-1')?.reason ?? '', /Another power tuning is in progress/);
    assert.equal(byName.get('broken-billing@eu-west-1')?.status, 'failed');
    assert.equal(byName.get('broken-billing@eu-west-1')?.errorType, 'NoFeasiblePower');
    assert.equal(byName.get('fn-007@eu-west-1')?.recommendedPower, 256);
    assert.equal(output.strategy, 'speed');
    assert.deepEqual(listed.at(-1)?.selector, { kind: 'prefix', prefix: 'fn-' });

    // It continued as new after FLEET_CHILDREN_PER_RUN children, and started each child once.
    const first = await client.workflow.getHandle(handle.workflowId, firstRun).describe();
    assert.equal(first.status.name, 'CONTINUED_AS_NEW');
    const last = await client.workflow.getHandle(handle.workflowId).describe();
    assert.notEqual(last.runId, firstRun);
    const { children, perRun, maxOpen } = await childrenOf(client, handle.workflowId, [firstRun, last.runId]);
    assert.deepEqual(perRun, [FLEET_CHILDREN_PER_RUN, MANY.length - FLEET_CHILDREN_PER_RUN]);
    const ids = children.map((c) => c.workflowId);
    assert.equal(new Set(ids).size, MANY.length, 'a child was started twice');
    assert.deepEqual(new Set(ids), new Set(output.functions.map((f) => f.childWorkflowId)));
    // Each child got the settings whole, as given, with its own function.
    for (const child of children) {
      const { lambdaARN, ...settings } = child.input;
      assert.deepEqual(settings, { num: 5, strategy: 'speed' });
      assert.ok(
        MANY.some((m) => m.functionArn === lambdaARN),
        String(lambdaARN),
      );
    }
    // Never more than 10 children open at once in a group, and the lanes were really used.
    assert.deepEqual([...maxOpen.keys()].sort(), ['eu-west-1/222222222222', 'us-east-1/111111111111']);
    for (const [group, max] of maxOpen) {
      assert.ok(max <= 10, `${group}: ${max} at once`);
      assert.ok(max >= 2, `${group}: only ${max} at once`);
    }
    const progress = await client.workflow.getHandle(handle.workflowId).query(fleetProgressQuery);
    assert.equal(progress.run, 2);
    assert.equal(progress.phase, 'done');
  });

  it('a cancelled fleet cancels its running tunings, waits for their cleanup, and starts no more', async () => {
    const handle = await start({ prefix: 'slow-', concurrency: 3, tuning: { num: 5 } });
    for (let i = 0; i < 200; i++) {
      const progress = await handle.query(fleetProgressQuery).catch(() => undefined);
      if (progress?.functions.filter((f) => f.state === 'running').length === 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const runningBefore = (await handle.query(fleetProgressQuery)).functions.filter(
      (f) => f.state === 'running',
    );
    assert.equal(runningBefore.length, 3);
    await handle.cancel();
    await assert.rejects(handle.result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof CancelledFailure);
      return true;
    });
    const slowArns = SLOW.map((m) => m.functionArn);
    // Every child that started had cleaned up before the fleet closed.
    const started = seen.started.filter((arn) => slowArns.includes(arn));
    const ended = seen.ended.filter((arn) => slowArns.includes(arn));
    assert.equal(started.length, 3);
    assert.deepEqual(new Set(ended), new Set(started));
    const progress = await handle.query(fleetProgressQuery);
    assert.equal(progress.phase, 'cancelled');
    assert.deepEqual(
      progress.functions.map((f) => f.state),
      SLOW.map(() => 'cancelled'),
    );
    for (const row of runningBefore) {
      const child = await client.workflow.getHandle(row.childWorkflowId).describe();
      assert.equal(child.status.name, 'CANCELLED');
    }
  });

  it('bad settings fail the fleet at once, naming the field, before anything is listed', async () => {
    const before = listed.length;
    const handle = await start({ prefix: 'fn-', tuning: { num: 3 } } as FleetTuningInput);
    await assert.rejects(handle.result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof ApplicationFailure);
      assert.equal(err.cause.type, 'InvalidInput');
      assert.match(err.cause.message, /Invalid input "tuning\.num": 3 is out of range/);
      return true;
    });
    assert.equal(listed.length, before);
  });
});

const quiet = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};
