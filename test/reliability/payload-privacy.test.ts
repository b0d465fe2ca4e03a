/**
 * disablePayloadLogs: the payload appears in no worker log line, failure message or query
 * result. The control run without the flag shows the check would catch a leak.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { DefaultLogger } from '@temporalio/worker';
import { writeTestFunctions } from '../support/functions-file.js';
import { installTestLogger, startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions({}, { 'private-fn': { code: 'recorder' } });
const logLines: string[] = [];
installTestLogger(
  new DefaultLogger('DEBUG', (entry) =>
    logLines.push(`${entry.message} ${JSON.stringify(entry.meta ?? {})}`),
  ),
);

/** Every message in a failure chain, as the user would see it. */
function failureText(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    parts.push(e.message ?? '');
  }
  return parts.join('\n');
}

describe('payload privacy', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
  });
  after(async () => h?.stop());

  async function failingRun(secret: string, disablePayloadLogs: boolean) {
    logLines.length = 0;
    const handle = await h.start({
      lambdaARN: 'private-fn',
      num: 5,
      powerValues: [128, 256],
      payload: { fail: 'BoomError', card: secret },
      disablePayloadLogs,
    });
    let failure = '';
    await assert.rejects(handle.result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      failure = failureText(err);
      return true;
    });
    const progress = JSON.stringify(await handle.query('progress'));
    return { failure, progress, logs: logLines.join('\n') };
  }

  it('keeps the payload out of logs, failures and queries with disablePayloadLogs', async () => {
    const secret = 'card-4111-1111-1111-1111';
    const seen = await failingRun(secret, true);
    assert.match(seen.failure, /BoomError/);
    assert.ok(seen.logs.length > 0, 'the worker logged something');
    for (const [where, text] of Object.entries(seen))
      assert.ok(!text.includes(secret), `payload leaked into ${where}`);
  });

  it('shows the payload in the failure without it (control)', async () => {
    const secret = 'card-5500-0000-0000-0004';
    const seen = await failingRun(secret, false);
    assert.ok(seen.failure.includes(secret));
  });
});
