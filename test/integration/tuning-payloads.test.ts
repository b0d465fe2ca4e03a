/**
 * What the function receives: plain, weighted and S3 payloads, and pre-/post-processors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { testS3Endpoint } from '../support/env.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions(
  {},
  {
    'weighted-fn': { code: 'recorder' },
    's3-fn': { code: 'recorder' },
    'processed-fn': { code: 'needs-processed' },
    'pre-fn': { code: 'pre-processor' },
    'post-fn': { code: 'post-processor' },
  },
);

const count = (events: unknown[], key: string) =>
  events.filter((e) => (e as { kind?: string }).kind === key).length;

describe('payloads and processors', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false }, s3: true });
  });
  after(async () => h?.stop());

  it('sends weighted payloads by largest-remainder allocation', async () => {
    await h.run({
      lambdaARN: 'weighted-fn',
      num: 10,
      powerValues: [128, 256],
      payload: [
        { payload: { kind: 'small' }, weight: 1 },
        { payload: { kind: 'large' }, weight: 3 },
      ],
    });
    const events = functions.recorded('weighted-fn');
    assert.equal(events.length, 20);
    // 10 × 1/4 = 2.5 and 10 × 3/4 = 7.5: the tie on the remainder goes to the first payload.
    assert.equal(count(events, 'small'), 6);
    assert.equal(count(events, 'large'), 14);
  });

  it('reads payloadS3 from an S3-compatible server', async () => {
    const s3 = new S3Client({
      endpoint: await testS3Endpoint(),
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'tuning-payloads' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'tuning-payloads',
        Key: 'events/weighted.json',
        Body: JSON.stringify([
          { payload: { kind: 'a' }, weight: 1 },
          { payload: { kind: 'b' }, weight: 1 },
        ]),
      }),
    );
    await h.run({
      lambdaARN: 's3-fn',
      num: 6,
      powerValues: [128],
      payloadS3: 's3://tuning-payloads/events/weighted.json',
    });
    const events = functions.recorded('s3-fn');
    assert.equal(count(events, 'a'), 3);
    assert.equal(count(events, 'b'), 3);
  });

  it('a missing S3 object fails the run before any setup, with a clear message', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 's3-fn');
    const handle = await h.start({
      lambdaARN: 's3-fn',
      num: 5,
      payloadS3: 's3://tuning-payloads/missing.json',
    });
    await assert.rejects(handle.result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.match(err.cause?.message ?? '', /s3:\/\/tuning-payloads\/missing\.json does not exist/);
      return true;
    });
    assert.deepEqual(await functionState(lambda, 's3-fn'), before);
  });

  it('runs the pre-processor before and the post-processor after every invocation', async () => {
    const out = await h.run({
      lambdaARN: 'processed-fn',
      num: 5,
      powerValues: [128, 256],
      payload: { hello: 'world' },
      preProcessorARN: 'pre-fn',
      postProcessorARN: 'post-fn',
    });
    assert.ok(out.results.every((r) => r.feasible && r.invocations === 5));
    const outputs = functions.recorded('post-fn');
    assert.equal(outputs.length, 10);
    assert.deepEqual(outputs[0], { seen: { hello: 'world', processed: true } });
  });
});
