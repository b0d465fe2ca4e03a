/**
 * Tuning a function in another account through a role (input roleArn), against moto's STS with
 * IAM checks on (a moto server of this file's own) and the emulator as the other account's Lambda.
 * The worker runs as an IAM user of moto holding iam/worker-assume-role-policy.json; the emulator
 * records the access key of every call, so the test sees that each call on the function was signed
 * with the session moto issued for the run, and that a role the worker may not assume fails the
 * run before any call reaches the function.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { RENEW_BEFORE_MS, roleCredentials, roleSessionName } from '../../activities/aws/assume-role.js';
import type { TuningOutput } from '../../domain/types.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { fillPolicy, startMotoIam, type MotoIam } from '../support/moto-iam.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

/** moto's default account, where the worker's user is. */
const WORKER_ACCOUNT = '123456789012';
/** The emulator's account: the function's. */
const TARGET_ACCOUNT = '210987654321';
const TARGET_ROLE = `arn:aws:iam::${TARGET_ACCOUNT}:role/powertune-target`;
const EXTERNAL_ID = 'tuner-2024';

const policyFile = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../iam/${name}`, import.meta.url), 'utf8'));

const PROFILE = { cpuMs: 200, ioWaitMs: 5 };
const functions = writeTestFunctions({ 'xacct-fn': PROFILE, 'denied-fn': PROFILE });
const arnOf = (name: string) => `arn:aws:lambda:us-east-1:${TARGET_ACCOUNT}:function:${name}`;

/** The first ApplicationFailure in the run's failure chain. */
async function failureOf(handle: WorkflowHandle): Promise<ApplicationFailure> {
  try {
    await handle.result();
  } catch (err) {
    assert.ok(err instanceof WorkflowFailedError, String(err));
    let cause: unknown = err.cause;
    while (cause && !(cause instanceof ApplicationFailure)) cause = (cause as { cause?: unknown }).cause;
    assert.ok(cause instanceof ApplicationFailure, `no ApplicationFailure in ${String(err)}`);
    return cause;
  }
  assert.fail('the run did not fail');
}

/** How many attempts the run made of an activity type (the attempt of its last start). */
async function attemptsOf(handle: WorkflowHandle, activityType: string): Promise<number[]> {
  const history = await handle.fetchHistory();
  const scheduled = new Map<string, string>();
  const attempts: number[] = [];
  for (const event of history.events ?? []) {
    const s = event.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(String(event.eventId), s.activityType?.name ?? '');
    const started = event.activityTaskStartedEventAttributes;
    if (started && scheduled.get(String(started.scheduledEventId)) === activityType)
      attempts.push(started.attempt ?? 0);
  }
  return attempts;
}

describe('tuning a function in another account', () => {
  let moto: MotoIam;
  let h: Harness;
  let lambda: LambdaClient;
  let workerKey: string;
  const savedEnv = { ...process.env };

  before(async () => {
    moto = await startMotoIam();
    const worker = await moto.createUser('powertune-worker');
    workerKey = worker.accessKeyId;
    // The worker may assume powertune-target in the function's account, and the role of the same
    // name in its own account (where moto also checks the role's trust policy, see below).
    for (const account of [TARGET_ACCOUNT, WORKER_ACCOUNT]) {
      await moto.putUserPolicy(
        'powertune-worker',
        `assume-in-${account}`,
        fillPolicy(policyFile('worker-assume-role-policy.json'), {
          TARGET_ACCOUNT_ID: account,
          TARGET_ROLE_NAME: 'powertune-target',
        }),
      );
    }
    await moto.createRole(
      'powertune-target',
      fillPolicy(policyFile('target-role-trust-policy.json'), {
        WORKER_PRINCIPAL_ARN: worker.arn,
        EXTERNAL_ID,
      }),
    );
    await moto.enforce();

    h = await startHarness({
      emulator: { functionsFile: functions.file, loadSamples: false, accountId: TARGET_ACCOUNT },
    });
    // After the harness's own settings: the worker signs as moto's user, and asks moto for roles.
    process.env.AWS_ACCESS_KEY_ID = worker.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = worker.secretAccessKey;
    process.env.AWS_ENDPOINT_URL_STS = moto.endpoint;
    // The test's own client, to look at the functions (signed with another key, "test").
    lambda = lambdaClient(h.emulator.url);
  });

  after(async () => {
    await h?.stop();
    await moto?.stop();
    process.env = savedEnv;
  });

  it("tunes with the role's session: every call on the function carries the key moto issued", async () => {
    const before = await functionState(lambda, 'xacct-fn');
    await h.emulator.admin.clearEvents();
    const handle = await h.start({
      lambdaARN: arnOf('xacct-fn'),
      num: 5,
      powerValues: [128, 512],
      roleArn: TARGET_ROLE,
      externalId: EXTERNAL_ID,
    });
    const output = (await handle.result()) as TuningOutput;
    assert.ok([128, 512].includes(output.power as number), `recommended ${String(output.power)}`);
    // Read before this test's own client looks at the function (with its own key).
    const events = (await h.emulator.admin.events()).filter((e) => e.functionName === 'xacct-fn');
    const invokes = (await h.emulator.admin.invokes()).filter((t) => t.functionName === 'xacct-fn');
    assert.deepEqual(await functionState(lambda, 'xacct-fn'), before, 'the function is as it was');

    // One session for the whole run, named after it, with the external id given.
    const { runId } = await handle.describe();
    const session = roleSessionName({ workflowId: handle.workflowId, runId });
    assert.match(session, /^powertune-[0-9a-f]{8}-tuning-/);
    const issued = (await moto.assumedRoles()).filter((r) => r.session_name === session);
    assert.equal(issued.length, 1, JSON.stringify(issued));
    const [granted] = issued as [(typeof issued)[number]];
    assert.equal(granted.role_arn, TARGET_ROLE);
    assert.equal(granted.external_id, EXTERNAL_ID);
    assert.match(granted.access_key_id, /^ASIA/);
    assert.notEqual(granted.access_key_id, workerKey);

    // Every call the emulator got for the function was signed with that session's key.
    const operations = new Set(events.map((e) => e.operation));
    for (const op of [
      'CreateAlias',
      'PublishVersion',
      'UpdateFunctionConfiguration',
      'DeleteAlias',
      'DeleteFunction',
    ])
      assert.ok(operations.has(op), `no ${op} among ${[...operations].join(', ')}`);
    assert.deepEqual(
      [...new Set(events.map((e) => e.accessKeyId))],
      [granted.access_key_id],
      'a control-plane call was signed with another key',
    );
    assert.ok(invokes.reduce((sum, t) => sum + t.invocations, 0) >= 10, JSON.stringify(invokes));
    assert.deepEqual(
      [...new Set(invokes.map((t) => t.accessKeyId))],
      [granted.access_key_id],
      'an invocation was signed with another key',
    );
  });

  it('fails the run before any call on the function when STS refuses the role, naming it', async () => {
    const deniedRole = `arn:aws:iam::${TARGET_ACCOUNT}:role/not-the-tuners`;
    const configBefore = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'denied-fn' }),
    );
    const before = await functionState(lambda, 'denied-fn');
    await h.emulator.admin.clearEvents();
    const handle = await h.start({ lambdaARN: arnOf('denied-fn'), num: 5, roleArn: deniedRole });
    const failure = await failureOf(handle);
    assert.equal(failure.type, 'AssumeRoleDenied');
    assert.ok(failure.nonRetryable);
    assert.ok(failure.message.includes(`Assuming role ${deniedRole} failed: AccessDenied:`), failure.message);
    assert.match(failure.message, /not authorized to perform: sts:AssumeRole/);
    assert.match(
      failure.message,
      /Nothing was changed on arn:aws:lambda:us-east-1:210987654321:function:denied-fn/,
    );
    assert.deepEqual(await attemptsOf(handle, 'acquireTuningLock'), [1], 'the lock was retried');

    // Not a single call reached the function: the AssumeRole came first.
    const calls = (await h.emulator.admin.events()).filter((e) => e.functionName === 'denied-fn');
    assert.deepEqual(calls, []);
    assert.deepEqual(
      (await h.emulator.admin.invokes()).filter((t) => t.functionName === 'denied-fn'),
      [],
    );
    assert.deepEqual(await functionState(lambda, 'denied-fn'), before);
    const configAfter = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'denied-fn' }));
    assert.deepEqual({ ...configAfter, $metadata: undefined }, { ...configBefore, $metadata: undefined });
  });

  it("admits the worker through the role's trust policy only with its external id", async () => {
    // moto checks trust policies of roles in the caller's own account: the worker's here.
    const role = `arn:aws:iam::${WORKER_ACCOUNT}:role/powertune-target`;
    const assume = (externalId: string) =>
      roleCredentials({
        role: { arn: role, externalId },
        sessionName: 'powertune-trust',
        region: 'us-east-1',
      })();
    const credentials = await assume(EXTERNAL_ID);
    assert.match(credentials.accessKeyId, /^ASIA/);
    await assert.rejects(assume('someone-else'), (err: Error) => {
      assert.equal(err.name, 'AssumeRoleDenied');
      assert.ok(
        err.message.startsWith(`Assuming role ${role} with its external id failed: AccessDenied:`),
        err.message,
      );
      return true;
    });
  });

  it('shares one session among concurrent callers and renews it before it expires', async () => {
    let clock = Date.now();
    const provider = roleCredentials(
      { role: { arn: TARGET_ROLE }, sessionName: 'powertune-renewal', region: 'us-east-1' },
      () => clock,
    );
    const [first, second, third] = await Promise.all([provider(), provider(), provider()]);
    assert.ok(first.expiration, 'STS gave no expiry');
    assert.equal(second.accessKeyId, first.accessKeyId);
    assert.equal(third.accessKeyId, first.accessKeyId);
    const expiry = first.expiration.getTime();
    assert.ok(expiry - clock > 55 * 60_000, `a session of only ${(expiry - clock) / 1000} s`);

    clock = expiry - RENEW_BEFORE_MS - 1000;
    assert.equal((await provider()).accessKeyId, first.accessKeyId, 'renewed too early');
    clock = expiry - RENEW_BEFORE_MS + 1000;
    const renewed = await provider();
    assert.notEqual(renewed.accessKeyId, first.accessKeyId, 'not renewed');
    const sessions = (await moto.assumedRoles()).filter((r) => r.session_name === 'powertune-renewal');
    assert.deepEqual(
      sessions.map((r) => r.access_key_id),
      [first.accessKeyId, renewed.accessKeyId],
    );
  });
});
