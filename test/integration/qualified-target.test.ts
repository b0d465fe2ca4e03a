/**
 * Tuning a version or alias (real dev server, emulator): the run tunes $LATEST once it has
 * checked that $LATEST runs that version's code, weighs the choice against the version's memory,
 * and with autoOptimize moves the alias it was given. When the code differs it refuses before
 * any invocation and leaves the function as it was, unless allowCodeMismatch is set.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const PROFILE = { cpuMs: 300, ioWaitMs: 10 };
const functions = writeTestFunctions({ 'alias-fn': PROFILE, 'drifted-fn': PROFILE });

/** Publishes $LATEST at `memory` MB as a version and points `alias` at it. */
async function releaseAs(lambda: LambdaClient, name: string, memory: number, alias: string): Promise<string> {
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: memory }));
  await waitUntilFunctionUpdatedV2(
    { client: lambda, maxWaitTime: 30, minDelay: 0.05 },
    { FunctionName: name },
  );
  const published = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  const version = published.Version as string;
  await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: version }));
  // $LATEST goes back to another size, as it does when people change it after a release.
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 128 }));
  await waitUntilFunctionUpdatedV2(
    { client: lambda, maxWaitTime: 30, minDelay: 0.05 },
    { FunctionName: name },
  );
  return version;
}

/** A synthetic profile as a code package: a different CodeSha256 for the same kind of function. */
function profileZipBody(profile: Record<string, unknown>): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(profile));
}

async function failure(run: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await run;
  } catch (err) {
    assert.ok(err instanceof WorkflowFailedError, String(err));
    let cause: unknown = err.cause;
    while (cause && !(cause instanceof ApplicationFailure)) cause = (cause as { cause?: unknown }).cause;
    assert.ok(cause instanceof ApplicationFailure, `no ApplicationFailure in ${String(err)}`);
    return cause;
  }
  assert.fail('the run did not fail');
}

describe('tuning a version or alias', () => {
  let h: Harness;
  let lambda: LambdaClient;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
    lambda = lambdaClient(h.emulator.url);
  });
  after(async () => h?.stop());

  it('tunes the code behind an alias, weighs it against the alias size, and moves that alias', async () => {
    const released = await releaseAs(lambda, 'alias-fn', 1024, 'prod');
    const before = await functionState(lambda, 'alias-fn');
    const out = await h.run({
      lambdaARN: 'alias-fn:prod',
      num: 5,
      powerValues: [512, 2048],
      strategy: 'speed',
      autoOptimize: true,
    });
    // Today's size is the alias's (1,024 MB), not $LATEST's 128 MB.
    assert.equal(out.currentPower, 1024);
    assert.deepEqual(
      out.results.map((r) => r.power),
      [512, 1024, 2048],
    );
    assert.equal(out.optimized, true);
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: 'alias-fn', Name: 'prod' }));
    assert.notEqual(alias.FunctionVersion, released);
    const moved = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'alias-fn', Qualifier: alias.FunctionVersion }),
    );
    assert.equal(moved.MemorySize, out.power);
    const after = await functionState(lambda, 'alias-fn');
    assert.deepEqual(
      after.aliases.map((a) => a.name),
      ['prod'],
    );
    assert.equal(after.versions.length, before.versions.length + 1);
  });

  it('refuses when $LATEST runs other code, naming both hashes, and changes nothing', async () => {
    const released = await releaseAs(lambda, 'drifted-fn', 512, 'live');
    const code = await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'drifted-fn',
        ZipFile: profileZipBody({ ...PROFILE, cpuMs: 150 }),
      }),
    );
    await waitUntilFunctionUpdatedV2(
      { client: lambda, maxWaitTime: 30, minDelay: 0.05 },
      { FunctionName: 'drifted-fn' },
    );
    const releasedCode = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'drifted-fn', Qualifier: released }),
    );
    assert.notEqual(code.CodeSha256, releasedCode.CodeSha256);
    const before = await functionState(lambda, 'drifted-fn');
    await h.emulator.admin.clearEvents();
    const refused = await failure(h.run({ lambdaARN: 'drifted-fn:live', num: 5, powerValues: [128, 256] }));
    assert.equal(refused.type, 'CodeMismatch');
    assert.match(refused.message, /drifted-fn:live runs other code than \$LATEST/);
    assert.ok(refused.message.includes(String(releasedCode.CodeSha256)), refused.message);
    assert.ok(refused.message.includes(String(code.CodeSha256)), refused.message);
    assert.match(refused.message, /allowCodeMismatch/);
    assert.deepEqual(await functionState(lambda, 'drifted-fn'), before);
    // Refused before setup: $LATEST's memory was never touched.
    const events = await h.emulator.admin.events();
    assert.ok(events.some((e) => e.operation === 'GetFunctionConfiguration' && e.qualifier === 'live'));
    assert.equal(events.filter((e) => e.operation === 'UpdateFunctionConfiguration').length, 0);

    // Told to go on, it tunes $LATEST's code.
    const out = await h.run({
      lambdaARN: `drifted-fn:${released}`,
      num: 5,
      powerValues: [128, 256],
      allowCodeMismatch: true,
    });
    assert.equal(out.currentPower, 512);
    assert.deepEqual(await functionState(lambda, 'drifted-fn'), before);
  });
});
