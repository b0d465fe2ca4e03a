import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError, InputErrors, inputErrorList, isInputError } from '../../domain/errors.js';

describe('InputError', () => {
  it('formats: Invalid input "<field>": <problem>. Accepted: <accepted>.', () => {
    const e = new InputError('num', 'got 3', 'integers from 5 to 100000');
    assert.equal(e.message, 'Invalid input "num": got 3. Accepted: integers from 5 to 100000.');
    assert.equal(e.field, 'num');
    assert.equal(e.name, 'InputError');
  });

  it('does not double a final dot', () => {
    assert.equal(new InputError('a', 'bad.', 'good.').message, 'Invalid input "a": bad. Accepted: good.');
  });
});

describe('InputErrors', () => {
  it('lists every error on its own line and is an InputError', () => {
    const errors = new InputErrors([new InputError('num', 'x', 'y'), new InputError('strategy', 'z', 'w')]);
    assert.equal(errors.message.split('\n').length, 2);
    assert.deepEqual(errors.fields, ['num', 'strategy']);
    assert.ok(errors instanceof InputError);
    assert.equal(inputErrorList(errors).length, 2);
    assert.equal(inputErrorList(new InputError('a', 'b', 'c')).length, 1);
  });

  it('refuses to be empty', () => {
    assert.throws(() => new InputErrors([]));
  });

  it('isInputError recognises both, also by name (other realms)', () => {
    assert.equal(isInputError(new InputError('a', 'b', 'c')), true);
    assert.equal(isInputError({ name: 'InputErrors', field: 'num', message: '' }), true);
    assert.equal(isInputError(new Error('x')), false);
    assert.equal(isInputError(null), false);
  });
});
