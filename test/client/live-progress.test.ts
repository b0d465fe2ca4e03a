import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { encodeToPayloads } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { fromOlderWorkers, inFlightBatches, withInFlight } from '../../client/live-progress.js';
import { invokeActivityId } from '../../domain/activity-ids.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import type { TuningProgress } from '../../domain/types.js';

const call = (durationMs: number, error = false) => ({
  durationMs,
  billedMs: Math.ceil(durationMs),
  initMs: 0,
  coldStart: false,
  ...(error ? { error: { type: 'Boom', message: 'x', allowed: false } } : {}),
});

const progress: TuningProgress = {
  phase: 'invoking',
  sizes: [
    { power: 128, done: 10, total: 30, errors: 0, averageDuration: 100 },
    { power: 256, done: 0, total: 30, errors: 0 },
  ],
};

describe('live progress from heartbeats', () => {
  it('adds what running batches did to the rows, weighing the means by measured calls', () => {
    const merged = withInFlight(progress, [
      { power: 128, summary: summariseInvocations([call(200), call(200)]) },
      { power: 256, summary: summariseInvocations([call(50), call(70, true)]) },
    ]);
    const [r128, r256] = merged.sizes;
    assert.equal(r128?.done, 12);
    assert.equal(r128?.averageDuration, (10 * 100 + 2 * 200) / 12);
    assert.equal(r256?.done, 2);
    assert.equal(r256?.errors, 1);
    assert.equal(r256?.averageDuration, 50);
    assert.equal(withInFlight(progress, []), progress);
  });

  it('never counts past the total (a retried batch may report calls again)', () => {
    const merged = withInFlight(progress, [
      { power: 128, summary: summariseInvocations(Array.from({ length: 25 }, () => call(90))) },
    ]);
    assert.equal(merged.sizes[0]?.done, 30);
  });

  it('reads the batches from the pending activities, ignoring other activities', async () => {
    const converter = loadDataConverter();
    const summary = summariseInvocations([call(10), call(20), call(30)]);
    const details = await encodeToPayloads(converter, { summary, prefix: 3, ahead: [] });
    const batches = await inFlightBatches(
      [
        { activityId: invokeActivityId(512, 2, 1), heartbeatDetails: { payloads: details ?? [] } },
        { activityId: 'cleanup', heartbeatDetails: { payloads: details ?? [] } },
        { activityId: invokeActivityId(1024, 1, 1) },
      ],
      converter,
    );
    assert.deepEqual(
      batches.map((b) => [b.power, b.summary.invocations]),
      [[512, 3]],
    );
  });

  it('reads the rows of workers from before the rename (powerValues) as sizes', () => {
    const older = { phase: 'invoking', powerValues: progress.sizes } as unknown as TuningProgress;
    assert.deepEqual(fromOlderWorkers(older), progress);
    assert.equal(fromOlderWorkers(progress), progress);
  });
});
