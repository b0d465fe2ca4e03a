/**
 * The activities' AWS clients are kept per region and per role session, apart from the worker's
 * own, and STS's errors keep the classification the activities retry by. No request is sent here:
 * clients are made, never used (the calls themselves: test/integration/cross-account.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { assumeRoleError, roleSessionName } from '../../activities/aws/assume-role.js';
import { createAwsClients } from '../../activities/aws/clients.js';
import { isPermanent, isTransient, rethrowAws } from '../../activities/aws/errors.js';
import { runTag } from '../../domain/naming.js';

const ROLE_A = { arn: 'arn:aws:iam::210987654321:role/tuner-a' };
const ROLE_B = { arn: 'arn:aws:iam::210987654321:role/tuner-b' };

/** An STS error as the SDK throws it. */
function stsError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe('AWS clients per role', () => {
  it("keeps the worker's own clients apart from each role's, and one per role, external id and kind", () => {
    const aws = createAwsClients({ sessionName: () => 'powertune-run-1' });
    const own = aws.lambda('us-east-1');
    assert.equal(aws.lambda('us-east-1'), own);
    const a = aws.lambda('us-east-1', ROLE_A);
    assert.notEqual(a, own);
    assert.equal(aws.lambda('us-east-1', { ...ROLE_A }), a, 'the same role (by value) gets the same client');
    assert.notEqual(aws.lambda('us-east-1', ROLE_B), a);
    assert.notEqual(aws.lambda('us-east-1', { ...ROLE_A, externalId: 'tuner-2024' }), a);
    assert.notEqual(aws.lambda('eu-west-1', ROLE_A), a);
    assert.notEqual(aws.invoker('us-east-1', ROLE_A), a);
    assert.equal(aws.invoker('us-east-1', ROLE_A), aws.invoker('us-east-1', ROLE_A));
    assert.notEqual(aws.invoker('us-east-1', ROLE_A), aws.invoker('us-east-1'));
  });

  it('gives each run its own session of a role', () => {
    let session = 'powertune-run-1';
    const aws = createAwsClients({ sessionName: () => session });
    const first = aws.lambda('us-east-1', ROLE_A);
    session = 'powertune-run-2';
    const second = aws.lambda('us-east-1', ROLE_A);
    assert.notEqual(second, first);
    session = 'powertune-run-1';
    assert.equal(aws.lambda('us-east-1', ROLE_A), first);
  });

  it('keeps a bounded number of role sessions, dropping the least recently used', () => {
    let session = 'run-1';
    const aws = createAwsClients({ sessionName: () => session, maxRoleSessions: 2 });
    const clientOf = (name: string) => {
      session = name;
      return aws.lambda('us-east-1', ROLE_A);
    };
    const run1 = clientOf('run-1');
    const run2 = clientOf('run-2');
    assert.equal(clientOf('run-1'), run1); // run-1 is now the most recently used
    clientOf('run-3'); // drops run-2
    assert.equal(clientOf('run-1'), run1);
    assert.notEqual(clientOf('run-2'), run2);
  });
});

describe('role session names', () => {
  it('name the tool and the run, within STS limits', () => {
    const name = roleSessionName({ workflowId: 'powertune-my-fn-806b9a', runId: 'run-id-1' });
    assert.equal(name, `powertune-${runTag('run-id-1')}-powertune-my-fn-806b9a`);
    const odd = roleSessionName({ workflowId: `tune my/fn:${'x'.repeat(100)}`, runId: 'r' });
    assert.equal(odd.length, 64);
    assert.match(odd, /^powertune-[0-9a-f]{8}-tune-my-fn-x+$/);
    assert.equal(roleSessionName(), 'powertune');
  });
});

describe('STS errors', () => {
  it('turns a refusal into a permanent AssumeRoleDenied that names the role', () => {
    const err = assumeRoleError(
      { arn: ROLE_A.arn, externalId: 'tuner-2024' },
      stsError(
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/w is not authorized to perform: sts:AssumeRole',
        {
          $metadata: { httpStatusCode: 403 },
          $fault: 'client',
        },
      ),
    );
    assert.equal(err.name, 'AssumeRoleDenied');
    assert.equal(
      err.message,
      `Assuming role ${ROLE_A.arn} with its external id failed: AccessDenied: User: ` +
        'arn:aws:iam::123456789012:user/w is not authorized to perform: sts:AssumeRole',
    );
    assert.doesNotMatch(err.message, /tuner-2024/, 'the external id stays out of messages');
    assert.ok(isPermanent(err));
    assert.ok(!isTransient(err));
    assert.throws(
      () => rethrowAws(err, 'Reading the configuration of fn'),
      (failure: unknown) =>
        failure instanceof ApplicationFailure &&
        failure.nonRetryable &&
        failure.type === 'AssumeRoleDenied' &&
        failure.message.includes(ROLE_A.arn),
    );
    for (const name of ['ValidationError', 'InvalidClientTokenId', 'RegionDisabledException']) {
      assert.equal(assumeRoleError(ROLE_A, stsError(name, 'no')).name, 'AssumeRoleDenied', name);
    }
  });

  it('keeps throttling, 5xx and lost connections retryable, with the role named', () => {
    const throttled = assumeRoleError(ROLE_A, stsError('Throttling', 'Rate exceeded'));
    assert.equal(throttled.name, 'Throttling');
    assert.match(throttled.message, /tuner-a failed: Throttling: Rate exceeded/);
    assert.ok(isTransient(throttled));
    const unavailable = assumeRoleError(
      ROLE_A,
      stsError('ServiceUnavailable', 'try later', { $metadata: { httpStatusCode: 503 }, $fault: 'server' }),
    );
    assert.ok(isTransient(unavailable));
    const refused = assumeRoleError(
      ROLE_A,
      stsError('Error', 'connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }),
    );
    assert.ok(isTransient(refused));
    assert.throws(
      () => rethrowAws(throttled, 'Taking the tuning lock on fn'),
      (failure: unknown) => failure instanceof ApplicationFailure && !failure.nonRetryable,
    );
  });
});
