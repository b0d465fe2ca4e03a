/**
 * When a running batch signals its progress (domain/progress-signal.ts), and the sender that
 * applies the rule in the activity (activities/progress-reporter.ts): bounded history cost, none
 * for short batches, never a second signal in flight, failures only logged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressSender, type ProgressReporter } from '../../activities/progress-reporter.js';
import { MAX_POWER_VALUE_COUNT } from '../../domain/limits.js';
import {
  EVENTS_PER_PROGRESS_SIGNAL,
  MAX_PROGRESS_EVENTS_PER_BATCH,
  PROGRESS_SIGNAL_AFTER_MS,
  PROGRESS_SIGNAL_GAP_MS,
  PROGRESS_SIGNALS_PER_BATCH,
  afterSignal,
  progressSignalDue,
  type BatchProgress,
  type SignalPace,
} from '../../domain/progress-signal.js';
import { RUN_BATCH_BUDGET } from '../../workflows/batching.js';

/** Which of the beats (elapsed ms, done) would signal, applying the rule as the sender does. */
function signalsAt(beats: [number, number][], size: number, resumedDone = 0): [number, number][] {
  let pace: SignalPace = { sent: 0, lastDone: resumedDone };
  const sent: [number, number][] = [];
  for (const [elapsedMs, done] of beats) {
    if (!progressSignalDue(pace, { elapsedMs, done, size })) continue;
    pace = afterSignal(pace, elapsedMs, done);
    sent.push([elapsedMs, done]);
  }
  return sent;
}

/** A beat every second for `seconds`, `perSecond` invocations done each second. */
const steady = (seconds: number, perSecond: number, size: number): [number, number][] =>
  Array.from({ length: seconds }, (_, s) => [(s + 1) * 1000, Math.min(size, (s + 1) * perSecond)]);

describe('progress signal pacing', () => {
  it('costs at most 40 events per batch (10 signals of 4 events)', () => {
    assert.equal(PROGRESS_SIGNALS_PER_BATCH, 10);
    assert.equal(EVENTS_PER_PROGRESS_SIGNAL, 4);
    assert.equal(MAX_PROGRESS_EVENTS_PER_BATCH, 40);
    assert.equal(PROGRESS_SIGNAL_AFTER_MS, 10_000);
    assert.equal(PROGRESS_SIGNAL_GAP_MS, 10_000);
  });

  it('keeps the largest run under the history limit even if every batch signals all it may', () => {
    const EVENT_LIMIT = 51_200;
    const EVENTS_PER_BATCH = 6; // scheduled, started, completed, and a workflow task
    const SETUP_EVENTS = MAX_POWER_VALUE_COUNT * 12; // generous: setup, lock, prepare, cleanup
    const worst = RUN_BATCH_BUDGET * (EVENTS_PER_BATCH + MAX_PROGRESS_EVENTS_PER_BATCH) + SETUP_EVENTS;
    assert.ok(worst < EVENT_LIMIT, `${worst} events`);
  });

  it('sends nothing for a batch shorter than 10 s, however many invocations it makes', () => {
    // 1,000 instant invocations in 9.9 s (bench scenario 3's batches take far less).
    assert.deepEqual(signalsAt([[9_900, 999]], 1000), []);
    assert.deepEqual(signalsAt(steady(9, 100, 1000), 1000), []);
  });

  it('then signals at most every 10 s, and only with 10% more of the batch done', () => {
    // 50 invocations of 1 s each: 50 s, beats every second.
    assert.deepEqual(signalsAt(steady(50, 1, 50), 50), [
      [10_000, 10],
      [20_000, 20],
      [30_000, 30],
      [40_000, 40],
    ]);
    // Slow progress: 1 invocation per 4 s of a 100-batch needs 10 invocations (10%) per signal.
    assert.deepEqual(
      signalsAt(
        Array.from({ length: 100 }, (_, s) => [(s + 1) * 1000, Math.floor((s + 1) / 4)]),
        100,
      ),
      [
        [40_000, 10],
        [80_000, 20],
      ],
    );
  });

  it('never signals without progress, nor for a finished batch', () => {
    assert.deepEqual(signalsAt([[60_000, 0]], 50), []);
    assert.deepEqual(signalsAt([[60_000, 50]], 50), []);
    assert.deepEqual(
      signalsAt(
        [
          [10_000, 20],
          [25_000, 20],
        ],
        50,
      ),
      [[10_000, 20]],
    );
  });

  it('never sends more than 10 per batch attempt, even for a batch of one invocation per beat', () => {
    // A paced batch of 10,000 invocations, one beat a second for three hours.
    const sent = signalsAt(steady(3 * 3600, 1, 10_000), 10_000);
    assert.equal(sent.length, PROGRESS_SIGNALS_PER_BATCH - 1 /* the 10th step ends the batch */);
    assert.ok(sent.length * EVENTS_PER_PROGRESS_SIGNAL <= MAX_PROGRESS_EVENTS_PER_BATCH);
    // The cap holds by itself too, should the step ever allow more.
    const tenSent: SignalPace = { sent: PROGRESS_SIGNALS_PER_BATCH, lastMs: 0, lastDone: 0 };
    assert.equal(progressSignalDue(tenSent, { elapsedMs: 3_600_000, done: 5_000, size: 10_000 }), false);
    assert.equal(
      progressSignalDue({ ...tenSent, sent: 9 }, { elapsedMs: 3_600_000, done: 5_000, size: 10_000 }),
      true,
    );
  });

  it('counts a resumed attempt from what it found done', () => {
    assert.deepEqual(signalsAt([[10_000, 44]], 50, 40), []);
    assert.deepEqual(signalsAt([[10_000, 45]], 50, 40), [[10_000, 45]]);
  });
});

describe('progress sender', () => {
  const ref = {
    workflow: { workflowId: 'w', runId: 'r' },
    batch: 'invoke-512-r1-1',
    power: 512,
    size: 50,
    startedMs: 1_000_000,
    resumedDone: 0,
  };

  it('keeps one signal in flight, sends the batch identity and counts, and returns at once', async () => {
    const sent: BatchProgress[] = [];
    let release!: () => void;
    const report: ProgressReporter = async (workflow, progress) => {
      assert.deepEqual(workflow, ref.workflow);
      sent.push(progress);
      await new Promise<void>((resolve) => (release = resolve));
    };
    const send = progressSender(report, ref, () => assert.fail('no failure expected'));
    send(ref.startedMs + 5_000, 5, 0);
    assert.equal(sent.length, 0, 'too early');
    send(ref.startedMs + 10_000, 10, 1);
    assert.deepEqual(sent, [{ batch: ref.batch, power: 512, done: 10, errors: 1 }]);
    // Due by the pace, but the first is still in flight.
    send(ref.startedMs + 20_000, 20, 1);
    assert.equal(sent.length, 1);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    send(ref.startedMs + 21_000, 21, 2);
    assert.deepEqual(sent.at(-1), { batch: ref.batch, power: 512, done: 21, errors: 2 });
    release();
  });

  it('logs a failed signal and goes on', async () => {
    const warnings: string[] = [];
    let calls = 0;
    const send = progressSender(
      async () => {
        calls++;
        throw new Error('workflow execution already completed');
      },
      ref,
      (message) => warnings.push(message),
    );
    send(ref.startedMs + 10_000, 10, 0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(warnings[0] ?? '', /invoke-512-r1-1.*already completed/);
    send(ref.startedMs + 20_000, 20, 0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(calls, 2);
  });
});
