/**
 * disablePayloadLogs: the payload appears in no worker log line, failure message, query result,
 * result or workflow history event (beyond the inputs that carry it by design), even when the
 * function or a processor echoes its input in its error. The control runs without the flag show
 * the checks would catch a leak.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger } from '@temporalio/worker';
import type { TuningOutput } from '../../domain/types.js';
import { progressQuery } from '../../domain/workflow-api.js';
import { failureChainText } from '../support/failure-text.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { installTestLogger, startHarness, type Harness } from '../support/tuning-harness.js';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

/**
 * A handler that rejects its input and quotes it back, the way a validation error often does:
 * whole (JSON), one field, and on stdout. It succeeds from `okFromMb` MB on, so a run can have
 * both an infeasible size and a result.
 */
const ECHO_HANDLER = `
export const handler = async (event, context) => {
  if (event && event.okFromMb && Number(context.memoryLimitInMB) >= event.okFromMb) return { ok: true };
  console.log('rejecting', JSON.stringify(event));
  const error = new Error('cannot process ' + JSON.stringify(event) + ' (card ' + (event && event.card) + ')');
  error.name = 'RejectedInput';
  throw error;
};
`;

function echoFunctionDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'pt-echo-')), 'echo');
  mkdirSync(dir);
  writeFileSync(join(dir, 'index.mjs'), ECHO_HANDLER);
  return dir;
}

const echoCode = echoFunctionDir();
const functions = writeTestFunctions(
  {},
  {
    'private-fn': { code: 'recorder' },
    'echo-fn': { code: 'recorder' },
    'echo-pre': { code: 'recorder' },
    'plain-fn': { code: 'recorder' },
  },
  // The echoing handler lives outside the shared fixtures: only this test needs it.
  { 'echo-fn': { code: echoCode }, 'echo-pre': { code: echoCode } },
);

/** Error objects in log metadata, spelled out: JSON.stringify alone would drop their message. */
function logValue(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { ...value, name: value.name, message: value.message, stack: value.stack, cause: value.cause };
  }
  return value;
}

const logLines: string[] = [];
installTestLogger(
  new DefaultLogger('DEBUG', (entry) =>
    logLines.push(`${entry.message} ${JSON.stringify(entry.meta ?? {}, logValue)}`),
  ),
);

/** Fields that carry the payload by design: the workflow input and the activities' arguments. */
const INPUT_CARRIERS = new Set([
  'workflowExecutionStartedEventAttributes',
  'activityTaskScheduledEventAttributes',
]);
const decoder = new TextDecoder();

/**
 * The whole history as text, payload bytes decoded (JSON of the protobuf objects would show them
 * as base64, where a plaintext search finds nothing), less the inputs that carry the payload.
 */
function historyText(history: History): string {
  const out: string[] = [];
  const walk = (value: unknown, parentKey: string, key: string): void => {
    if (INPUT_CARRIERS.has(parentKey) && key === 'input') return;
    if (value instanceof Uint8Array) out.push(decoder.decode(value));
    else if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) for (const item of value) walk(item, parentKey, key);
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, key, k);
    }
  };
  walk(history, '', 'history');
  return out.join('\n');
}

describe('payload privacy', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
  });
  after(async () => h?.stop());

  /** Runs a tuning and collects every place its payload could leak to. */
  async function observe(input: Record<string, unknown>, expect: 'fails' | 'completes') {
    logLines.length = 0;
    const handle = await h.start({ num: 5, powerValues: [128, 256], ...input });
    let failure = '';
    let result = '';
    if (expect === 'fails') {
      await assert.rejects(handle.result(), (err: unknown) => {
        assert.ok(err instanceof WorkflowFailedError);
        failure = failureChainText(err);
        return true;
      });
    } else {
      result = JSON.stringify(await handle.result());
    }
    const progress = JSON.stringify(await handle.query(progressQuery));
    const history = historyText(await handle.fetchHistory());
    return { failure, result, progress, history, logs: logLines.join('\n') };
  }

  /** Names every place a secret shows up, so a failure lists them all at once. */
  const assertNoLeak = (seen: Record<string, string>, secrets: string[]) => {
    const leaks = Object.entries(seen)
      .filter(([, text]) => secrets.some((secret) => text.includes(secret)))
      .map(([where]) => where);
    assert.deepEqual(leaks, [], `payload leaked into ${leaks.join(', ')}`);
  };

  /** A payload with a secret field and a second secret inside a quoted, nested string. */
  const secretPayload = () => {
    const card = `card-${randomUUID()}`;
    const note = `pin-${randomUUID()}`;
    return { card, note, payload: { card, nested: { note: `he said "${note}"` } } };
  };

  it('keeps the payload out of logs, failures and queries with disablePayloadLogs', async () => {
    const secret = 'card-4111-1111-1111-1111';
    const seen = await observe(
      { lambdaARN: 'private-fn', payload: { fail: 'BoomError', card: secret }, disablePayloadLogs: true },
      'fails',
    );
    // "BoomError" is a value of the payload too, so it is redacted along with the rest.
    assert.match(seen.failure, /Invocation error \(running in series\) - original error type:/);
    assert.ok(seen.logs.length > 0, 'the worker logged something');
    assertNoLeak(seen, [secret]);
  });

  it('redacts a function error that echoes its input from the failure chain, logs, query and history', async () => {
    const { card, note, payload } = secretPayload();
    const seen = await observe({ lambdaARN: 'echo-fn', payload, disablePayloadLogs: true }, 'fails');
    assertNoLeak(seen, [card, note]);
    // Still a useful error: the type and the rest of the message are kept.
    assert.match(seen.failure, /original error type: "RejectedInput"/);
    assert.match(seen.failure, /cannot process \[payload redacted\]/);
    assert.ok(seen.history.includes('RejectedInput'), 'the history scan reads the failures');
  });

  it('redacts it from the infeasible reason of a run that completes', async () => {
    const { card, note, payload } = secretPayload();
    const seen = await observe(
      { lambdaARN: 'echo-fn', payload: { ...payload, okFromMb: 256 }, disablePayloadLogs: true },
      'completes',
    );
    assertNoLeak(seen, [card, note]);
    const output = JSON.parse(seen.result) as TuningOutput;
    assert.equal(output.power, 256);
    const reason = output.results.find((r) => r.power === 128)?.infeasibleReason ?? '';
    assert.match(reason, /RejectedInput/);
    assert.match(reason, /\[payload redacted\]/);
  });

  it('redacts a pre-processor error that echoes its input', async () => {
    const { card, note, payload } = secretPayload();
    const seen = await observe(
      { lambdaARN: 'plain-fn', preProcessorARN: 'echo-pre', payload, disablePayloadLogs: true },
      'fails',
    );
    assertNoLeak(seen, [card, note]);
    assert.match(seen.failure, /PreProcessor echo-pre failed - original error type: "RejectedInput"/);
  });

  it('shows the payload in the failure, logs and history without the flag (control)', async () => {
    const secret = 'card-5500-0000-0000-0004';
    const plain = await observe(
      { lambdaARN: 'private-fn', payload: { fail: 'BoomError', card: secret } },
      'fails',
    );
    assert.ok(plain.failure.includes(secret));

    const { card, payload } = secretPayload();
    const echoed = await observe({ lambdaARN: 'echo-fn', payload }, 'fails');
    for (const where of ['failure', 'logs', 'history'] as const)
      assert.ok(echoed[where].includes(card), `the scan of ${where} would not have seen a leak`);
  });
});
