/**
 * ListTags (`GET /2017-03-31/tags/{Resource}`) through the official SDK: the tags CreateFunction
 * stored, and AWS's refusals for what is not a function ARN, a version or alias ARN, or a
 * function that does not exist.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvalidParameterValueException,
  LambdaServiceException,
  ListTagsCommand,
  ResourceNotFoundException,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { functionsFile, json, lambdaClient } from './helpers.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

void describe('emulator ListTags', () => {
  let emu: RunningEmulator;
  let lambda: LambdaClient;

  before(async () => {
    emu = await startEmulator({
      port: 0,
      timeScale: 0,
      loadSamples: false,
      updateDelayMs: 10,
      functionsFile: functionsFile([{ name: 'untagged', synthetic: { cpuMs: 1 } }]),
    });
    lambda = lambdaClient(emu.url);
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'tagged',
        Role: 'arn:aws:iam::123456789012:role/x',
        Code: { ZipFile: json({ cpuMs: 5 }) },
        Tags: { team: 'orders', env: 'prod' },
      }),
    );
  });
  after(async () => {
    lambda?.destroy();
    await emu?.stop();
  });

  void it("answers a function's tags by its ARN, as GetFunction shows them", async () => {
    const listed = await lambda.send(new ListTagsCommand({ Resource: `${ARN}:tagged` }));
    assert.deepEqual(listed.Tags, { team: 'orders', env: 'prod' });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'tagged' }));
    assert.deepEqual(got.Tags, listed.Tags);
    assert.deepEqual((await lambda.send(new ListTagsCommand({ Resource: `${ARN}:untagged` }))).Tags, {});
  });

  void it('records the call in the event log under the function', async () => {
    await emu.admin.clearEvents();
    await lambda.send(new ListTagsCommand({ Resource: `${ARN}:tagged` }));
    const events = await emu.admin.events();
    assert.deepEqual(
      events.map((e) => [e.operation, e.functionName, e.status]),
      [['ListTags', 'tagged', 200]],
    );
  });

  void it('refuses what is not a function ARN, a version or alias, and unknown functions', async () => {
    await assert.rejects(lambda.send(new ListTagsCommand({ Resource: 'tagged' })), (err: unknown) => {
      assert.ok(err instanceof LambdaServiceException);
      assert.equal(err.name, 'ValidationException');
      assert.match(err.message, /Value 'tagged' at 'resource' failed to satisfy constraint/);
      return true;
    });
    await assert.rejects(
      lambda.send(new ListTagsCommand({ Resource: `${ARN}:tagged:1` })),
      (err: unknown) =>
        err instanceof InvalidParameterValueException &&
        /aliases and versions are not supported/.test(err.message),
    );
    await assert.rejects(
      lambda.send(new ListTagsCommand({ Resource: `${ARN}:missing` })),
      (err: unknown) => err instanceof ResourceNotFoundException && err.message.includes(`${ARN}:missing`),
    );
    // Another account's function is not this emulator's.
    await assert.rejects(
      lambda.send(new ListTagsCommand({ Resource: 'arn:aws:lambda:us-east-1:999999999999:function:tagged' })),
      ResourceNotFoundException,
    );
  });
});
