/**
 * Live progress in the workflow itself, end to end (dev server, emulator in real time, the real
 * worker): a batch longer than 10 s signals how far it got, so the `progress` query (not only a
 * client adding heartbeats) moves during the batch, at a bounded number of signals, encoded like
 * every other payload (`PT_CODEC_KEY=… npm test -- <this file>` checks them encrypted).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { dataConverterFromEnv } from '../../codec/data-converter.js';
import { PROGRESS_SIGNALS_PER_BATCH } from '../../domain/progress-signal.js';
import type { TuningOutput } from '../../domain/types.js';
import { POWER_TUNING_WORKFLOW, progressQuery } from '../../domain/workflow-api.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const { EventType } = proto.temporal.api.enums.v1;

// About 300 ms a call at 1,769 MB, in real time: 50 sequential calls are one batch of ~15 s.
const NUM = 50;
const POWER = 1769;
// Already at that size, so the run measures no other (current) size.
const functions = writeTestFunctions(
  { 'signal-fn': { cpuMs: 280, ioWaitMs: 20 } },
  {},
  { 'signal-fn': { memorySize: POWER } },
);

describe('progress signalled by a long batch', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false, timeScale: 1 } });
  });
  after(async () => h?.stop());

  it('moves the progress query during the batch', async () => {
    // A client with the worker's data converter (the harness's has none), so this runs with PT_CODEC_KEY too.
    const dataConverter = dataConverterFromEnv();
    const client = new Client({
      connection: h.client.connection,
      namespace: h.namespace,
      ...(dataConverter ? { dataConverter } : {}),
    });
    const handle = await client.workflow.start(POWER_TUNING_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: `signal-${randomUUID()}`,
      args: [{ lambdaARN: 'signal-fn', num: NUM, powerValues: [POWER] }],
    });
    const finished = handle.result() as Promise<TuningOutput>;
    let ended = false;
    void finished.finally(() => (ended = true)).catch(() => undefined);
    const seen: number[] = [];
    // Bounded by count, not time: at most 600 polls of 100 ms.
    for (let i = 0; i < 600 && !ended; i++) {
      const progress = await handle.query(progressQuery);
      const row = progress.sizes.find((p) => p.power === POWER);
      if (progress.phase === 'invoking' && row) seen.push(row.done);
      await new Promise((r) => setTimeout(r, 100));
    }
    const out = await finished;
    assert.equal(out.results.find((r) => r.power === POWER)?.invocations, NUM);
    const between = seen.filter((d) => d > 0 && d < NUM);
    assert.ok(between.length > 0, `the query never counted a running batch: ${seen.join(',')}`);
    for (let i = 1; i < seen.length; i++)
      assert.ok((seen[i] as number) >= (seen[i - 1] as number), `went back: ${seen.join(',')}`);
    const final = (await handle.query(progressQuery)).sizes.find((p) => p.power === POWER);
    assert.equal(final?.done, NUM);

    const events = (await handle.fetchHistory()).events ?? [];
    const signals = events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
    const batches = events.filter(
      (e) =>
        e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED &&
        e.activityTaskScheduledEventAttributes?.activityType?.name === 'invokeBatch',
    );
    // Signals go through the worker's client, so they are encoded like the run's input (encrypted
    // when PT_CODEC_KEY is set: run this file with it to check).
    const encoding = (p: { metadata?: Record<string, Uint8Array> | null } | undefined) =>
      Buffer.from(p?.metadata?.encoding ?? []).toString();
    const inputEncoding = encoding(events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]);
    for (const s of signals)
      assert.equal(encoding(s.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0]), inputEncoding);
    console.log(`signal payload encoding: ${inputEncoding}`);
    console.log(`${signals.length} progress signals, ${batches.length} batches, ${events.length} events`);
    assert.ok(
      signals.length >= 1 && signals.length <= PROGRESS_SIGNALS_PER_BATCH * batches.length,
      `${signals.length} signals for ${batches.length} batches`,
    );
  });
});
