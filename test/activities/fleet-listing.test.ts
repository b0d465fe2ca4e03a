/**
 * listFleetFunctions (activities/fleet-listing.ts) against the emulator through the official SDK:
 * the `$LATEST` of every function a prefix or tags select, a list checked to exist, and a clear,
 * non-retryable failure for what cannot be a fleet. It only reads.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateFunctionCommand, PublishVersionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { AwsClients } from '../../activities/aws/clients.js';
import { fleetListingActivities, type FleetListingInput } from '../../activities/fleet-listing.js';
import type { FleetMember } from '../../domain/fleet-types.js';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { json, lambdaClient } from '../emulator/helpers.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

void describe('listFleetFunctions', () => {
  let emu: RunningEmulator;
  let lambda: LambdaClient;
  let list: (input: FleetListingInput) => Promise<FleetMember[]>;

  const create = (name: string, tags: Record<string, string>, memorySize = 128) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: 'arn:aws:iam::123456789012:role/x',
        Code: { ZipFile: json({ cpuMs: 5 }) },
        MemorySize: memorySize,
        Tags: tags,
      }),
    );

  before(async () => {
    emu = await startEmulator({ port: 0, timeScale: 0, loadSamples: false, updateDelayMs: 0 });
    lambda = lambdaClient(emu.url);
    await create('orders-api', { team: 'orders', env: 'prod' }, 512);
    await create('orders-worker', { team: 'orders', env: 'dev' });
    await create('billing-api', { team: 'billing', env: 'prod' });
    await create('Orders-legacy', { team: 'orders', env: 'prod' });
    // A published version is not another function: a fleet tunes $LATEST.
    await lambda.send(new PublishVersionCommand({ FunctionName: 'orders-api' }));
    const aws: AwsClients = {
      lambda: () => lambda,
      invoker: () => lambda,
      s3: () => {
        throw new Error('no S3 here');
      },
      defaultRegion: async () => 'us-east-1',
    };
    const activities = fleetListingActivities(aws);
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    list = (input) => env.run(activities.listFleetFunctions, input);
  });
  after(async () => {
    lambda?.destroy();
    await emu?.stop();
  });

  const names = (members: FleetMember[]) => members.map((m) => m.functionName);

  void it('selects every $LATEST whose name starts with the prefix, with its ARN, account, region and memory', async () => {
    await emu.admin.clearEvents();
    const members = await list({ selector: { kind: 'prefix', prefix: 'orders-' } });
    assert.deepEqual(names(members), ['orders-api', 'orders-worker']);
    assert.deepEqual(members[0], {
      functionName: 'orders-api',
      functionArn: `${ARN}:orders-api`,
      region: 'us-east-1',
      accountId: '123456789012',
      memorySize: 512,
    });
    // Read-only, and no tags asked for a prefix.
    const operations = new Set((await emu.admin.events()).map((e) => e.operation));
    assert.deepEqual([...operations], ['ListFunctions']);
  });

  void it('selects by tags: every tag must match', async () => {
    await emu.admin.clearEvents();
    assert.deepEqual(
      names(await list({ selector: { kind: 'tags', tags: { team: 'orders', env: 'prod' } } })),
      ['Orders-legacy', 'orders-api'],
    );
    assert.deepEqual(names(await list({ selector: { kind: 'tags', tags: { env: 'prod' } } })), [
      'Orders-legacy',
      'billing-api',
      'orders-api',
    ]);
    const operations = new Set((await emu.admin.events()).map((e) => e.operation));
    assert.deepEqual([...operations].sort(), ['ListFunctions', 'ListTags']);
  });

  void it('checks a list: a name and its ARN are one function', async () => {
    const members = await list({
      selector: { kind: 'functions', functions: ['billing-api', `${ARN}:billing-api`, 'orders-worker'] },
    });
    assert.deepEqual(names(members), ['billing-api', 'orders-worker']);
  });

  void it('fails without retries, naming what is wrong, when the selection cannot be tuned', async () => {
    await assert.rejects(
      list({ selector: { kind: 'functions', functions: ['orders-api', 'nope', `${ARN}:gone`] } }),
      (err: unknown) => {
        assert.ok(err instanceof ApplicationFailure);
        assert.equal(err.type, 'FunctionNotFound');
        assert.equal(err.nonRetryable, true);
        assert.match(
          err.message,
          /These functions do not exist: nope \(in us-east-1\), arn:aws:lambda:us-east-1:123456789012:function:gone\./,
        );
        return true;
      },
    );
    await assert.rejects(list({ selector: { kind: 'prefix', prefix: 'inventory-' } }), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.type, 'EmptyFleet');
      assert.match(err.message, /No function matches prefix "inventory-" in us-east-1/);
      return true;
    });
  });
});
