/**
 * The first failure is the one reported: a function deleted mid-run is said to have disappeared
 * (not hidden behind cleanup's own error), cleanup copes with the missing function, and a missing
 * processor is named as such.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { progressQuery } from '../../domain/workflow-api.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions(
  { 'plain-fn': { cpuMs: 10 } },
  { 'doomed-fn': { code: 'slow-recorder' } },
);

async function failureOf(result: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await result.then(
    () => assert.fail('the run should fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof WorkflowFailedError);
  assert.ok(err.cause instanceof ApplicationFailure, String(err.cause));
  return err.cause;
}

describe('the first failure is the one reported', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
  });
  after(async () => h?.stop());

  it('a function deleted during the invocations: "disappeared", and cleanup does not fail over it', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const handle = await h.start({
      lambdaARN: 'doomed-fn',
      num: 30,
      powerValues: [128, 256],
      payload: { sleepMs: 100 },
    });
    // Delete it once invocations are running (the function records each one it receives) and every
    // size is set up: setup overlaps the first sizes' invocations, and a setup step that finds the
    // function gone first reports the lock lost instead (a run of this test under load did).
    const invoking = async () => (await handle.query(progressQuery)).phase === 'invoking';
    for (let i = 0; i < 600 && (functions.recorded('doomed-fn').length < 4 || !(await invoking())); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'doomed-fn' }));
    const failure = await failureOf(handle.result());
    assert.equal(failure.type, 'FunctionDisappeared');
    assert.match(failure.message, /^Invoking \d+ MB: doomed-fn .*disappeared during the invocations/);
    assert.doesNotMatch(failure.message, /Activity task failed|Cleaning up/);
    assert.equal((await handle.query(progressQuery)).phase, 'failed');
  });

  it('a missing pre-processor is named as the pre-processor, and nothing is left behind', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 'plain-fn');
    const failure = await failureOf(
      h.run({ lambdaARN: 'plain-fn', num: 5, powerValues: [128], preProcessorARN: 'no-such-pre' }),
    );
    assert.match(failure.message, /preProcessorARN function no-such-pre/);
    assert.doesNotMatch(failure.message, /configuration of plain-fn/);
    assert.equal(failure.type, 'ResourceNotFoundException');
    assert.deepEqual(await functionState(lambda, 'plain-fn'), before);
  });
});
