/** How a closed run's end reads in the TuningFailedError a client throws. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endMessage } from '../../client/errors.js';

void describe('endMessage', () => {
  void it('a failure is its own message; other ends say what ended the run', () => {
    assert.equal(
      endMessage('tuning', { status: 'FAILED', rootMessage: 'Setting up 512 MB: boom' }),
      'Setting up 512 MB: boom',
    );
    assert.equal(endMessage('tuning', { status: 'CANCELLED', rootMessage: 'x' }), 'the tuning was cancelled');
    assert.equal(
      endMessage('tuning', { status: 'TERMINATED', rootMessage: 'by ops' }),
      'the tuning was terminated: by ops',
    );
    assert.equal(
      endMessage('tuning', { status: 'TERMINATED', rootMessage: '' }),
      'the tuning was terminated',
    );
    assert.equal(endMessage('fleet', { status: 'TIMED_OUT', rootMessage: '' }), 'the fleet timed out');
  });

  void it('a fleet adds what the end did to its running tunings', () => {
    const then = {
      cancelled: ' (its tunings were cancelled)',
      terminated: '; its tunings were asked to cancel',
    };
    assert.equal(
      endMessage('fleet', { status: 'CANCELLED', rootMessage: '' }, then),
      'the fleet was cancelled (its tunings were cancelled)',
    );
    assert.equal(
      endMessage('fleet', { status: 'TERMINATED', rootMessage: 'why' }, then),
      'the fleet was terminated: why; its tunings were asked to cancel',
    );
  });
});
