/**
 * Tunings that create, apply and clean up: onlyColdStarts, autoOptimize with and without an
 * alias, dryRun, infeasible sizes, all-failing functions, allowedExceptions and cancellation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetAliasCommand, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TuningProgress } from '../../domain/types.js';
import { progressQuery } from '../../domain/workflow-api.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { cancelAndExpectCancelled, startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions(
  {
    'cold-fn': { cpuMs: 20, coldStartMs: 150 },
    'optimize-fn': { cpuMs: 300 },
    'optimize-alias-fn': { cpuMs: 300 },
    'dry-fn': { cpuMs: 10 },
    'hungry-fn': { cpuMs: 100, minMemoryMb: 256 },
    'slow-fn': { cpuMs: 1000 },
  },
  { 'failing-fn': { code: 'recorder' } },
  // 1 s of CPU takes 13.8 s at 128 MB (0.072 vCPU): past this function's 10 s timeout.
  { 'slow-fn': { timeout: 10 } },
);

/** Cancels once the run reports `ready`, then checks it ends cancelled. */
async function cancelWhen(handle: WorkflowHandle, ready: (p: TuningProgress) => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (ready(await handle.query(progressQuery))) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await cancelAndExpectCancelled(handle);
}

describe('tuning lifecycle', () => {
  let h: Harness;
  let lambda: ReturnType<typeof lambdaClient>;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
    lambda = lambdaClient(h.emulator.url);
  });
  after(async () => h?.stop());

  it('onlyColdStarts: every invocation is a cold start on its own version, all deleted after', async () => {
    const before = await functionState(lambda, 'cold-fn');
    const out = await h.run({ lambdaARN: 'cold-fn', num: 5, powerValues: [128, 256], onlyColdStarts: true });
    for (const r of out.results) {
      assert.equal(r.invocations, 5);
      assert.equal(r.coldStarts, 5);
    }
    assert.deepEqual(await functionState(lambda, 'cold-fn'), before);
  });

  it('autoOptimize without an alias leaves $LATEST at the chosen size and publishes nothing', async () => {
    const before = await functionState(lambda, 'optimize-fn');
    const out = await h.run({
      lambdaARN: 'optimize-fn',
      num: 5,
      powerValues: [128, 1024, 2048],
      autoOptimize: true,
    });
    assert.equal(out.optimized, true);
    const after = await functionState(lambda, 'optimize-fn');
    assert.equal(after.memorySize, out.power);
    assert.equal(after.description, before.description);
    assert.deepEqual(after.versions, before.versions);
    assert.deepEqual(after.aliases, before.aliases);
  });

  it('autoOptimize with an alias points that alias at a new version of the chosen size', async () => {
    const before = await functionState(lambda, 'optimize-alias-fn');
    const out = await h.run({
      lambdaARN: 'optimize-alias-fn',
      num: 5,
      powerValues: [128, 1024],
      strategy: 'speed',
      autoOptimize: true,
      autoOptimizeAlias: 'live',
    });
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: 'optimize-alias-fn', Name: 'live' }));
    const version = await lambda.send(
      new GetFunctionConfigurationCommand({
        FunctionName: 'optimize-alias-fn',
        Qualifier: alias.FunctionVersion,
      }),
    );
    assert.equal(version.MemorySize, out.power);
    assert.equal(version.Description, before.description);
    const after = await functionState(lambda, 'optimize-alias-fn');
    assert.deepEqual(
      after.aliases.map((a) => a.name),
      ['live'],
    );
    assert.equal(after.versions.length, before.versions.length + 1);
  });

  it('dryRun makes one invocation per size and never applies anything', async () => {
    const before = await functionState(lambda, 'dry-fn');
    const out = await h.run({
      lambdaARN: 'dry-fn',
      num: 50,
      powerValues: [128, 256],
      dryRun: true,
      autoOptimize: true,
    });
    assert.equal(out.dryRun, true);
    assert.equal(out.optimized, false);
    assert.deepEqual(
      out.results.map((r) => r.invocations),
      [1, 1],
    );
    assert.deepEqual(await functionState(lambda, 'dry-fn'), before);
  });

  it('a size too small for the function is infeasible with its reason; the others are tuned', async () => {
    const before = await functionState(lambda, 'hungry-fn');
    const out = await h.run({ lambdaARN: 'hungry-fn', num: 5, powerValues: [128, 256, 512] });
    const small = out.results.find((r) => r.power === 128);
    assert.equal(small?.feasible, false);
    assert.match(small?.infeasibleReason ?? '', /error type/);
    assert.notEqual(out.power, 128);
    assert.equal(out.results.filter((r) => r.feasible).length, 2);
    assert.deepEqual(await functionState(lambda, 'hungry-fn'), before);
  });

  it('a size that times out is infeasible with the timeout as its reason', async () => {
    const out = await h.run({ lambdaARN: 'slow-fn', num: 5, powerValues: [128, 1024] });
    const small = out.results.find((r) => r.power === 128);
    assert.equal(small?.feasible, false);
    assert.match(small?.infeasibleReason ?? '', /Sandbox\.Timedout|timed out/);
    assert.equal(out.power, 1024);
  });

  it('allowedExceptions keeps failing invocations in the statistics', async () => {
    const out = await h.run({
      lambdaARN: 'failing-fn',
      num: 5,
      powerValues: [128, 256],
      payload: { fail: 'ExpectedError' },
      allowedExceptions: ['ExpectedError'],
    });
    for (const r of out.results) {
      assert.equal(r.feasible, true);
      assert.equal(r.invocations, 5);
    }
  });

  it('fails with the function error after cleaning up when every size fails', async () => {
    const before = await functionState(lambda, 'failing-fn');
    const handle = await h.start({
      lambdaARN: 'failing-fn',
      num: 5,
      powerValues: [128, 256],
      payload: { fail: 'BoomError', secret: 'hunter2' },
      disablePayloadLogs: true,
    });
    await assert.rejects(handle.result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof ApplicationFailure);
      assert.match(err.cause.message, /No memory size could be measured/);
      // The error type is one of the payload's values here, so it is redacted with the rest.
      assert.match(err.cause.message, /\[payload redacted\]/);
      assert.doesNotMatch(err.cause.message, /hunter2|BoomError/);
      return true;
    });
    assert.deepEqual(await functionState(lambda, 'failing-fn'), before);
  });

  it('cancellation during setup restores $LATEST and deletes what setup made', async () => {
    const before = await functionState(lambda, 'dry-fn');
    const handle = await h.start({
      lambdaARN: 'dry-fn',
      num: 5,
      onlyColdStarts: true,
      powerValues: [128, 256, 512],
    });
    await cancelWhen(handle, (p) => p.phase === 'setup');
    assert.deepEqual(await functionState(lambda, 'dry-fn'), before);
  });

  it('cancellation during the final cleanup still ends cancelled, with everything removed', async () => {
    const before = await functionState(lambda, 'dry-fn');
    // Slow control-plane answers stretch the cleanup of 15 versions so the cancel lands in it.
    await h.emulator.admin.setFaults({ functionName: 'dry-fn', latencyMs: 100, operations: 'control' });
    try {
      const handle = await h.start({
        lambdaARN: 'dry-fn',
        num: 5,
        onlyColdStarts: true,
        powerValues: [128, 256, 512],
      });
      await cancelWhen(handle, (p) => p.phase === 'cleanup');
    } finally {
      await h.emulator.admin.clearFaults('dry-fn');
    }
    assert.deepEqual(await functionState(lambda, 'dry-fn'), before);
  });

  it('cancellation during invocations cleans up and ends cancelled', async () => {
    const before = await functionState(lambda, 'dry-fn');
    const handle = await h.start({
      lambdaARN: 'dry-fn',
      num: 200,
      powerValues: [128, 256],
      sleepBetweenRunsMs: 200,
    });
    await cancelWhen(handle, (p) => p.phase === 'invoking' && p.sizes.some((v) => v.done > 0));
    assert.deepEqual(await functionState(lambda, 'dry-fn'), before);
  });
});
