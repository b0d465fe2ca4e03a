/**
 * Contract tests of the control plane, all through the official @aws-sdk/client-lambda:
 * shapes, errors mapped to the SDK's exception classes, waiters, update conflicts, publish
 * idempotency, alias-protected versions, Pending versions and pagination.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvalidParameterValueException,
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
} from '@aws-sdk/client-lambda';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { functionsFile, json, lambdaClient, payloadJson, zip } from './helpers.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
const fast = { minDelay: 0.1, maxDelay: 0.2, maxWaitTime: 10 };

void describe('emulator control plane', () => {
  let emu: RunningEmulator;
  let lambda: LambdaClient;

  before(async () => {
    const file = functionsFile([
      { name: 'plain', synthetic: { cpuMs: 10 }, description: 'original' },
      { name: 'aliased', synthetic: { cpuMs: 10 } },
      { name: 'snap', synthetic: { cpuMs: 10 }, pendingVersionMs: 400 },
      ...['p1', 'p2', 'p3'].map((name) => ({ name, synthetic: { cpuMs: 1 } })),
    ]);
    emu = await startEmulator({
      port: 0,
      timeScale: 0,
      loadSamples: false,
      functionsFile: file,
      updateDelayMs: 250,
    });
    lambda = lambdaClient(emu.url);
  });
  after(async () => {
    lambda?.destroy();
    await emu?.stop();
  });

  void it('lists functions with AWS shapes, page by page', async () => {
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
      assert.ok((page.Functions ?? []).length <= 2);
      names.push(...(page.Functions ?? []).map((f) => f.FunctionName ?? ''));
      marker = page.NextMarker;
      pages += 1;
    } while (marker);
    assert.ok(pages >= 3);
    assert.deepEqual(names.sort(), ['aliased', 'p1', 'p2', 'p3', 'plain', 'snap']);

    const { Functions } = await lambda.send(new ListFunctionsCommand({}));
    const plain = Functions?.find((f) => f.FunctionName === 'plain');
    assert.equal(plain?.FunctionArn, `${ARN}:plain`);
    assert.equal(plain?.Version, '$LATEST');
    assert.equal(plain?.MemorySize, 128);
    assert.deepEqual(plain?.Architectures, ['x86_64']);
    assert.equal(plain?.State, 'Active');
    assert.equal(plain?.LastUpdateStatus, 'Successful');
    assert.match(plain?.RevisionId ?? '', /^[0-9a-f-]{36}$/);
    assert.match(plain?.LastModified ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  });

  void it('finds a function by name, full ARN, partial ARN and qualified ARN', async () => {
    for (const FunctionName of [
      'plain',
      `${ARN}:plain`,
      '123456789012:function:plain',
      `${ARN}:plain:$LATEST`,
    ]) {
      const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName }));
      assert.equal(config.FunctionName, 'plain', FunctionName);
    }
    const qualified = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'plain', Qualifier: '$LATEST' }),
    );
    assert.equal(qualified.FunctionArn, `${ARN}:plain:$LATEST`);
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'plain' }));
    assert.equal(got.Configuration?.Description, 'original');
    assert.equal(got.Code?.RepositoryType, 'S3');
  });

  void it('maps unknown functions, qualifiers and accounts to ResourceNotFoundException', async () => {
    const cases = [
      new GetFunctionConfigurationCommand({ FunctionName: 'nope' }),
      new GetFunctionCommand({ FunctionName: 'plain', Qualifier: '99' }),
      new GetFunctionConfigurationCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:999999999999:function:plain',
      }),
      new GetAliasCommand({ FunctionName: 'plain', Name: 'missing' }),
      new InvokeCommand({ FunctionName: 'plain', Qualifier: 'missing' }),
    ] as const;
    for (const command of cases) {
      await assert.rejects(lambda.send(command as never), (err: unknown) => {
        assert.ok(err instanceof ResourceNotFoundException, String(err));
        assert.equal(err.$metadata.httpStatusCode, 404);
        assert.match(err.message, /not found/i);
        return true;
      });
    }
  });

  void it('updates $LATEST, reports InProgress, refuses a second update or a publish meanwhile, and the waiter sees it finish', async () => {
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'plain' }));
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'plain',
        MemorySize: 512,
        Description: 'tuned',
        Timeout: 20,
        Environment: { Variables: { MODE: 'fast' } },
        LoggingConfig: { LogFormat: 'JSON' },
      }),
    );
    assert.equal(updated.LastUpdateStatus, 'InProgress');
    assert.equal(updated.MemorySize, 512);
    await assert.rejects(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'plain', MemorySize: 256 })),
      (err: unknown) => {
        assert.ok(err instanceof ResourceConflictException);
        assert.equal(err.$metadata.httpStatusCode, 409);
        assert.match(
          err.message,
          /An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:plain/,
        );
        return true;
      },
    );
    await assert.rejects(
      lambda.send(new PublishVersionCommand({ FunctionName: 'plain' })),
      ResourceConflictException,
    );

    const waited = await waitUntilFunctionUpdatedV2({ client: lambda, ...fast }, { FunctionName: 'plain' });
    assert.equal(waited.state, 'SUCCESS');
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'plain' }));
    assert.equal(config.LastUpdateStatus, 'Successful');
    assert.equal(config.MemorySize, 512);
    assert.equal(config.Description, 'tuned');
    assert.equal(config.Timeout, 20);
    assert.deepEqual(config.Environment?.Variables, { MODE: 'fast' });
    assert.equal(config.LoggingConfig?.LogFormat, 'JSON');
    assert.equal(config.RevisionId, updated.RevisionId);
    assert.notEqual(config.RevisionId, before.RevisionId);
  });

  void it('refuses an update with a stale RevisionId with PreconditionFailedException', async () => {
    const current = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'p3' }));
    await assert.rejects(
      lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: 'p3', MemorySize: 256, RevisionId: 'stale' }),
      ),
      (err: unknown) => err instanceof PreconditionFailedException && err.$metadata.httpStatusCode === 412,
    );
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'p3',
        MemorySize: 256,
        RevisionId: current.RevisionId,
      }),
    );
    assert.equal(updated.MemorySize, 256);
  });

  void it('rejects configuration values out of range with InvalidParameterValueException', async () => {
    for (const input of [
      { MemorySize: 100 },
      { MemorySize: 10241 },
      { Timeout: 901 },
      { LoggingConfig: { LogFormat: 'XML' } },
    ]) {
      await assert.rejects(
        lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'p1', ...(input as object) })),
        (err: unknown) => {
          assert.ok(err instanceof InvalidParameterValueException, JSON.stringify(input));
          assert.equal(err.$metadata.httpStatusCode, 400);
          return true;
        },
      );
    }
  });

  void it('publishes versions idempotently and keeps each version immutable', async () => {
    await waitUntilFunctionUpdatedV2({ client: lambda, ...fast }, { FunctionName: 'aliased' });
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'aliased' }));
    assert.equal(v1.Version, '1');
    assert.equal(v1.FunctionArn, `${ARN}:aliased:1`);
    const again = await lambda.send(new PublishVersionCommand({ FunctionName: 'aliased' }));
    assert.equal(again.Version, '1', 'nothing changed, so the existing version comes back');

    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'aliased', MemorySize: 1024 }));
    await waitUntilFunctionUpdatedV2({ client: lambda, ...fast }, { FunctionName: 'aliased' });
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: 'aliased', Description: 'big' }));
    assert.equal(v2.Version, '2');
    assert.equal(v2.MemorySize, 1024);
    assert.equal(v2.Description, 'big');

    const v1Config = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'aliased', Qualifier: '1' }),
    );
    assert.equal(v1Config.MemorySize, 128);
    assert.equal(v1Config.Version, '1');

    const versions: string[] = [];
    let marker: string | undefined;
    do {
      const page = await lambda.send(
        new ListVersionsByFunctionCommand({ FunctionName: 'aliased', MaxItems: 1, Marker: marker }),
      );
      versions.push(...(page.Versions ?? []).map((v) => v.Version ?? ''));
      marker = page.NextMarker;
    } while (marker);
    assert.deepEqual(versions, ['$LATEST', '1', '2']);
  });

  void it('manages aliases and refuses to delete a version an alias points to', async () => {
    const created = await lambda.send(
      new CreateAliasCommand({
        FunctionName: 'aliased',
        Name: 'live',
        FunctionVersion: '1',
        Description: 'prod',
      }),
    );
    assert.equal(created.AliasArn, `${ARN}:aliased:live`);
    assert.equal(created.FunctionVersion, '1');
    await assert.rejects(
      lambda.send(new CreateAliasCommand({ FunctionName: 'aliased', Name: 'live', FunctionVersion: '1' })),
      (err: unknown) => err instanceof ResourceConflictException && /Alias already exists/.test(err.message),
    );
    await assert.rejects(
      lambda.send(new CreateAliasCommand({ FunctionName: 'aliased', Name: 'other', FunctionVersion: '42' })),
      ResourceNotFoundException,
    );
    await lambda.send(
      new CreateAliasCommand({ FunctionName: 'aliased', Name: 'beta', FunctionVersion: '2' }),
    );

    const viaAlias = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'aliased', Qualifier: 'live' }),
    );
    assert.equal(viaAlias.Version, '1');
    assert.equal(viaAlias.FunctionArn, `${ARN}:aliased:live`);

    const updated = await lambda.send(
      new UpdateAliasCommand({ FunctionName: 'aliased', Name: 'live', FunctionVersion: '2' }),
    );
    assert.equal(updated.FunctionVersion, '2');
    const got = await lambda.send(new GetAliasCommand({ FunctionName: 'aliased', Name: 'live' }));
    assert.equal(got.FunctionVersion, '2');
    assert.equal(got.Description, 'prod');

    const first = await lambda.send(new ListAliasesCommand({ FunctionName: 'aliased', MaxItems: 1 }));
    assert.equal(first.Aliases?.length, 1);
    assert.ok(first.NextMarker);
    const rest = await lambda.send(
      new ListAliasesCommand({ FunctionName: 'aliased', Marker: first.NextMarker }),
    );
    assert.deepEqual([...(first.Aliases ?? []), ...(rest.Aliases ?? [])].map((a) => a.Name).sort(), [
      'beta',
      'live',
    ]);

    await assert.rejects(
      lambda.send(new DeleteFunctionCommand({ FunctionName: 'aliased', Qualifier: '2' })),
      (err: unknown) => {
        assert.ok(err instanceof ResourceConflictException);
        assert.match(err.message, /aliases reference it: \[(live, beta|beta, live)\]/);
        return true;
      },
    );
    await lambda.send(new DeleteAliasCommand({ FunctionName: 'aliased', Name: 'live' }));
    await lambda.send(new DeleteAliasCommand({ FunctionName: 'aliased', Name: 'beta' }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'aliased', Qualifier: '2' }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'aliased', Qualifier: '1' }));
    await assert.rejects(
      lambda.send(new DeleteFunctionCommand({ FunctionName: 'aliased', Qualifier: '$LATEST' })),
      InvalidParameterValueException,
    );
    const left = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'aliased' }));
    assert.deepEqual(
      left.Versions?.map((v) => v.Version),
      ['$LATEST'],
    );
    assert.deepEqual((await lambda.send(new ListAliasesCommand({ FunctionName: 'aliased' }))).Aliases, []);
  });

  void it('keeps new versions Pending when configured, refuses to invoke them, and the waiters see them become Active', async () => {
    const v = await lambda.send(new PublishVersionCommand({ FunctionName: 'snap' }));
    assert.equal(v.State, 'Pending');
    await assert.rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'snap', Qualifier: v.Version })),
      (err: unknown) => err instanceof ResourceConflictException && /Pending/.test(err.message),
    );
    const published = await waitUntilPublishedVersionActive(
      { client: lambda, ...fast },
      { FunctionName: 'snap', Qualifier: v.Version },
    );
    assert.equal(published.state, 'SUCCESS');
    const active = await waitUntilFunctionActiveV2(
      { client: lambda, ...fast },
      { FunctionName: 'snap', Qualifier: v.Version },
    );
    assert.equal(active.state, 'SUCCESS');
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'snap', Qualifier: v.Version }));
    assert.equal(out.StatusCode, 200);
  });

  void it('creates a function from a zip package, runs it once Active, and deletes it', async () => {
    const code = zip(
      {
        'index.mjs': [
          "import { greeting } from './lib/greeting.mjs';",
          'export const handler = async (event) => ({ echo: event, region: process.env.AWS_REGION, greeting });',
        ].join('\n'),
        'lib/greeting.mjs': "export const greeting = 'hello from a nested file';",
      },
      { deflate: true },
    );
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'uploaded',
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::123456789012:role/x',
        Handler: 'index.handler',
        Code: { ZipFile: code },
        MemorySize: 256,
        Architectures: ['arm64'],
      }),
    );
    assert.equal(created.State, 'Pending');
    assert.equal(created.MemorySize, 256);
    assert.deepEqual(created.Architectures, ['arm64']);
    await assert.rejects(
      lambda.send(
        new CreateFunctionCommand({ FunctionName: 'uploaded', Role: 'r', Code: { ZipFile: code } }),
      ),
      ResourceConflictException,
    );
    const active = await waitUntilFunctionActiveV2({ client: lambda, ...fast }, { FunctionName: 'uploaded' });
    assert.equal(active.state, 'SUCCESS');
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'uploaded', Payload: json({ a: 1 }) }));
    assert.deepEqual(payloadJson(out), {
      echo: { a: 1 },
      region: 'us-east-1',
      greeting: 'hello from a nested file',
    });

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'uploaded' }));
    await assert.rejects(
      lambda.send(new GetFunctionCommand({ FunctionName: 'uploaded' })),
      ResourceNotFoundException,
    );
  });

  void it('creates a synthetic function from a JSON profile and publishes it at once with Publish', async () => {
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'profiled',
        Role: 'arn:aws:iam::123456789012:role/x',
        Code: { ZipFile: json({ cpuMs: 20, ioWaitMs: 5 }) },
        Publish: true,
      }),
    );
    assert.equal(created.Version, '1');
    await assert.rejects(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'bad-profile',
          Role: 'r',
          Code: { ZipFile: json({ cpuMs: -1 }) },
        }),
      ),
      InvalidParameterValueException,
    );
    await assert.rejects(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'no-code',
          Role: 'r',
          Code: { S3Bucket: 'b', S3Key: 'k' },
        }),
      ),
      InvalidParameterValueException,
    );
  });

  void it('is found through the standard AWS_ENDPOINT_URL_LAMBDA variable, with no endpoint in the code', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_LAMBDA;
    process.env.AWS_ENDPOINT_URL_LAMBDA = emu.url;
    try {
      const plain = new LambdaClient({
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      });
      const config = await plain.send(new GetFunctionConfigurationCommand({ FunctionName: 'p1' }));
      plain.destroy();
      assert.equal(config.FunctionArn, `${ARN}:p1`);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_LAMBDA;
      else process.env.AWS_ENDPOINT_URL_LAMBDA = saved;
    }
  });

  void it('answers an operation it does not implement with UnknownOperationException', async () => {
    await assert.rejects(lambda.send(new GetPolicyCommand({ FunctionName: 'plain' })), (err: unknown) => {
      assert.ok(err instanceof LambdaServiceException);
      assert.equal(err.name, 'UnknownOperationException');
      assert.equal(err.$metadata.httpStatusCode, 404);
      return true;
    });
  });

  void it('records control-plane calls in the event log and shows versions and aliases in the state', async () => {
    await emu.admin.clearEvents();
    await lambda.send(new PublishVersionCommand({ FunctionName: 'p2' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'p2', Name: 'RAM128', FunctionVersion: '1' }));
    await assert.rejects(lambda.send(new GetAliasCommand({ FunctionName: 'p2', Name: 'gone' })));
    await lambda.send(new InvokeCommand({ FunctionName: 'p2' }));
    const events = await emu.admin.events();
    assert.deepEqual(
      events.map((e) => [e.operation, e.functionName, e.status, e.errorType]),
      [
        ['PublishVersion', 'p2', 201, undefined],
        ['CreateAlias', 'p2', 201, undefined],
        ['GetAlias', 'p2', 404, 'ResourceNotFoundException'],
      ],
    );
    const state = await emu.admin.state();
    const p2 = state.functions.find((f) => f.name === 'p2');
    assert.deepEqual(
      p2?.versions.map((v) => v.version),
      ['$LATEST', '1'],
    );
    assert.deepEqual(p2?.aliases, [{ name: 'RAM128', functionVersion: '1', description: '' }]);
    assert.equal(p2?.versions[0]?.stats.invocations, 1);
    assert.equal(p2?.versions[0]?.configuration.MemorySize, 128);
  });
});
