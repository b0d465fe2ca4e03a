/**
 * UpdateFunctionCode through the official SDK: $LATEST gets new code and a new CodeSha256 while
 * published versions keep theirs, Publish, DryRun, RevisionId preconditions, conflicts while an
 * update is in progress, qualified and unknown names, unsupported code sources, and warm
 * environments that must not keep running the old code.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  ListVersionsByFunctionCommand,
  LogType,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
  type LambdaClient,
  type UpdateFunctionCodeCommandInput,
} from '@aws-sdk/client-lambda';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import {
  decodeLog,
  FAST_WAITER,
  functionsFile,
  handlerDir,
  json,
  lambdaClient,
  payloadJson,
  zip,
} from './helpers.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

/** A handler package whose answer says which code ran. */
const handlerZip = (tag: string): Uint8Array =>
  zip({ 'index.mjs': `export const handler = async () => ({ code: ${JSON.stringify(tag)} });` });

/** AWS's CodeSha256 of a zip package: the base64 SHA-256 of its bytes. */
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64');

void describe('emulator UpdateFunctionCode', () => {
  let emu: RunningEmulator;
  let lambda: LambdaClient;

  before(async () => {
    const file = functionsFile([
      {
        name: 'real',
        code: handlerDir("export const handler = async () => ({ code: 'original' });"),
      },
      { name: 'synth', synthetic: { cpuMs: 10 } },
      { name: 'synth-to-real', synthetic: { cpuMs: 10 } },
      ...['rev', 'busy', 'dry', 'sources'].map((name) => ({ name, synthetic: { cpuMs: 1 } })),
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

  const config = (FunctionName: string, Qualifier?: string) =>
    lambda.send(new GetFunctionConfigurationCommand({ FunctionName, Qualifier }));
  const update = (input: UpdateFunctionCodeCommandInput) => lambda.send(new UpdateFunctionCodeCommand(input));
  const waitUpdated = (FunctionName: string) =>
    waitUntilFunctionUpdatedV2({ client: lambda, ...FAST_WAITER }, { FunctionName });
  const invoke = async (FunctionName: string, Qualifier?: string) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName, Qualifier, LogType: LogType.Tail }));
    return {
      payload: payloadJson(out),
      cold: decodeLog(out).includes('INIT_START'),
      version: out.ExecutedVersion,
    };
  };

  void it("changes $LATEST's code and CodeSha256, keeps version 1's, and runs the new code in a new environment", async () => {
    assert.deepEqual((await invoke('real')).payload, { code: 'original' });
    assert.equal((await invoke('real')).cold, false, 'the second call is warm');
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'real' }));
    assert.equal(v1.Version, '1');
    const before = await config('real');
    assert.equal(before.CodeSha256, v1.CodeSha256);

    const code = handlerZip('updated');
    const updated = await update({ FunctionName: 'real', ZipFile: code });
    assert.equal(updated.$metadata.httpStatusCode, 200);
    assert.equal(updated.FunctionName, 'real');
    assert.equal(updated.FunctionArn, `${ARN}:real`);
    assert.equal(updated.Version, '$LATEST');
    assert.equal(updated.CodeSha256, sha256(code));
    assert.notEqual(updated.CodeSha256, v1.CodeSha256);
    assert.equal(updated.CodeSize, code.length);
    assert.equal(updated.LastUpdateStatus, 'InProgress');
    assert.equal(updated.State, 'Active');
    assert.notEqual(updated.RevisionId, before.RevisionId);
    assert.ok((updated.LastModified ?? '') >= (before.LastModified ?? ''), 'LastModified moves forward');
    assert.equal(updated.Handler, before.Handler);
    assert.equal(updated.MemorySize, before.MemorySize);

    const waited = await waitUpdated('real');
    assert.equal(waited.state, 'SUCCESS');
    const latest = await config('real');
    assert.equal(latest.LastUpdateStatus, 'Successful');
    assert.equal(latest.CodeSha256, sha256(code));
    assert.equal(latest.RevisionId, updated.RevisionId);

    const version1 = await config('real', '1');
    assert.equal(version1.CodeSha256, v1.CodeSha256, 'a published version keeps its code');
    assert.equal(version1.CodeSize, v1.CodeSize);
    const { Versions } = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'real' }));
    assert.deepEqual(
      Versions?.map((v) => [v.Version, v.CodeSha256]),
      [
        ['$LATEST', sha256(code)],
        ['1', v1.CodeSha256],
      ],
    );

    const first = await invoke('real');
    assert.deepEqual(first.payload, { code: 'updated' });
    assert.equal(first.cold, true, 'the new code starts a new execution environment');
    assert.equal(first.version, '$LATEST');
    assert.deepEqual((await invoke('real', '1')).payload, { code: 'original' });
  });

  void it('starts a new environment even when the uploaded code is the same, as AWS still updates', async () => {
    const code = handlerZip('same');
    await update({ FunctionName: 'synth-to-real', ZipFile: code });
    await waitUpdated('synth-to-real');
    assert.deepEqual((await invoke('synth-to-real')).payload, { code: 'same' });
    assert.equal((await invoke('synth-to-real')).cold, false);
    const before = await config('synth-to-real');

    const again = await update({ FunctionName: 'synth-to-real', ZipFile: code });
    assert.equal(again.CodeSha256, before.CodeSha256);
    assert.equal(again.LastUpdateStatus, 'InProgress');
    assert.notEqual(again.RevisionId, before.RevisionId);
    await waitUpdated('synth-to-real');
    assert.equal((await invoke('synth-to-real')).cold, true);
  });

  void it('turns a synthetic function into a handler function, as CreateFunction with that zip would make it', async () => {
    const synthetic = await config('synth');
    const code = handlerZip('now real');
    const updated = await update({ FunctionName: 'synth', ZipFile: code, Architectures: ['arm64'] });
    assert.equal(updated.CodeSha256, sha256(code));
    assert.notEqual(updated.CodeSha256, synthetic.CodeSha256);
    assert.deepEqual(updated.Architectures, ['arm64']);
    await waitUpdated('synth');
    assert.deepEqual((await invoke('synth')).payload, { code: 'now real' });

    // ... and back: a profile (zipped as emulator-profile.json) makes it synthetic again.
    const profile = zip({ 'emulator-profile.json': JSON.stringify({ cpuMs: 5 }) });
    const back = await update({ FunctionName: 'synth', ZipFile: profile });
    assert.notEqual(back.CodeSha256, updated.CodeSha256);
    assert.deepEqual(back.Architectures, ['arm64'], 'Architectures left out: unchanged');
    await waitUpdated('synth');
    const out = await invoke('synth');
    assert.deepEqual(out.payload, { ok: true, profile: 'synth', version: '$LATEST' }, 'a synthetic answer');
    assert.equal(out.cold, true);
  });

  void it('publishes a version with the new code when Publish is true', async () => {
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'synth' }));
    const profile = json({ cpuMs: 42 });
    const published = await update({ FunctionName: 'synth', ZipFile: profile, Publish: true });
    assert.equal(published.$metadata.httpStatusCode, 200);
    assert.equal(published.Version, String(Number(v1.Version) + 1));
    assert.equal(published.FunctionArn, `${ARN}:synth:${published.Version}`);
    assert.notEqual(published.CodeSha256, v1.CodeSha256);
    // As on AWS, the new version is Pending until the code update is done.
    assert.equal(published.State, 'Pending');
    assert.equal(published.StateReasonCode, 'Creating');

    const latest = await config('synth');
    assert.equal(latest.LastUpdateStatus, 'InProgress');
    assert.equal(latest.CodeSha256, published.CodeSha256);
    const active = await waitUntilPublishedVersionActive(
      { client: lambda, ...FAST_WAITER },
      { FunctionName: 'synth', Qualifier: published.Version },
    );
    assert.equal(active.state, 'SUCCESS');
    assert.equal((await config('synth', published.Version)).CodeSha256, published.CodeSha256);
    assert.equal((await config('synth', v1.Version)).CodeSha256, v1.CodeSha256);
    const run = await invoke('synth', published.Version);
    assert.equal(run.version, published.Version);
  });

  void it('refuses a stale RevisionId with PreconditionFailedException and changes nothing', async () => {
    const before = await config('rev');
    await assert.rejects(
      update({ FunctionName: 'rev', ZipFile: json({ cpuMs: 2 }), RevisionId: 'stale' }),
      (err: unknown) => {
        assert.ok(err instanceof PreconditionFailedException, String(err));
        assert.equal(err.$metadata.httpStatusCode, 412);
        assert.match(err.message, /Revision Id provided does not match/);
        return true;
      },
    );
    const unchanged = await config('rev');
    assert.equal(unchanged.CodeSha256, before.CodeSha256);
    assert.equal(unchanged.RevisionId, before.RevisionId);
    assert.equal(unchanged.LastUpdateStatus, 'Successful');

    const updated = await update({
      FunctionName: 'rev',
      ZipFile: json({ cpuMs: 2 }),
      RevisionId: before.RevisionId,
    });
    assert.notEqual(updated.CodeSha256, before.CodeSha256);
  });

  void it('refuses another update while one is in progress with ResourceConflictException, both ways', async () => {
    const first = await update({ FunctionName: 'busy', ZipFile: json({ cpuMs: 3 }) });
    assert.equal(first.LastUpdateStatus, 'InProgress');
    const isConflict = (err: unknown): boolean => {
      assert.ok(err instanceof ResourceConflictException, String(err));
      assert.equal(err.$metadata.httpStatusCode, 409);
      assert.match(err.message, new RegExp(`An update is in progress for resource: ${ARN}:busy`));
      return true;
    };
    await assert.rejects(update({ FunctionName: 'busy', ZipFile: json({ cpuMs: 4 }) }), isConflict);
    await assert.rejects(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'busy', MemorySize: 256 })),
      isConflict,
    );
    assert.equal((await config('busy')).CodeSha256, first.CodeSha256, 'the refused update changed nothing');

    await waitUpdated('busy');
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'busy', MemorySize: 256 }));
    await assert.rejects(update({ FunctionName: 'busy', ZipFile: json({ cpuMs: 4 }) }), isConflict);
    await waitUpdated('busy');
    const second = await update({ FunctionName: 'busy', ZipFile: json({ cpuMs: 4 }) });
    assert.notEqual(second.CodeSha256, first.CodeSha256);
    assert.equal(second.MemorySize, 256);
  });

  void it('validates without changing anything on DryRun', async () => {
    const before = await config('dry');
    const dry = await update({
      FunctionName: 'dry',
      ZipFile: handlerZip('dry'),
      DryRun: true,
      Publish: true,
    });
    assert.equal(dry.Version, '$LATEST');
    assert.equal(dry.CodeSha256, before.CodeSha256);
    assert.equal(dry.RevisionId, before.RevisionId);
    assert.equal(dry.LastUpdateStatus, 'Successful');
    const after = await config('dry');
    assert.equal(after.CodeSha256, before.CodeSha256);
    assert.equal(after.RevisionId, before.RevisionId);
    const { Versions } = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'dry' }));
    assert.deepEqual(
      Versions?.map((v) => v.Version),
      ['$LATEST'],
      'DryRun publishes nothing',
    );
    await assert.rejects(
      update({ FunctionName: 'dry', ZipFile: json({ cpuMs: -1 }), DryRun: true }),
      InvalidParameterValueException,
    );
    await assert.rejects(
      update({ FunctionName: 'dry', ZipFile: json({ cpuMs: 1 }), DryRun: true, RevisionId: 'stale' }),
      PreconditionFailedException,
    );
  });

  void it('refuses a qualified function name and answers ResourceNotFoundException for an unknown one', async () => {
    for (const FunctionName of ['real:1', 'real:$LATEST', `${ARN}:real:1`]) {
      await assert.rejects(update({ FunctionName, ZipFile: handlerZip('no') }), (err: unknown) => {
        assert.ok(err instanceof InvalidParameterValueException, `${FunctionName}: ${String(err)}`);
        assert.equal(err.$metadata.httpStatusCode, 400);
        assert.match(err.message, /does not accept a qualified function name/);
        return true;
      });
    }
    for (const FunctionName of ['nope', `${ARN}:nope`]) {
      await assert.rejects(update({ FunctionName, ZipFile: handlerZip('no') }), (err: unknown) => {
        assert.ok(err instanceof ResourceNotFoundException, `${FunctionName}: ${String(err)}`);
        assert.equal(err.$metadata.httpStatusCode, 404);
        assert.match(err.message, new RegExp(`Function not found: ${ARN}:nope`));
        return true;
      });
    }
  });

  void it('refuses code it cannot run: S3, image, no code, a broken zip, a bad architecture', async () => {
    const before = await config('sources');
    const cases: [UpdateFunctionCodeCommandInput, RegExp][] = [
      [
        { FunctionName: 'sources', S3Bucket: 'b', S3Key: 'k.zip' },
        /S3Bucket, S3Key: S3 code is not supported/,
      ],
      [{ FunctionName: 'sources', ImageUri: 'repo/image:1' }, /Please don't provide ImageUri/],
      [{ FunctionName: 'sources' }, /ZipFile is required/],
      [
        { FunctionName: 'sources', ZipFile: handlerZip('x').subarray(0, 40) },
        /Could not unzip uploaded file/,
      ],
      [
        { FunctionName: 'sources', ZipFile: handlerZip('x'), Architectures: ['sparc' as never] },
        /Architectures must be/,
      ],
    ];
    for (const [input, message] of cases) {
      await assert.rejects(update(input), (err: unknown) => {
        assert.ok(err instanceof InvalidParameterValueException, `${JSON.stringify(input)}: ${String(err)}`);
        assert.equal(err.$metadata.httpStatusCode, 400);
        assert.match(err.message, message);
        return true;
      });
    }
    const after = await config('sources');
    assert.equal(after.RevisionId, before.RevisionId);
    assert.equal(after.LastUpdateStatus, 'Successful');
  });

  void it('records the operation in the event log under its AWS name', async () => {
    const events = await emu.admin.events();
    const codeUpdates = events.filter((e) => e.operation === 'UpdateFunctionCode');
    assert.ok(codeUpdates.some((e) => e.functionName === 'real' && e.status === 200));
    assert.ok(
      codeUpdates.some((e) => e.functionName === 'rev' && e.errorType === 'PreconditionFailedException'),
    );
  });
});
