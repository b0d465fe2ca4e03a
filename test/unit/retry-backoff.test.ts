/**
 * Per-call retry timing: capped exponential backoff with full jitter, never sooner than the
 * service's Retry-After.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INVOKE_RETRY, backoffMs } from '../../activities/aws/retry.js';

const throttled = (seconds?: string) =>
  Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', retryAfterSeconds: seconds });

describe('backoffMs', () => {
  it('grows exponentially up to the cap, scaled by the jitter draw', () => {
    const top = () => 0.999999;
    assert.equal(backoffMs(1, INVOKE_RETRY, throttled(), top), Math.round(0.999999 * 250));
    assert.equal(backoffMs(3, INVOKE_RETRY, throttled(), top), Math.round(0.999999 * 1000));
    assert.equal(backoffMs(30, INVOKE_RETRY, throttled(), top), Math.round(0.999999 * 20_000));
    assert.equal(
      backoffMs(5, INVOKE_RETRY, throttled(), () => 0),
      0,
    );
  });

  it('never waits less than Retry-After', () => {
    assert.equal(
      backoffMs(1, INVOKE_RETRY, throttled('2'), () => 0),
      2000,
    );
    assert.equal(
      backoffMs(1, INVOKE_RETRY, throttled('0.5'), () => 0.5),
      500,
    );
    // A longer backoff still wins over a short Retry-After.
    assert.equal(
      backoffMs(8, INVOKE_RETRY, throttled('1'), () => 1),
      20_000,
    );
  });

  it('ignores a missing or malformed Retry-After', () => {
    assert.equal(
      backoffMs(2, INVOKE_RETRY, throttled('soon'), () => 0),
      0,
    );
    assert.equal(
      backoffMs(2, INVOKE_RETRY, new Error('x'), () => 0),
      0,
    );
  });
});
