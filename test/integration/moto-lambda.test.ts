/**
 * The control plane against a second, independent Lambda implementation: moto's Lambda (server
 * mode, `use_docker: false`). moto keeps functions, versions and aliases but runs no code, so its
 * invocations come back without a log: a tuning there locks, snapshots, sets up every power value
 * and restores `$LATEST`, then fails at its first invocation and must clean up completely. The
 * function is given both as a bare name and as a full ARN (moto's alias and version listings do
 * not take ARNs), and `powertune cleanup` (the cleanupFunction workflow) is run on a function left
 * as a terminated tuning leaves it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import { DefaultLogger, NativeConnection } from '@temporalio/worker';
import type { PowerTuningWorkflow } from '../../client/api.js';
import { cleanupFunction, isNothingToClean, type StrandedCleanupReport } from '../../client/cleanup.js';
import { createAwsClients, type AwsClients } from '../../activities/aws/clients.js';
import { LOCK_ALIAS, aliasName, lockDescription, runTag, versionDescription } from '../../domain/naming.js';
import { POWER_TUNING_WORKFLOW } from '../../domain/workflow-api.js';
import { createPowerTuningWorker } from '../../worker/create-worker.js';
import { cliEnv, powertune } from '../e2e/support.js';
import { testTemporalAddress, testTemporalNamespace } from '../support/env.js';
import { functionState } from '../support/function-state.js';
import { MOTO_ACCOUNT, MOTO_REGION, startMotoLambda, type MotoLambda } from '../support/moto-lambda.js';
import {
  installTestLogger,
  runInBackground,
  useLocalAws,
  workflowBundle,
  type BackgroundWorker,
} from '../support/tuning-harness.js';

/** Calls that change or list a function's versions and aliases: they must name the function plainly. */
const CONTROL_PLANE = new Set([
  'GetAliasCommand',
  'CreateAliasCommand',
  'UpdateAliasCommand',
  'DeleteAliasCommand',
  'ListAliasesCommand',
  'ListVersionsByFunctionCommand',
  'PublishVersionCommand',
  'UpdateFunctionConfigurationCommand',
  'DeleteFunctionCommand',
]);

interface Call {
  command: string;
  functionName?: string;
  qualifier?: string;
  name?: string;
}

/** The worker's own AWS clients, with every Lambda control-plane request written down. */
function recordingClients(calls: Call[]): AwsClients {
  const aws = createAwsClients();
  const seen = new WeakSet<LambdaClient>();
  return {
    ...aws,
    lambda(region) {
      const client = aws.lambda(region);
      if (!seen.has(client)) {
        seen.add(client);
        client.middlewareStack.add(
          (next, context) => async (args) => {
            const input = args.input as { FunctionName?: string; Qualifier?: string; Name?: string };
            calls.push({
              command: context.commandName ?? '?',
              functionName: input.FunctionName,
              qualifier: input.Qualifier,
              name: input.Name,
            });
            return next(args);
          },
          { step: 'initialize', name: 'recordControlPlaneCalls' },
        );
      }
      return client;
    },
  };
}

/** The innermost application failure of a workflow's error chain. */
function rootApplicationFailure(err: unknown): ApplicationFailure | undefined {
  let found: ApplicationFailure | undefined;
  for (let current: unknown = err; current instanceof Error; current = current.cause) {
    if (current instanceof ApplicationFailure) found = current;
    if (!(current instanceof TemporalFailure) && !(current instanceof WorkflowFailedError)) break;
  }
  return found;
}

describe("the control plane against moto's Lambda (use_docker: false)", () => {
  let moto: MotoLambda;
  let polling: BackgroundWorker | undefined;
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let client: Client;
  let cli: NodeJS.ProcessEnv;
  const taskQueue = `moto-lambda-${randomUUID()}`;
  const calls: Call[] = [];

  before(async () => {
    // ERROR: the worker logs every expected invocation failure as a warning.
    installTestLogger(new DefaultLogger('ERROR'));
    moto = await startMotoLambda();
    // The worker's SDK clients find moto through the standard variables, as they would LocalStack.
    await useLocalAws(moto.endpoint, false);
    const address = await testTemporalAddress();
    const namespace = await testTemporalNamespace();
    nativeConnection = await NativeConnection.connect({ address });
    const worker = await createPowerTuningWorker({
      connection: nativeConnection,
      namespace,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activityDeps: { aws: recordingClients(calls) },
    });
    polling = runInBackground(worker);
    connection = await Connection.connect({ address });
    client = new Client({ connection, namespace });
    cli = cliEnv(address, namespace, taskQueue);
  });

  after(async () => {
    await polling?.stop();
    await nativeConnection?.close();
    await connection?.close();
    await moto?.stop();
  });

  /**
   * A function with a version and an alias of the user's own, and a `$LATEST` that differs from
   * that version (so the lock's snapshot is a new version the tuning must delete again).
   */
  async function userFunction(name: string): Promise<string> {
    const arn = await moto.createFunction(name, { memorySize: 256, description: 'first deploy' });
    const v1 = await moto.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await moto.lambda.send(
      new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: v1.Version }),
    );
    await moto.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: 'the original description' }),
    );
    return arn;
  }

  for (const form of ['bare name', 'full ARN'] as const) {
    it(`a tuning given the ${form} sets up, fails at invocation and puts the function back exactly`, async () => {
      const name = `moto-tune-${form === 'bare name' ? 'name' : 'arn'}`;
      const arn = await userFunction(name);
      assert.equal(arn, `arn:aws:lambda:${MOTO_REGION}:${MOTO_ACCOUNT}:function:${name}`);
      const before = await functionState(moto.lambda, name);
      assert.deepEqual(before.versions, ['$LATEST', '1']);
      calls.length = 0;

      const handle = await client.workflow.start<PowerTuningWorkflow>(POWER_TUNING_WORKFLOW, {
        taskQueue,
        workflowId: `moto-tuning-${randomUUID()}`,
        args: [{ lambdaARN: form === 'bare name' ? name : arn, num: 5, powerValues: [128, 512] }],
      });
      await assert.rejects(handle.result(), (err: unknown) => {
        assert.ok(err instanceof WorkflowFailedError);
        const root = rootApplicationFailure(err);
        assert.equal(root?.type, 'LogParseError', `failed for another reason: ${String(root?.message)}`);
        assert.match(root?.message ?? '', /from its log/);
        return true;
      });

      assert.deepEqual(await functionState(moto.lambda, name), before, 'exactly the state before the tuning');
      // It did get as far as invoking: both power values were published and aliased, then removed.
      const of = (command: string) => calls.filter((c) => c.command === command);
      const runAliases = of('CreateAliasCommand')
        .map((c) => c.name)
        .filter((n) => n?.startsWith('ptune-'));
      assert.equal(runAliases.length, 2, 'one alias per power value');
      assert.deepEqual(
        of('DeleteAliasCommand')
          .map((c) => c.name)
          .sort(),
        [...runAliases, LOCK_ALIAS].sort(),
        'every alias the run created was deleted, and the lock',
      );
      assert.deepEqual(
        of('DeleteFunctionCommand')
          .map((c) => c.qualifier)
          .sort(),
        ['2', '3', '4'],
        "the lock's snapshot and one version per power value were published, then deleted",
      );
      // Reads may use the ARN; everything that lists or changes versions and aliases names the function.
      const named = calls.filter((c) => CONTROL_PLANE.has(c.command));
      assert.ok(named.length > 0);
      assert.deepEqual(
        named.filter((c) => c.functionName !== name),
        [],
        'every control-plane call addresses the function by its canonical name',
      );
    });

    it(`powertune cleanup given the ${form} puts back a function a terminated tuning left`, async () => {
      const name = `moto-stranded-${form === 'bare name' ? 'name' : 'arn'}`;
      const arn = await userFunction(name);
      const before = await functionState(moto.lambda, name);
      const original = { memorySize: 256, description: 'the original description' };

      // What a tuning ended during setup leaves: its lock on a snapshot of the original settings,
      // a version and alias for 512 MB, and `$LATEST` still at 512 MB with the run's marker.
      const tag = runTag(`terminated-${randomUUID()}`);
      const holder = { tag, workflowId: `terminated-${randomUUID()}`, versionsBefore: 1 };
      await moto.lambda.send(
        new CreateAliasCommand({
          FunctionName: name,
          Name: LOCK_ALIAS,
          FunctionVersion: '$LATEST',
          Description: lockDescription(holder),
        }),
      );
      const snapshot = await moto.lambda.send(
        new PublishVersionCommand({ FunctionName: name, Description: original.description }),
      );
      assert.equal(snapshot.Version, '2');
      await moto.lambda.send(
        new UpdateAliasCommand({
          FunctionName: name,
          Name: LOCK_ALIAS,
          FunctionVersion: '2',
          Description: lockDescription(holder),
        }),
      );
      await moto.lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: name,
          MemorySize: 512,
          Description: versionDescription(tag, 512, original.description),
        }),
      );
      const tuned = await moto.lambda.send(new PublishVersionCommand({ FunctionName: name }));
      assert.equal(tuned.Version, '3');
      await moto.lambda.send(
        new CreateAliasCommand({ FunctionName: name, Name: aliasName(tag, 512), FunctionVersion: '3' }),
      );
      const stranded = await functionState(moto.lambda, name);
      assert.equal(stranded.memorySize, 512);

      const target = form === 'bare name' ? name : arn;
      const dry = await cleanupFunction(client, target, { dryRun: true, taskQueue });
      assert.equal(dry.lock?.workflowId, holder.workflowId);
      assert.equal(dry.lock?.ownerStatus, 'NOT_FOUND');
      assert.equal(dry.lock?.pointsTo, '2');
      assert.deepEqual(dry.aliases, [aliasName(tag, 512)]);
      assert.deepEqual(dry.versions, ['2', '3']);
      assert.deepEqual(dry.restore?.to, original);
      assert.deepEqual(await functionState(moto.lambda, name), stranded, 'a dry run changes nothing');

      // The command itself, as an operator runs it.
      const run = await powertune(['cleanup', target, '--json'], cli);
      assert.equal(run.code, 0, run.stderr);
      const done = JSON.parse(run.stdout) as StrandedCleanupReport;
      assert.equal(done.dryRun, false);
      assert.deepEqual(done.aliases, dry.aliases);
      assert.deepEqual(done.versions, dry.versions);
      assert.equal(done.releasedLock, true);
      assert.deepEqual(done.warnings, []);
      assert.deepEqual(await functionState(moto.lambda, name), before, 'exactly the state before the tuning');
      assert.ok(isNothingToClean(await cleanupFunction(client, target, { taskQueue })), 'nothing left');
    });
  }
});
