/**
 * The wait for a Lambda update or a new version: settles, fails on the service's word, gives up
 * at its deadline, retries what a retry can fix and ends at once on what it cannot (a deleted
 * function must not hold a tuning for the five minutes of the deadline).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  activeVerdict,
  pollDelayMs,
  updateVerdict,
  waitFor,
  type PollVerdict,
  type WaitBounds,
} from '../../activities/aws/wait-for-state.js';

const BOUNDS: WaitBounds = { maxWaitMs: 300_000, minDelayMs: 250, maxDelayMs: 5_000 };

/** A clock that advances only when slept on, and the polls it saw. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    elapsed: () => now,
    clock: {
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    },
  };
}

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} from the service`), {
    name,
    $metadata: { httpStatusCode: status },
  });
}

/** Answers one verdict (or throws one error) per poll, in order; the last one repeats. */
function scripted(answers: (PollVerdict | Error)[]) {
  let polls = 0;
  return {
    polls: () => polls,
    poll: async (): Promise<PollVerdict> => {
      const answer = answers[Math.min(polls, answers.length - 1)] as PollVerdict | Error;
      polls++;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

const retry: PollVerdict = { state: 'retry' };
const done: PollVerdict = { state: 'done' };

describe('waiting for a Lambda update', () => {
  it('returns once the update is done, after pauses that grow from the first delay', async () => {
    const { clock, sleeps } = fakeClock();
    const script = scripted([retry, retry, retry, done]);
    await waitFor('Updating fn', BOUNDS, script.poll, clock);
    assert.equal(script.polls(), 4);
    assert.equal(sleeps.length, 3);
    for (const [i, ms] of sleeps.entries()) {
      const base = 250 * 2 ** i;
      assert.ok(ms >= base * 0.8 && ms <= base * 1.2, `pause ${i} was ${ms} ms`);
    }
  });

  it('ends at once when the function is gone, instead of waiting out the deadline', async () => {
    const { clock, elapsed } = fakeClock();
    const script = scripted([retry, awsError('ResourceNotFoundException', 404)]);
    await assert.rejects(waitFor('Updating fn', BOUNDS, script.poll, clock), {
      name: 'ResourceNotFoundException',
    });
    assert.equal(script.polls(), 2);
    assert.ok(elapsed() < 1_000, `waited ${elapsed()} ms`);
  });

  it('ends at once on access denied', async () => {
    const { clock } = fakeClock();
    const script = scripted([awsError('AccessDeniedException', 403)]);
    await assert.rejects(waitFor('Updating fn', BOUNDS, script.poll, clock), {
      name: 'AccessDeniedException',
    });
    assert.equal(script.polls(), 1);
  });

  it('retries throttling and dropped connections', async () => {
    const { clock } = fakeClock();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const script = scripted([awsError('TooManyRequestsException', 429), reset, retry, done]);
    await waitFor('Updating fn', BOUNDS, script.poll, clock);
    assert.equal(script.polls(), 4);
  });

  it('fails with the service reason when the update failed', async () => {
    const { clock } = fakeClock();
    const script = scripted([retry, { state: 'failed', reason: 'EFS mount failure' }]);
    await assert.rejects(waitFor('Updating fn', BOUNDS, script.poll, clock), {
      name: 'UpdateFailedError',
      message: 'Updating fn failed: EFS mount failure',
    });
  });

  it('gives up at the deadline, naming the wait and the last error, never sleeping past it', async () => {
    const { clock, elapsed, sleeps } = fakeClock();
    const script = scripted([retry, awsError('ServiceException', 500)]);
    await assert.rejects(waitFor('Activating fn:3', BOUNDS, script.poll, clock), (err: Error) => {
      assert.equal(err.name, 'WaitTimeoutError');
      assert.match(
        err.message,
        /^Activating fn:3: still not settled after 300 s \(last error: .*ServiceException/,
      );
      return true;
    });
    assert.equal(elapsed(), BOUNDS.maxWaitMs);
    assert.ok(Math.max(...sleeps) <= BOUNDS.maxDelayMs * 1.2);
  });

  it('caps the pause at the largest delay', () => {
    assert.equal(
      pollDelayMs(BOUNDS, 0, () => 0.5),
      250,
    );
    assert.equal(
      pollDelayMs(BOUNDS, 3, () => 0.5),
      2_000,
    );
    assert.equal(
      pollDelayMs(BOUNDS, 10, () => 0.5),
      5_000,
    );
    assert.equal(
      pollDelayMs(BOUNDS, 10, () => 0.999),
      5_998,
    );
  });
});

describe('what counts as settled', () => {
  it('an update: done unless in progress; failed with its reason', () => {
    assert.deepEqual(updateVerdict({ LastUpdateStatus: 'InProgress' }), retry);
    assert.deepEqual(updateVerdict({ LastUpdateStatus: 'Successful' }), done);
    assert.deepEqual(updateVerdict({}), done);
    assert.deepEqual(updateVerdict({ LastUpdateStatus: 'Failed', LastUpdateStatusReason: 'KMS' }), {
      state: 'failed',
      reason: 'KMS',
    });
  });

  it('a version: done when Active, waits while Pending or Inactive, failed with its reason', () => {
    assert.deepEqual(activeVerdict({ State: 'Active' }), done);
    assert.deepEqual(activeVerdict({ State: 'Pending' }), retry);
    assert.deepEqual(activeVerdict({ State: 'Inactive' }), retry);
    assert.deepEqual(activeVerdict({ State: 'Failed', StateReason: 'SnapStart' }), {
      state: 'failed',
      reason: 'SnapStart',
    });
  });
});
