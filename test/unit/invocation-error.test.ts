import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_PAYLOAD_IN_MESSAGE,
  formatInvocationError,
  formatProcessorError,
  parseFunctionError,
} from '../../domain/invocation-error.js';

const ERROR_BODY = JSON.stringify({ errorType: 'Error', errorMessage: 'boom', stackTrace: ['at a', 'at b'] });

describe('parseFunctionError', () => {
  it('reads errorType, errorMessage and stackTrace', () => {
    assert.deepEqual(parseFunctionError(ERROR_BODY, 'Unhandled'), {
      errorType: 'Error',
      errorMessage: 'boom',
      trace: ['at a', 'at b'],
    });
  });

  it('falls back to the FunctionError header and the raw body', () => {
    assert.deepEqual(parseFunctionError('Task timed out', 'Unhandled'), {
      errorType: 'Unhandled',
      errorMessage: 'Task timed out',
      trace: [],
    });
    assert.deepEqual(parseFunctionError(undefined), { errorType: 'Unknown', errorMessage: '', trace: [] });
  });
});

describe('formatInvocationError', () => {
  const error = parseFunctionError(ERROR_BODY);

  it('formats like upstream, with the missing space before "trace" fixed', () => {
    assert.equal(
      formatInvocationError({ parallel: false, payload: '{"a":1}', disablePayloadLogs: false, error }),
      'Invocation error (running in series) with payload {"a":1} - original error type: "Error", ' +
        'original error message: "boom", trace: ["at a","at b"]',
    );
  });

  it('says parallel and omits the payload with disablePayloadLogs', () => {
    const message = formatInvocationError({
      parallel: true,
      payload: '{"secret":1}',
      disablePayloadLogs: true,
      error,
    });
    assert.ok(message.startsWith('Invocation error (running in parallel) - original error type: "Error"'));
    assert.ok(!message.includes('secret'));
  });

  it('shows the payload as sent, not re-encoded as a JSON string (§12.7)', () => {
    const message = formatInvocationError({
      parallel: false,
      payload: '"text"',
      disablePayloadLogs: false,
      error,
    });
    assert.ok(message.includes('with payload "text" -'));
  });

  it('cuts very long payloads', () => {
    const payload = JSON.stringify('x'.repeat(10_000));
    const message = formatInvocationError({ parallel: false, payload, disablePayloadLogs: false, error });
    assert.ok(message.length < MAX_PAYLOAD_IN_MESSAGE + 300);
    assert.ok(message.includes('…(truncated)'));
  });
});

describe('formatProcessorError', () => {
  it('names the processor and its ARN', () => {
    const error = parseFunctionError(ERROR_BODY);
    assert.equal(
      formatProcessorError({
        kind: 'pre',
        processorArn: 'pre-fn',
        payload: '1',
        disablePayloadLogs: false,
        error,
      }),
      'PreProcessor pre-fn failed with payload 1 - original error type: "Error", original error message: "boom", trace: ["at a","at b"]',
    );
    assert.ok(
      formatProcessorError({
        kind: 'post',
        processorArn: 'post-fn',
        payload: '1',
        disablePayloadLogs: true,
        error,
      }).startsWith('PostProcessor post-fn failed - original'),
    );
  });
});
