/** The fleet's input (domain/fleet-input.ts): one selector, region, concurrency, shared settings checked once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputErrors } from '../../domain/errors.js';
import {
  DEFAULT_FLEET_CONCURRENCY,
  MAX_FLEET_FUNCTIONS,
  validateFleetInput,
} from '../../domain/fleet-input.js';

/** The fields named by the InputErrors `run` throws. */
function invalidFields(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof InputErrors, `not InputErrors: ${String(err)}`);
    return err.fields;
  }
  assert.fail('the input was accepted');
}

describe('fleet input', () => {
  it('accepts a prefix with the tuning settings and fills in the defaults', () => {
    const config = validateFleetInput({ prefix: 'orders-', tuning: { num: 10, strategy: 'speed' } });
    assert.deepEqual(config.selector, { kind: 'prefix', prefix: 'orders-' });
    assert.equal(config.concurrency, DEFAULT_FLEET_CONCURRENCY);
    assert.equal(config.region, undefined);
    assert.equal(config.shared.strategy, 'speed');
    assert.equal(config.shared.num, 10);
    // The settings go to the children exactly as given, so new fields reach them untouched.
    assert.deepEqual(config.tuning, { num: 10, strategy: 'speed' });
    assert.equal('target' in config.shared, false);
  });

  it('accepts a list (deduplicated), tags, a region and a concurrency', () => {
    const listed = validateFleetInput({
      functions: ['a', 'arn:aws:lambda:eu-west-1:123456789012:function:b', 'a'],
      region: 'eu-west-1',
      concurrency: 2,
      tuning: { num: 5 },
    });
    assert.deepEqual(listed.selector, {
      kind: 'functions',
      functions: ['a', 'arn:aws:lambda:eu-west-1:123456789012:function:b'],
    });
    assert.equal(listed.region, 'eu-west-1');
    assert.equal(listed.concurrency, 2);
    const tagged = validateFleetInput({ tags: { team: 'orders', env: '' }, tuning: { num: 5 } });
    assert.deepEqual(tagged.selector, { kind: 'tags', tags: { team: 'orders', env: '' } });
  });

  it('wants exactly one selector', () => {
    assert.deepEqual(
      invalidFields(() => validateFleetInput({ tuning: { num: 5 } })),
      ['selector'],
    );
    assert.throws(
      () => validateFleetInput({ prefix: 'a', tags: { t: 'v' }, tuning: { num: 5 } }),
      /Invalid input "selector": "prefix" and "tags" are both set\. Accepted: exactly one of "functions"/,
    );
  });

  it('names every bad field at once, the shared settings as tuning.<field>, before anything runs', () => {
    assert.deepEqual(
      invalidFields(() =>
        validateFleetInput({
          prefix: 'orders/',
          region: 'Mars',
          concurrency: 0,
          tuning: { num: 3, strategy: 'cheapest', lambdaARN: 'x' },
          colour: 'blue',
        }),
      ),
      ['colour', 'prefix', 'region', 'concurrency', 'tuning.lambdaARN'],
    );
    assert.deepEqual(
      invalidFields(() => validateFleetInput({ prefix: 'a', tuning: { num: 3, strategy: 'cheapest' } })),
      ['tuning.num', 'tuning.strategy'],
    );
    assert.throws(
      () => validateFleetInput({ prefix: 'a', tuning: { num: 3 } }),
      /Invalid input "tuning\.num": 3 is out of range/,
    );
    assert.deepEqual(
      invalidFields(() => validateFleetInput({ prefix: 'a' })),
      ['tuning'],
    );
  });

  it('refuses versions and aliases, bad names, empty and oversized lists', () => {
    assert.deepEqual(
      invalidFields(() =>
        validateFleetInput({ functions: ['ok', 'fn:live', 'not a name', 'fn:7'], tuning: { num: 5 } }),
      ),
      ['functions[1]', 'functions[2]', 'functions[3]'],
    );
    assert.deepEqual(
      invalidFields(() => validateFleetInput({ functions: [], tuning: { num: 5 } })),
      ['functions'],
    );
    const many = Array.from({ length: MAX_FLEET_FUNCTIONS + 1 }, (_, i) => `fn-${i}`);
    assert.throws(
      () => validateFleetInput({ functions: many, tuning: { num: 5 } }),
      /501 functions are more than 500/,
    );
  });

  it('checks tags: an object of string values with sensible keys', () => {
    assert.deepEqual(
      invalidFields(() => validateFleetInput({ tags: {}, tuning: { num: 5 } })),
      ['tags'],
    );
    assert.deepEqual(
      invalidFields(() => validateFleetInput({ tags: ['team'], tuning: { num: 5 } })),
      ['tags'],
    );
    assert.deepEqual(
      invalidFields(() => validateFleetInput({ tags: { team: 7 }, tuning: { num: 5 } })),
      ['tags.team'],
    );
  });

  it('accepts the regions a Lambda ARN accepts', () => {
    for (const region of ['us-east-1', 'us-gov-west-1', 'ap-southeast-5', 'cn-north-1'])
      assert.equal(validateFleetInput({ prefix: 'a', region, tuning: { num: 5 } }).region, region);
    for (const region of ['us-east', 'US-EAST-1', '', 'us-east-1a'])
      assert.deepEqual(
        invalidFields(() => validateFleetInput({ prefix: 'a', region, tuning: { num: 5 } })),
        ['region'],
      );
  });

  it('refuses what is not an object', () => {
    assert.deepEqual(
      invalidFields(() => validateFleetInput('orders-')),
      ['input'],
    );
  });
});
