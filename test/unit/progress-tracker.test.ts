/**
 * The workflow's progress (workflows/progress.ts) folds in what running batches signal: within
 * the batch, only upwards, replaced by the batch's result, and deaf to signals of batches that
 * are not running. The client's heartbeat merge (client/live-progress.ts) then adds only what a
 * heartbeat knows beyond the signal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withInFlight } from '../../client/live-progress.js';
import { invokeActivityId } from '../../domain/activity-ids.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import type { InvocationResult } from '../../domain/types.js';
import { ProgressTracker } from '../../workflows/progress.js';

const call = (durationMs: number, error = false): InvocationResult => ({
  durationMs,
  billedMs: Math.ceil(durationMs),
  initMs: 0,
  coldStart: false,
  ...(error ? { error: { type: 'Boom', message: 'x', allowed: false } } : {}),
});
const calls = (n: number, durationMs = 100) => Array.from({ length: n }, () => call(durationMs));

const B1 = invokeActivityId(512, 1, 1);
const B2 = invokeActivityId(512, 1, 2);

function tracker() {
  const shown: string[] = [];
  const progress = new ProgressTracker('fn', (markdown) => shown.push(markdown));
  progress.start([512, 1024], 100);
  const row = (power = 512) => progress.snapshot().sizes.find((r) => r.power === power);
  return { progress, shown, row };
}

describe('progress from batch signals', () => {
  it('counts a running batch from its signals, in the query and the current details', () => {
    const { progress, shown, row } = tracker();
    progress.begin(512, B1, 50);
    assert.equal(row()?.done, 0);
    assert.equal(row()?.running, undefined, 'no running list before a signal');
    progress.batchProgress({ batch: B1, power: 512, done: 20, errors: 1 });
    assert.equal(row()?.done, 20);
    assert.equal(row()?.errors, 1);
    assert.deepEqual(row()?.running, [{ batch: B1, done: 20, errors: 1 }]);
    assert.match(shown.at(-1) ?? '', /\b20\/100\b/);
  });

  it('never counts beyond the batch, never goes back', () => {
    const { progress, row } = tracker();
    progress.begin(512, B1, 50);
    progress.batchProgress({ batch: B1, power: 512, done: 30, errors: 0 });
    progress.batchProgress({ batch: B1, power: 512, done: 25, errors: 0 }); // out of order
    assert.equal(row()?.done, 30);
    progress.batchProgress({ batch: B1, power: 512, done: 80, errors: 0 }); // a confused sender
    assert.equal(row()?.done, 50);
  });

  it('replaces the signalled count by the batch result, and ignores late signals', () => {
    const { progress, shown, row } = tracker();
    progress.begin(512, B1, 50);
    progress.batchProgress({ batch: B1, power: 512, done: 40, errors: 0 });
    progress.recordSummary(512, summariseInvocations(calls(50)), B1);
    assert.equal(row()?.done, 50);
    assert.equal(row()?.running, undefined);
    const published = shown.length;
    // The signal was in flight when the batch ended; and a duplicate.
    progress.batchProgress({ batch: B1, power: 512, done: 45, errors: 0 });
    progress.batchProgress({ batch: B1, power: 512, done: 40, errors: 0 });
    assert.equal(row()?.done, 50);
    assert.equal(shown.length, published, 'nothing to publish');
    // The next batch counts on top of the finished one.
    progress.begin(512, B2, 50);
    progress.batchProgress({ batch: B2, power: 512, done: 10, errors: 0 });
    assert.equal(row()?.done, 60);
    assert.equal(row(1024)?.done, 0);
  });

  it('ignores signals of batches it never began (another size, another run)', () => {
    const { progress, row } = tracker();
    progress.batchProgress({ batch: B1, power: 512, done: 10, errors: 0 });
    progress.begin(512, B1, 50);
    progress.batchProgress({ batch: B1, power: 1024, done: 10, errors: 0 });
    progress.batchProgress({ batch: 'invoke-2048-r1-1', power: 2048, done: 10, errors: 0 });
    assert.deepEqual(
      progress.snapshot().sizes.map((r) => r.done),
      [0, 0],
    );
    assert.equal(row()?.running, undefined);
  });

  it('leaves the mean to finished batches, and the client adds only what heartbeats add', () => {
    const { progress, row } = tracker();
    progress.begin(512, B1, 50);
    progress.recordSummary(512, summariseInvocations(calls(50, 100)), B1);
    progress.begin(512, B2, 50);
    progress.batchProgress({ batch: B2, power: 512, done: 20, errors: 2 });
    assert.equal(row()?.averageDuration, 100);
    const query = progress.snapshot();

    // The heartbeat is ahead of the signal: 25 done, 2 failed, 23 measured at 200 ms.
    const ahead = summariseInvocations([...calls(23, 200), call(0, true), call(0, true)]);
    const merged = withInFlight(query, [{ power: 512, batch: B2, summary: ahead }]).sizes[0];
    assert.equal(merged?.done, 75);
    assert.equal(merged?.errors, 2);
    assert.equal(merged?.averageDuration, (50 * 100 + 23 * 200) / 73);

    // The heartbeat is behind the signal: the signal's count stands.
    const behind = summariseInvocations(calls(15, 200));
    assert.equal(withInFlight(query, [{ power: 512, batch: B2, summary: behind }]).sizes[0]?.done, 70);
  });
});

describe('the recommendation in the current details', () => {
  it('says, after a model exploration, that only the rows measured and the rest is predicted', () => {
    const { progress, shown } = tracker();
    const statement =
      'Measured 2 of the 513 sizes from 512 to 1,024 MB with 200 invocations, 12.5% of the 1,600 the exhaustive 64-MB grid would make; the curve between them is a prediction (…), not a measurement.';
    progress.recommend({
      power: 1024,
      strategy: 'speed',
      architecture: 'x86_64',
      exploration: {
        range: { lowestMb: 512, highestMb: 1024 },
        measured: [512, 1024],
        grid64Invocations: 1600,
        shareOfGrid64: 0.125,
        statement,
      },
    });
    const details = shown.at(-1) ?? '';
    assert.match(details, /\*\*Recommended: 1024 MB\*\* \(strategy speed\)/);
    assert.ok(details.includes(statement), details);
    // The table's rows are the measured sizes only.
    assert.deepEqual(
      progress.snapshot().sizes.map((r) => r.power),
      [512, 1024],
    );
  });
});
