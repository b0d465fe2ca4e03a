/**
 * Switching `$LATEST` to the other architecture with the function's own package, and putting it
 * back, against the emulator through the official SDK: the code stays byte-for-byte the saved
 * code (same CodeSha256), a repeated switch changes nothing, versions published meanwhile keep
 * their architecture, cleanup and `powertune cleanup` put the original architecture back, and
 * code someone deployed during the tuning is never overwritten.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { architectureActivities } from '../../activities/architecture.js';
import type { AwsClients } from '../../activities/aws/clients.js';
import { cleanupActivities } from '../../activities/cleanup.js';
import { lockActivities } from '../../activities/lock.js';
import { strandedCleanupActivities } from '../../activities/stranded-cleanup.js';
import type { CleanupResult, LockResult, StrandedCleanupReport } from '../../activities/types.js';
import { LOCK_ALIAS } from '../../domain/naming.js';
import type { Architecture, FunctionTarget } from '../../domain/types.js';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { functionsFile, json, lambdaClient } from '../emulator/helpers.js';

const TAG = 'abcd1234';
const env = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
const fastRetry = { attempts: 2, baseMs: 10, capMs: 20, retryIf: () => true };

void describe('architecture switch (emulator)', () => {
  let emu: RunningEmulator;
  let lambda: LambdaClient;
  let aws: AwsClients;

  before(async () => {
    const file = functionsFile(
      ['switch', 'deployed', 'stranded', 'not-locked'].map((name) => ({
        name,
        synthetic: { cpuMs: 5 },
        memorySize: 512,
      })),
    );
    emu = await startEmulator({ port: 0, timeScale: 0, loadSamples: false, functionsFile: file });
    lambda = lambdaClient(emu.url, 3);
    aws = {
      lambda: () => lambda,
      invoker: () => lambda,
      s3: () => {
        throw new Error('no S3 here');
      },
      defaultRegion: async () => 'us-east-1',
    };
  });
  after(async () => {
    lambda?.destroy();
    await emu?.stop();
  });

  const target = (name: string): FunctionTarget => ({ functionName: name, region: 'us-east-1', name });
  const config = (name: string, qualifier?: string) =>
    lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: qualifier }));
  const lock = (name: string, tag = TAG): Promise<LockResult> =>
    env().run(() =>
      lockActivities(aws).acquireTuningLock({ target: target(name), tag, workflowId: `wf-${name}` }),
    );
  const switchTo = (name: string, savedVersion: string, architecture: Architecture, tag = TAG) =>
    env().run(() =>
      architectureActivities(aws).switchArchitecture({
        target: target(name),
        tag,
        savedVersion,
        architecture,
      }),
    );
  const rejectsWith = async (work: Promise<unknown>, type: string, text: RegExp) => {
    await assert.rejects(work, (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure, String(err));
      assert.equal(err.type, type);
      assert.match(err.message, text);
      return true;
    });
  };

  void it('moves the saved code to arm64 and back, byte for byte, and repeats safely', async () => {
    const original = await config('switch');
    assert.deepEqual(original.Architectures, ['x86_64']);
    const held = await lock('switch');

    assert.deepEqual(await switchTo('switch', held.snapshotVersion, 'arm64'), {
      architecture: 'arm64',
      switched: true,
    });
    const onArm = await config('switch');
    assert.deepEqual(onArm.Architectures, ['arm64']);
    assert.equal(onArm.CodeSha256, original.CodeSha256, 'the same package, uploaded again');
    assert.equal(onArm.MemorySize, 512);
    // A retried step finds the work done.
    assert.deepEqual(await switchTo('switch', held.snapshotVersion, 'arm64'), {
      architecture: 'arm64',
      switched: false,
    });
    const published = await lambda.send(new PublishVersionCommand({ FunctionName: 'switch' }));
    assert.deepEqual(published.Architectures, ['arm64']);

    const result: CleanupResult = await env().run(
      cleanupActivities(aws, { stepRetry: fastRetry }).cleanupRun,
      {
        target: target('switch'),
        tag: TAG,
        snapshot: { version: held.snapshotVersion, created: held.snapshotCreated },
        restoreArchitecture: true,
      },
    );
    assert.equal(result.releasedLock, true);
    const back = await config('switch');
    assert.deepEqual(back.Architectures, ['x86_64']);
    assert.equal(back.CodeSha256, original.CodeSha256);
    // The version published on arm64 keeps its architecture.
    assert.deepEqual((await config('switch', published.Version)).Architectures, ['arm64']);
  });

  void it('never overwrites code deployed during the tuning', async () => {
    const held = await lock('deployed');
    const deployed = json({ cpuMs: 7 });
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'deployed', ZipFile: deployed }));
    const afterDeploy = await config('deployed');
    await rejectsWith(
      switchTo('deployed', held.snapshotVersion, 'arm64'),
      'CodeChangedDuringTuning',
      /changed during the tuning.*someone deployed/,
    );
    // Cleanup leaves the new code (and its architecture) alone and still finishes.
    const result: CleanupResult = await env().run(
      cleanupActivities(aws, { stepRetry: fastRetry }).cleanupRun,
      {
        target: target('deployed'),
        tag: TAG,
        snapshot: { version: held.snapshotVersion, created: held.snapshotCreated },
        restoreArchitecture: true,
      },
    );
    assert.equal(result.releasedLock, true);
    const now = await config('deployed');
    assert.equal(now.CodeSha256, afterDeploy.CodeSha256);
    assert.deepEqual(now.Architectures, ['x86_64']);
  });

  void it('switches nothing without the lock', async () => {
    const other = await lock('not-locked', 'ffff0000');
    await rejectsWith(switchTo('not-locked', other.snapshotVersion, 'arm64'), 'LockLost', /no longer holds/);
    assert.deepEqual((await config('not-locked')).Architectures, ['x86_64']);
  });

  void it('powertune cleanup puts a stranded run’s architecture back', async () => {
    const original = await config('stranded');
    const held = await lock('stranded', '0000beef');
    await switchTo('stranded', held.snapshotVersion, 'arm64', '0000beef');
    const cleanup = (dryRun: boolean): Promise<StrandedCleanupReport> =>
      env().run(strandedCleanupActivities(aws, { stepRetry: fastRetry }).cleanupStrandedFunction, {
        target: target('stranded'),
        workflowId: 'cleanup-stranded',
        tag: '11112222',
        dryRun,
        force: true,
      });
    const preview = await cleanup(true);
    assert.deepEqual(preview.architecture, { from: 'arm64', to: 'x86_64' });
    assert.deepEqual((await config('stranded')).Architectures, ['arm64'], 'a dry run changes nothing');
    const report = await cleanup(false);
    assert.deepEqual(report.architecture, { from: 'arm64', to: 'x86_64' });
    const back = await config('stranded');
    assert.deepEqual(back.Architectures, ['x86_64']);
    assert.equal(back.CodeSha256, original.CodeSha256);
    await assert.rejects(config('stranded', LOCK_ALIAS), /not found|ResourceNotFound/i);
  });
});
