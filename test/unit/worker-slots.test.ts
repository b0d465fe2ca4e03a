/** PT_WORKER_ACTIVITY_SLOTS: the worker's activity slots, or a clear error naming the variable. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activitySlotsFromEnv } from '../../worker/slots.js';

describe('worker activity slots', () => {
  it("unset or empty: the SDK's default", () => {
    assert.deepEqual(activitySlotsFromEnv({}), {});
    assert.deepEqual(activitySlotsFromEnv({ PT_WORKER_ACTIVITY_SLOTS: ' ' }), {});
  });

  it('a whole number from 1 to 10,000', () => {
    assert.deepEqual(activitySlotsFromEnv({ PT_WORKER_ACTIVITY_SLOTS: '250' }), {
      maxConcurrentActivityTaskExecutions: 250,
    });
    assert.deepEqual(activitySlotsFromEnv({ PT_WORKER_ACTIVITY_SLOTS: '1' }), {
      maxConcurrentActivityTaskExecutions: 1,
    });
  });

  it('anything else stops the worker, naming the variable and what is accepted', () => {
    for (const bad of ['0', '-5', '2.5', '1e3', 'many', '10001']) {
      assert.throws(
        () => activitySlotsFromEnv({ PT_WORKER_ACTIVITY_SLOTS: bad }),
        new RegExp(
          `^Error: PT_WORKER_ACTIVITY_SLOTS=${JSON.stringify(bad).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .*Accepted: a whole number from 1 to 10000`,
        ),
        bad,
      );
    }
  });
});
