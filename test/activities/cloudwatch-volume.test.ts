/**
 * The prepare activity reading the function's volume from CloudWatch, against moto's CloudWatch
 * (and moto's Lambda for the function itself), found through the SDK's standard endpoint
 * variables: only the function's own datapoints inside the window count.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import { createAwsClients, type AwsClients } from '../../activities/aws/clients.js';
import type { S3PayloadCache } from '../../activities/aws/s3-payload.js';
import { prepareActivities, readVolume } from '../../activities/prepare.js';
import { validateInput } from '../../domain/validate.js';
import { putInvocations } from '../support/invocation-metrics.js';
import { MOTO_REGION, startMotoLambda, type MotoLambda } from '../support/moto-lambda.js';

const ENV = {
  AWS_ENDPOINT_URL_LAMBDA: undefined as string | undefined,
  AWS_ENDPOINT_URL_CLOUDWATCH: undefined as string | undefined,
  AWS_REGION: MOTO_REGION,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
};

/** prepareTuning never touches payloadS3 here (the input has none). */
const noPayloads = {} as S3PayloadCache;

describe('prepareTuning with invocationsPerMonth "cloudwatch" (moto)', () => {
  let moto: MotoLambda;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    moto = await startMotoLambda();
    ENV.AWS_ENDPOINT_URL_LAMBDA = moto.endpoint;
    ENV.AWS_ENDPOINT_URL_CLOUDWATCH = moto.endpoint;
    for (const [name, value] of Object.entries(ENV)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    await moto.createFunction('volume-fn', { memorySize: 512, description: 'measured' });
    await moto.createFunction('quiet-fn', { memorySize: 256, description: 'never invoked' });
    const cloudwatch = new CloudWatchClient({ endpoint: moto.endpoint, region: MOTO_REGION });
    const now = Date.now();
    const put = (functionName: string, daysAgo: number, value: number) =>
      putInvocations(cloudwatch, functionName, daysAgo, value, now);
    // Inside a 7-day window: 100 + 200 + 300 + 400.
    await put('volume-fn', 0.1, 100);
    await put('volume-fn', 1.5, 200);
    await put('volume-fn', 3.5, 300);
    await put('volume-fn', 6.5, 400);
    // Older than the window, and another function's: neither counts.
    await put('volume-fn', 9, 7000);
    await put('volume-fn', 30, 9000);
    await put('other-fn', 1, 5000);
    cloudwatch.destroy();
  });

  after(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await moto?.stop();
  });

  const prepare = (input: Record<string, unknown>) =>
    prepareActivities(createAwsClients(), noPayloads, () => false).prepareTuning(
      validateInput({ num: 10, invocationsPerMonth: 'cloudwatch', ...input }),
    );

  it('sums the function’s own Invocations inside the window and scales them to a month', async () => {
    const facts = await prepare({ lambdaARN: 'volume-fn', volumeWindowDays: 7 });
    assert.equal(facts.memorySize, 512);
    assert.deepEqual(facts.volume, {
      invocations: 1000,
      windowDays: 7,
      perMonth: Math.round((1000 / 7) * (365.25 / 12)),
      source: 'cloudwatch',
    });
  });

  it('takes the function name from a full ARN, and a longer window takes older datapoints', async () => {
    const arn = `arn:aws:lambda:${MOTO_REGION}:123456789012:function:volume-fn`;
    const facts = await prepare({ lambdaARN: arn, volumeWindowDays: 14 });
    assert.equal(facts.volume?.invocations, 8000);
    assert.equal(facts.volume?.windowDays, 14);
  });

  it('gives a volume of 0 for a function with no datapoint in the window', async () => {
    const facts = await prepare({ lambdaARN: 'quiet-fn' });
    assert.deepEqual(facts.volume, { invocations: 0, windowDays: 14, perMonth: 0, source: 'cloudwatch' });
  });

  it('reads nothing from CloudWatch without "cloudwatch"', async () => {
    const aws: AwsClients = {
      ...createAwsClients(),
      cloudwatch: () => assert.fail('CloudWatch was asked'),
    };
    const config = validateInput({ lambdaARN: 'volume-fn', num: 10, invocationsPerMonth: 1000 });
    const facts = await prepareActivities(aws, noPayloads, () => false).prepareTuning(config);
    assert.equal(facts.volume, undefined);
  });
});

describe('readVolume errors', () => {
  const failingWith = (name: string): AwsClients => {
    const client = {
      send: () => Promise.reject(Object.assign(new Error('not authorized'), { name })),
    } as unknown as CloudWatchClient;
    const unused = () => assert.fail('not used');
    return {
      lambda: unused as () => LambdaClient,
      invoker: unused as () => LambdaClient,
      s3: unused,
      cloudwatch: () => Promise.resolve(client),
      defaultRegion: unused,
    };
  };

  it('fails at once on AccessDenied, naming the permission', async () => {
    await assert.rejects(readVolume(failingWith('AccessDenied'), 'us-east-1', 'fn', 14), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.nonRetryable, true);
      assert.match(err.message, /cloudwatch:GetMetricStatistics/);
      assert.match(err.message, /Invocations metric of fn/);
      return true;
    });
  });

  it('leaves throttling retryable', async () => {
    await assert.rejects(readVolume(failingWith('Throttling'), 'us-east-1', 'fn', 14), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.nonRetryable, false);
      return true;
    });
  });
});
