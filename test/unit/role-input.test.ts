/** roleArn and externalId: IAM's and STS's rules, checked before anything runs, and where the role ends up. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError, InputErrors } from '../../domain/errors.js';
import { readTargetRole, splitRoleArn } from '../../domain/role.js';
import { configToInput, validateInput } from '../../domain/validate.js';

const FUNCTION = 'arn:aws:lambda:eu-west-1:210987654321:function:their-fn';
const ROLE = 'arn:aws:iam::210987654321:role/powertune-target';
const BASE = { lambdaARN: FUNCTION, num: 10 };

/** The error of `field`, which must be among the input's errors. */
function errorOf(extra: Record<string, unknown>, field: string): InputError {
  try {
    validateInput({ ...BASE, ...extra });
  } catch (error) {
    assert.ok(error instanceof InputErrors, String(error));
    const match = error.errors.find((e) => e.field === field);
    assert.ok(match, `no error names "${field}": ${error.message}`);
    assert.match(match.message, /^Invalid input "[A-Za-z]+": .+\. Accepted: .+\.$/);
    return match;
  }
  assert.fail(`accepted ${JSON.stringify(extra)}`);
}

describe('roleArn', () => {
  it('puts the role on the target, where every activity on the function finds it', () => {
    const config = validateInput({ ...BASE, roleArn: ROLE });
    assert.deepEqual(config.target.role, { arn: ROLE });
    assert.equal(config.target.functionName, FUNCTION);
    const withId = validateInput({ ...BASE, roleArn: ROLE, externalId: 'tuner-2024' });
    assert.deepEqual(withId.target.role, { arn: ROLE, externalId: 'tuner-2024' });
  });

  it('leaves the target without a role when none is given', () => {
    assert.equal('role' in validateInput(BASE).target, false);
  });

  it('accepts paths, every partition and every character IAM allows in a role name', () => {
    for (const arn of [
      'arn:aws:iam::210987654321:role/service-role/tuning/powertune-target',
      'arn:aws:iam::210987654321:role/a',
      'arn:aws:iam::210987654321:role/with+=,.@_-chars',
      `arn:aws:iam::210987654321:role/${'n'.repeat(64)}`,
    ]) {
      assert.equal(validateInput({ ...BASE, roleArn: arn }).target.role?.arn, arn);
    }
    const china = validateInput({
      lambdaARN: 'arn:aws-cn:lambda:cn-north-1:210987654321:function:fn',
      num: 5,
      roleArn: 'arn:aws-cn:iam::210987654321:role/tuner',
    });
    assert.equal(china.target.role?.arn, 'arn:aws-cn:iam::210987654321:role/tuner');
    assert.deepEqual(splitRoleArn('arn:aws-us-gov:iam::123456789012:role/x/y'), {
      partition: 'aws-us-gov',
      accountId: '123456789012',
      name: 'y',
    });
  });

  it('refuses anything that is not a role ARN, naming the field and the form accepted', () => {
    for (const bad of [
      'powertune-target',
      'arn:aws:iam::21098765432:role/short-account',
      'arn:aws:iam::210987654321:user/not-a-role',
      'arn:aws:iam:us-east-1:210987654321:role/regional',
      'arn:aws:lambda:us-east-1:210987654321:function:fn',
      'arn:aws:iam::210987654321:role/',
      'arn:aws:iam::210987654321:role/bad name',
      `arn:aws:iam::210987654321:role/${'n'.repeat(65)}`,
      `arn:aws:iam::210987654321:role/${'p'.repeat(512)}/name`,
      '',
    ]) {
      const error = errorOf({ roleArn: bad }, 'roleArn');
      assert.match(error.accepted, /arn:<partition>:iam::<12-digit account>:role\//, bad);
    }
    assert.match(errorOf({ roleArn: 42 }, 'roleArn').problem, /expected a string, got the number 42/);
    assert.match(errorOf({ roleArn: null }, 'roleArn').problem, /got null/);
  });

  it('refuses a role of another partition than the function ARN', () => {
    const error = errorOf({ roleArn: 'arn:aws-cn:iam::210987654321:role/tuner' }, 'roleArn');
    assert.match(error.problem, /partition "aws-cn".*"aws"/);
    // A bare name says no partition: nothing to compare.
    assert.ok(validateInput({ lambdaARN: 'fn', num: 5, roleArn: 'arn:aws-cn:iam::210987654321:role/t' }));
  });

  it('writes the role back through configToInput', () => {
    const input = { ...BASE, roleArn: ROLE, externalId: 'tuner-2024' };
    const back = configToInput(validateInput(input));
    assert.equal(back.roleArn, ROLE);
    assert.equal(back.externalId, 'tuner-2024');
    assert.deepEqual(validateInput(back), validateInput(input));
    const plain = configToInput(validateInput(BASE));
    assert.equal('roleArn' in plain || 'externalId' in plain, false);
  });
});

describe('externalId', () => {
  it("accepts STS's characters, 2 to 1224 of them", () => {
    for (const id of ['ab', 'a+b=c,d.e@f:g/h_i-j', 'x'.repeat(1224)]) {
      assert.equal(validateInput({ ...BASE, roleArn: ROLE, externalId: id }).target.role?.externalId, id);
    }
  });

  it('refuses other lengths and characters', () => {
    assert.match(errorOf({ roleArn: ROLE, externalId: 'a' }, 'externalId').problem, /1 characters long/);
    assert.match(
      errorOf({ roleArn: ROLE, externalId: 'x'.repeat(1225) }, 'externalId').problem,
      /1225 characters long/,
    );
    for (const bad of ['has space', 'semi;colon', 'ümlaut', 'quote"d']) {
      assert.match(errorOf({ roleArn: ROLE, externalId: bad }, 'externalId').problem, /character STS/, bad);
    }
    assert.match(errorOf({ roleArn: ROLE, externalId: 12 }, 'externalId').problem, /expected a string/);
  });

  it('is refused without roleArn, and reported with the role when the role is the bad one', () => {
    assert.match(errorOf({ externalId: 'tuner-2024' }, 'externalId').problem, /without "roleArn"/);
    // With a bad roleArn, that field's error says what is wrong; externalId itself is fine.
    try {
      validateInput({ ...BASE, roleArn: 'nope', externalId: 'tuner-2024' });
      assert.fail('accepted');
    } catch (error) {
      assert.ok(error instanceof InputErrors);
      assert.deepEqual(error.fields, ['roleArn']);
    }
  });
});

describe('readTargetRole (the cleanup workflow and CLI)', () => {
  it('applies the same rules as a tuning', () => {
    assert.equal(readTargetRole(undefined, undefined, 'aws'), undefined);
    assert.deepEqual(readTargetRole(ROLE, 'tuner-2024', 'aws'), { arn: ROLE, externalId: 'tuner-2024' });
    assert.deepEqual(readTargetRole(ROLE, undefined, undefined), { arn: ROLE });
    const field = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        assert.ok(error instanceof InputError);
        return error.field;
      }
      assert.fail('accepted');
    };
    assert.equal(
      field(() => readTargetRole('role/x', undefined, 'aws')),
      'roleArn',
    );
    assert.equal(
      field(() => readTargetRole(undefined, 'tuner-2024', 'aws')),
      'externalId',
    );
    assert.equal(
      field(() => readTargetRole(ROLE, 'x', 'aws')),
      'externalId',
    );
    assert.equal(
      field(() => readTargetRole(ROLE, undefined, 'aws-cn')),
      'roleArn',
    );
  });
});
