/**
 * The setup activity with several environments per size, against the emulator through the
 * official SDK: each environment is a version of its own with its own indexed alias (after the
 * size's cold slots), a retried attempt finishes what an interrupted one started without
 * publishing anything twice, and run cleanup and `powertune cleanup` remove them all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { AwsClients } from '../../activities/aws/clients.js';
import { cleanupActivities } from '../../activities/cleanup.js';
import { lockActivities } from '../../activities/lock.js';
import { assertStillOurs, setupActivities } from '../../activities/setup.js';
import { strandedCleanupActivities } from '../../activities/stranded-cleanup.js';
import type {
  CleanupResult,
  LockResult,
  SetupInput,
  SetupResult,
  StrandedCleanupReport,
} from '../../activities/types.js';
import { isRunAlias, versionDescription } from '../../domain/naming.js';
import type { FunctionTarget } from '../../domain/types.js';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { functionsFile, lambdaClient } from '../emulator/helpers.js';
import { functionState } from '../support/function-state.js';

const TAG = 'e1e2e3e4';
const DESCRIPTION = 'spread me';
const quiet = { logger: new DefaultLogger('ERROR') };
const fastRetry = { attempts: 2, baseMs: 10, capMs: 20, retryIf: () => true };

void describe('setup over several environments (emulator)', () => {
  let emu: RunningEmulator;
  let lambda: LambdaClient;
  let aws: AwsClients;

  before(async () => {
    const file = functionsFile(
      ['spread', 'retried', 'stranded'].map((name) => ({
        name,
        synthetic: { cpuMs: 5 },
        memorySize: 256,
        description: DESCRIPTION,
      })),
    );
    emu = await startEmulator({
      port: 0,
      timeScale: 0,
      updateDelayMs: 20,
      loadSamples: false,
      functionsFile: file,
    });
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
  const lock = (name: string): Promise<LockResult> =>
    new MockActivityEnvironment(undefined, quiet).run(() =>
      lockActivities(aws).acquireTuningLock({ target: target(name), tag: TAG, workflowId: `wf-${name}` }),
    );
  const input = (name: string, extra: Partial<SetupInput> = {}): SetupInput => ({
    target: target(name),
    tag: TAG,
    power: 512,
    originalDescription: DESCRIPTION,
    versions: 1,
    onlyColdStarts: false,
    environments: 3,
    ...extra,
  });
  const setUp = (
    setup: SetupInput,
    env = new MockActivityEnvironment(undefined, quiet),
  ): Promise<SetupResult> => env.run(setupActivities(aws).setupPowerValue, setup);
  /** Versions the function has ($LATEST included): a PublishVersion that returns an existing one adds none. */
  const versionCount = async (name: string) => (await functionState(lambda, name)).versions.length;
  /** The version an alias points at, and that version's memory and description. */
  const aliasTarget = async (name: string, alias: string) => {
    const { FunctionVersion } = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: alias }));
    const version = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: FunctionVersion }),
    );
    return { version: FunctionVersion, memory: version.MemorySize, description: version.Description };
  };

  void it('publishes one version and alias per environment, after the cold slots, and cleanup removes them', async () => {
    const before = await functionState(lambda, 'spread');
    const held = await lock('spread');
    const publishedBefore = await versionCount('spread');
    const result: SetupResult = await setUp(input('spread', { coldSlots: 2 }));
    assert.deepEqual(result, {
      power: 512,
      aliases: [`ptune-${TAG}-512`],
      coldAliases: [`ptune-${TAG}-512-0`, `ptune-${TAG}-512-1`],
      // The warm alias first, then the environments indexed after the cold ones.
      environmentAliases: [`ptune-${TAG}-512`, `ptune-${TAG}-512-2`, `ptune-${TAG}-512-3`],
    });
    assert.equal(
      (await versionCount('spread')) - publishedBefore,
      5,
      'one warm, two cold, two more environments',
    );
    const targets = await Promise.all(
      [...(result.environmentAliases ?? []), ...(result.coldAliases ?? [])].map((a) =>
        aliasTarget('spread', a),
      ),
    );
    assert.equal(new Set(targets.map((t) => t.version)).size, 5, 'every alias on a version of its own');
    for (const t of targets) assert.equal(t.memory, 512);
    assert.deepEqual(
      targets.slice(0, 3).map((t) => t.description),
      [undefined, 2, 3].map((index) => versionDescription(TAG, 512, DESCRIPTION, index)),
    );

    const cleaned: CleanupResult = await new MockActivityEnvironment(undefined, quiet).run(
      cleanupActivities(aws, { stepRetry: fastRetry }).cleanupRun,
      {
        target: target('spread'),
        tag: TAG,
        restore: held.original,
        snapshot: { version: held.snapshotVersion, created: held.snapshotCreated },
      },
    );
    const runAliases = [...(result.environmentAliases ?? []), ...(result.coldAliases ?? [])];
    assert.deepEqual([...cleaned.deletedAliases].sort(), runAliases.sort());
    assert.equal(cleaned.deletedVersions.length, 5);
    assert.deepEqual(await functionState(lambda, 'spread'), before);
  });

  void it('a retried attempt finishes an interrupted one and publishes nothing twice', async () => {
    const held = await lock('retried');
    const publishedBefore = await versionCount('retried');
    // The first attempt is cancelled once its first (warm) slot is done, as a lost worker's would end.
    const first = new MockActivityEnvironment(undefined, quiet);
    first.on('heartbeat', (details: unknown) => {
      if ((details as { slot?: number } | undefined)?.slot === 0) first.cancel();
    });
    await assert.rejects(setUp(input('retried'), first), (err: unknown) => err instanceof CancelledFailure);
    assert.equal((await versionCount('retried')) - publishedBefore, 1);
    // Then, as if a crash came between publishing the second environment's version and its alias.
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'retried',
        MemorySize: 512,
        Description: versionDescription(TAG, 512, DESCRIPTION, 0),
      }),
    );
    const orphan = await waitAndPublish(lambda, 'retried');
    assert.equal((await versionCount('retried')) - publishedBefore, 2);

    const retried = await setUp(input('retried'));
    assert.deepEqual(retried.environmentAliases, [
      `ptune-${TAG}-512`,
      `ptune-${TAG}-512-0`,
      `ptune-${TAG}-512-1`,
    ]);
    // Only the third environment needed a version; the second took the one already published.
    assert.equal((await versionCount('retried')) - publishedBefore, 3);
    assert.equal((await aliasTarget('retried', `ptune-${TAG}-512-0`)).version, orphan);
    // Once more: everything is there, nothing is published, the answer is the same.
    assert.deepEqual(await setUp(input('retried')), retried);
    assert.equal((await versionCount('retried')) - publishedBefore, 3);
    const versions = await Promise.all(
      (retried.environmentAliases ?? []).map((a) => aliasTarget('retried', a)),
    );
    assert.equal(new Set(versions.map((v) => v.version)).size, 3);
    await new MockActivityEnvironment(undefined, quiet).run(
      cleanupActivities(aws, { stepRetry: fastRetry }).cleanupRun,
      {
        target: target('retried'),
        tag: TAG,
        restore: held.original,
        snapshot: { version: held.snapshotVersion, created: held.snapshotCreated },
      },
    );
    const left = await functionState(lambda, 'retried');
    assert.deepEqual(left.aliases, []);
  });

  void it('powertune cleanup finds the environments of a run that never cleaned up', async () => {
    const before = await functionState(lambda, 'stranded');
    await lock('stranded');
    await setUp(input('stranded', { environments: 4 }));
    const during = await functionState(lambda, 'stranded');
    assert.equal(during.aliases.filter((a) => isRunAlias(a.name, TAG)).length, 4);
    const report: StrandedCleanupReport = await new MockActivityEnvironment(undefined, quiet).run(
      strandedCleanupActivities(aws, { stepRetry: fastRetry }).cleanupStrandedFunction,
      {
        target: target('stranded'),
        workflowId: 'cleanup-stranded',
        tag: '99990000',
        dryRun: false,
        force: true,
      },
    );
    assert.deepEqual(
      [...report.aliases].sort(),
      [`ptune-${TAG}-512`, `ptune-${TAG}-512-0`, `ptune-${TAG}-512-1`, `ptune-${TAG}-512-2`].sort(),
    );
    assert.ok(report.versions.length >= 4, `four environments' versions: ${report.versions.join(', ')}`);
    // Memory, description, versions and aliases as before the run.
    assert.deepEqual(await functionState(lambda, 'stranded'), before);
  });

  void it('before each change: a deleted function is said to be gone, an unlocked one to have lost the lock', async () => {
    const signal = new AbortController().signal;
    const failureOf = async (name: string) =>
      assertStillOurs(lambda, name, name, TAG, signal).then(
        () => assert.fail('should refuse'),
        (err: unknown) => {
          assert.ok(err instanceof ApplicationFailure);
          return err;
        },
      );
    const gone = await failureOf('never-existed');
    assert.equal(gone.type, 'ResourceNotFoundException');
    assert.match(gone.message, /never-existed no longer exists: it was deleted while being tuned/);
    const unlocked = await failureOf('spread');
    assert.equal(unlocked.type, 'LockLost');
  });
});

/** PublishVersion once `$LATEST`'s update has finished, as the activity does. */
async function waitAndPublish(lambda: LambdaClient, name: string): Promise<string> {
  for (;;) {
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    if (latest.LastUpdateStatus !== 'InProgress') break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const published = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  assert.ok(published.Version);
  return published.Version;
}
