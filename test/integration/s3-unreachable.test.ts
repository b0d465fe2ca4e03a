/**
 * payloadS3 with an S3 endpoint nobody listens on: the run fails within seconds (not after minutes
 * of activity retries) with a message naming the object, the endpoint and what to check, and the
 * function is untouched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { closedPort } from '../support/closed-port.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions({}, { 's3-fn': { code: 'recorder' } });

/** Generous on purpose: it only tells a fast failure from the old 4 minutes of retries. */
const FAIL_WITHIN_MS = 60_000;

describe('payloadS3 when S3 cannot be reached', () => {
  let h: Harness;
  let endpoint: string;
  const saved = process.env.AWS_ENDPOINT_URL_S3;
  before(async () => {
    endpoint = `http://127.0.0.1:${await closedPort()}`;
    // Set before the worker makes its S3 client; `s3: false` keeps the harness from replacing it.
    process.env.AWS_ENDPOINT_URL_S3 = endpoint;
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false }, s3: false });
  });
  after(async () => {
    await h?.stop();
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_S3;
    else process.env.AWS_ENDPOINT_URL_S3 = saved;
  });

  it('fails fast with a clear, non-retryable PayloadS3Unreachable and leaves the function as it was', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 's3-fn');
    const started = Date.now();
    const handle = await h.start({
      lambdaARN: 's3-fn',
      num: 5,
      powerValues: [128, 256],
      payloadS3: 's3://tuning-payloads/events/payload.json',
    });

    let timer: NodeJS.Timeout | undefined;
    const tooLate = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the run had not failed after ${FAIL_WITHIN_MS / 1000} s`)),
        FAIL_WITHIN_MS,
      );
    });
    try {
      await assert.rejects(Promise.race([handle.result(), tooLate]), (err: unknown) => {
        assert.ok(err instanceof WorkflowFailedError, `not a workflow failure: ${String(err)}`);
        const cause = err.cause;
        assert.ok(cause instanceof ApplicationFailure, `cause: ${String(cause)}`);
        assert.equal(cause.type, 'PayloadS3Unreachable');
        assert.match(cause.message, /s3:\/\/tuning-payloads\/events\/payload\.json/);
        assert.ok(cause.message.includes(`${endpoint} (set by AWS_ENDPOINT_URL_S3)`), cause.message);
        assert.match(cause.message, /refused the connection \(ECONNREFUSED/);
        assert.match(cause.message, /Check that an S3 server is running/);
        assert.doesNotMatch(cause.message, /Error: Error/);
        return true;
      });
    } finally {
      clearTimeout(timer);
      // A run that did not fail in time must not keep retrying on a shared test server.
      await handle.terminate().catch(() => undefined);
    }
    assert.ok(Date.now() - started < FAIL_WITHIN_MS);

    // Failed before anything changed: same memory, description, versions and aliases; no invocation.
    assert.deepEqual(await functionState(lambda, 's3-fn'), before);
    assert.equal(functions.recorded('s3-fn').length, 0);
  });
});
