/**
 * Live progress inside a batch, on the time-skipping test server: a mocked batch signals how far
 * it got through the worker's real client (activities/progress-reporter.ts, as the worker wires
 * it), and the `progress` query and the Web UI's current details show it before the batch ends;
 * the batch's result then replaces it, and a late signal changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Context, activityInfo } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { signalThrough } from '../../activities/progress-reporter.js';
import { invokeActivityId } from '../../domain/activity-ids.js';
import type { PowerTuningInput, SizeProgressRow, TuningOutput } from '../../domain/types.js';
import { progressQuery } from '../../domain/workflow-api.js';
import {
  FUNCTION_ARN,
  mockActivities,
  mockedTuning,
  startTimeSkippingEnv,
} from '../support/time-skipping.js';
import { workflowBundle } from '../support/tuning-harness.js';

let env: TestWorkflowEnvironment;
before(async () => {
  env = await startTimeSkippingEnv();
});
after(async () => env?.teardown());

const PATIENCE_MS = 10_000;
const NUM = 20; // one batch per size

/** From a mocked activity: its run, and the reporter the worker gives the real activities. */
function own(): { handle: WorkflowHandle; report: ReturnType<typeof signalThrough>; workflowId: string } {
  const workflowId = activityInfo().workflowExecution?.workflowId ?? '';
  const client = Context.current().client;
  return { handle: client.workflow.getHandle(workflowId), report: signalThrough(() => client), workflowId };
}

/** Polls the run's row of `power` until `check` holds or PATIENCE_MS pass; heartbeats meanwhile. */
async function rowWhen(
  handle: WorkflowHandle,
  power: number,
  check: (row: SizeProgressRow | undefined) => boolean,
): Promise<SizeProgressRow | undefined> {
  const deadline = Date.now() + PATIENCE_MS;
  let row: SizeProgressRow | undefined;
  while (Date.now() < deadline) {
    row = (await handle.query(progressQuery)).sizes.find((s) => s.power === power);
    if (check(row)) return row;
    Context.current().heartbeat();
    await sleep(20);
  }
  return row;
}

void describe('progress signalled by running batches', () => {
  void it('moves the progress query and the current details during a batch, never double counted', async () => {
    const seen: Record<string, unknown> = {};
    const normal = mockActivities([]);
    const tuning = await mockedTuning(env, {
      async invokeBatch(input) {
        const { handle, report, workflowId } = own();
        const workflow = { workflowId, runId: activityInfo().workflowExecution?.runId };
        if (input.power === 512) {
          await report(workflow, { batch: activityInfo().activityId, power: 512, done: 7, errors: 1 });
          seen.during = await rowWhen(handle, 512, (r) => r?.done === 7);
          const metadata = (await handle.query('__temporal_workflow_metadata')) as {
            currentDetails?: string;
          };
          seen.details = metadata.currentDetails;
        }
        if (input.power === 1024) {
          // After 512 MB's batch returned: its late signal (and a duplicate) change nothing.
          seen.before = await rowWhen(handle, 512, (r) => r?.done === NUM);
          const late = { batch: invokeActivityId(512, 1, 1), power: 512, done: 15, errors: 0 };
          await report(workflow, late);
          await report(workflow, late);
          await report(workflow, { batch: activityInfo().activityId, power: 1024, done: 3, errors: 0 });
          seen.own = await rowWhen(handle, 1024, (r) => r?.done === 3);
          seen.after = (await handle.query(progressQuery)).sizes.find((s) => s.power === 512);
        }
        return normal.invokeBatch(input);
      },
    });
    const input: PowerTuningInput = { lambdaARN: FUNCTION_ARN, num: NUM, powerValues: [512, 1024] };
    const { output, final, history } = await tuning.run(async (start) => {
      const handle = await start(input);
      const result = (await handle.result()) as TuningOutput;
      return {
        output: result,
        final: await handle.query(progressQuery),
        history: await handle.fetchHistory(),
      };
    });
    // A history with signals replays: the handler issues no commands.
    const { EventType } = proto.temporal.api.enums.v1;
    const signalled = (history.events ?? []).filter(
      (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
    );
    assert.equal(signalled.length, 4);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);

    const during = seen.during as SizeProgressRow | undefined;
    assert.equal(during?.done, 7, 'the query did not show the signalled count during the batch');
    assert.equal(during?.errors, 1);
    assert.deepEqual(during?.running, [{ batch: invokeActivityId(512, 1, 1), done: 7, errors: 1 }]);
    // The Web UI's table: memory, invocations, errors.
    assert.match(String(seen.details), new RegExp(`^\\s*512\\s+7/${NUM}\\s+1\\s`, 'm'));

    assert.equal((seen.before as SizeProgressRow | undefined)?.done, NUM);
    assert.equal((seen.own as SizeProgressRow | undefined)?.done, 3);
    const after = seen.after as SizeProgressRow | undefined;
    assert.equal(after?.done, NUM, 'a late signal counted a finished batch again');
    assert.equal(after?.running, undefined);

    for (const power of [512, 1024]) {
      assert.equal(output.results.find((r) => r.power === power)?.invocations, NUM);
      const row = final.sizes.find((s) => s.power === power);
      assert.equal(row?.done, NUM);
      assert.equal(row?.errors, 0);
      assert.equal(row?.running, undefined);
    }
  });
});
