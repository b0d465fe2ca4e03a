import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isValidAliasName,
  isValidProcessorArn,
  isVersionNumber,
  parseFunctionTarget,
  parseProcessorTarget,
  regionFromArn,
} from '../../domain/arn.js';
import { InputError } from '../../domain/errors.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:my-fn';

describe('parseFunctionTarget', () => {
  it('reads a full ARN: region, account, partition, unqualified function name', () => {
    assert.deepEqual(parseFunctionTarget(ARN), {
      functionName: ARN,
      name: 'my-fn',
      region: 'us-east-1',
      accountId: '123456789012',
      partition: 'aws',
    });
  });

  it('accepts other partitions and regions (China, GovCloud)', () => {
    assert.equal(
      parseFunctionTarget('arn:aws-cn:lambda:cn-north-1:123456789012:function:f').region,
      'cn-north-1',
    );
    assert.equal(
      parseFunctionTarget('arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f').partition,
      'aws-us-gov',
    );
  });

  it('accepts $LATEST and drops it', () => {
    assert.equal(parseFunctionTarget(`${ARN}:$LATEST`).functionName, ARN);
    assert.equal(parseFunctionTarget('my-fn:$LATEST').functionName, 'my-fn');
  });

  it('accepts a partial ARN (upstream rejected it, #166)', () => {
    assert.deepEqual(parseFunctionTarget('123456789012:function:my_fn'), {
      functionName: '123456789012:function:my_fn',
      name: 'my_fn',
      accountId: '123456789012',
    });
  });

  it('accepts a bare function name up to 64 characters (upstream rejected it)', () => {
    assert.deepEqual(parseFunctionTarget('Fn-1_a'), { functionName: 'Fn-1_a', name: 'Fn-1_a' });
    assert.equal(parseFunctionTarget('a'.repeat(64)).name, 'a'.repeat(64));
  });

  it('keeps a version or alias qualifier apart from the function it names; drops $LATEST', () => {
    assert.deepEqual(parseFunctionTarget(`${ARN}:prod`), {
      functionName: ARN,
      name: 'my-fn',
      region: 'us-east-1',
      accountId: '123456789012',
      partition: 'aws',
      qualifier: 'prod',
    });
    assert.equal(parseFunctionTarget('f:3').qualifier, '3');
    assert.equal(parseFunctionTarget('123456789012:function:f:live').functionName, '123456789012:function:f');
    assert.equal(parseFunctionTarget(`${ARN}:$LATEST`).qualifier, undefined);
    assert.equal(isVersionNumber('3'), true);
    assert.equal(isVersionNumber('prod'), false);
  });

  it("refuses the tuner's own aliases and malformed qualifiers as the function to tune", () => {
    for (const value of ['f:power-tuning-lock', 'f:ptune-abc-128', 'f:0', 'f:01']) {
      assert.throws(
        () => parseFunctionTarget(value),
        (e: unknown) => e instanceof InputError && e.field === 'lambdaARN',
        value,
      );
    }
  });

  it('rejects malformed values and names the field', () => {
    const bad: unknown[] = [
      undefined,
      null,
      0,
      10,
      '',
      {},
      'arn:aws',
      'a'.repeat(65),
      'my fn',
      'my.fn',
      'arn:aws:lambda:us-east-1:12345:function:f',
      'arn:aws:s3:us-east-1:123456789012:function:f',
      'arn:aws:lambda:us-east-1:123456789012:layer:f',
      ' my-fn',
    ];
    for (const value of bad) {
      assert.throws(
        () => parseFunctionTarget(value),
        (e: unknown) => e instanceof InputError && e.message.startsWith('Invalid input "lambdaARN": '),
        String(value),
      );
    }
  });

  it('says that the field is required when it is missing', () => {
    assert.throws(() => parseFunctionTarget(undefined), /missing \(it is required\)/);
  });
});

describe('regionFromArn', () => {
  it('returns the region (vector §11.10)', () => {
    assert.equal(regionFromArn('arn:aws:lambda:us-east-1:123456789012:function:YYY'), 'us-east-1');
    assert.equal(regionFromArn('arn:aws:lambda:eu-west-1:123456789012:function:YYY:prod'), 'eu-west-1');
  });

  it('throws for undefined, null, 0, 10, "", "arn:aws", {} and names without region (§11.10)', () => {
    for (const value of [undefined, null, 0, 10, '', 'arn:aws', {}, 'my-fn', '123456789012:function:f']) {
      assert.throws(() => regionFromArn(value), InputError, String(value));
    }
  });
});

describe('processor ARNs', () => {
  it('accept names, partial and full ARNs, qualified or not', () => {
    for (const value of ['pre', 'pre:live', 'pre:7', '123456789012:function:pre:$LATEST', `${ARN}:v2`, ARN]) {
      assert.equal(isValidProcessorArn(value), true, value);
    }
    assert.deepEqual(parseProcessorTarget(`${ARN}:v2`, 'preProcessorARN'), {
      functionName: `${ARN}:v2`,
      name: 'my-fn',
      qualifier: 'v2',
      region: 'us-east-1',
      accountId: '123456789012',
    });
  });

  it('reject other values, naming the given field', () => {
    for (const value of ['', 'a b', 'pre:0', 'arn:aws', 42, null]) {
      assert.equal(isValidProcessorArn(value), false, String(value));
    }
    assert.throws(
      () => parseProcessorTarget('a b', 'postProcessorARN'),
      /^InputError: Invalid input "postProcessorARN"/,
    );
  });
});

describe('isValidAliasName', () => {
  it('follows Lambda alias rules', () => {
    assert.equal(isValidAliasName('live_1-a'), true);
    assert.equal(isValidAliasName('a'.repeat(128)), true);
    assert.equal(isValidAliasName('a'.repeat(129)), false);
    assert.equal(isValidAliasName('123'), false);
    assert.equal(isValidAliasName(''), false);
    assert.equal(isValidAliasName('$LATEST'), false);
  });
});
