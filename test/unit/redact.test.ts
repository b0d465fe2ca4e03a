/** Redaction of payload text from error messages (disablePayloadLogs): examples. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatInvocationError,
  formatProcessorError,
  parseFunctionError,
  redactFunctionError,
} from '../../domain/invocation-error.js';
import {
  PAYLOAD_REDACTED as R,
  payloadFragments,
  payloadRedactor,
  redactPayload,
  redactValue,
} from '../../domain/redact.js';

const PAYLOAD = {
  card: 'card-4111-1111',
  nested: { note: 'he said "hello there"', pin: 987654 },
  tag: 'abc',
};
const BODY = JSON.stringify(PAYLOAD);
const redact = payloadRedactor([BODY]);

describe('payload redaction', () => {
  it('replaces the whole payload as sent, and its compact re-encoding', () => {
    assert.equal(redact(`cannot process ${BODY}!`), `cannot process ${R}!`);
    const pretty = JSON.stringify(PAYLOAD, null, 2);
    assert.equal(payloadRedactor([pretty])(`got ${BODY}`), `got ${R}`);
  });

  it('replaces string and number leaves and nested objects', () => {
    assert.equal(redact('card card-4111-1111 declined'), `card ${R} declined`);
    assert.equal(redact('pin 987654 is wrong'), `pin ${R} is wrong`);
    assert.equal(redact(`nested was ${JSON.stringify(PAYLOAD.nested)}`), `nested was ${R}`);
    assert.equal(redact('note: he said "hello there"'), `note: ${R}`);
  });

  it('finds leaves however often they were JSON-encoded', () => {
    const once = JSON.stringify({ echoed: PAYLOAD });
    const twice = JSON.stringify(once);
    const thrice = JSON.stringify({ message: twice });
    for (const text of [once, twice, thrice]) {
      const out = redact(text);
      for (const secret of ['card-4111-1111', 'hello there', '987654']) assert.ok(!out.includes(secret), out);
    }
  });

  it('finds non-ASCII leaves escaped as \\uXXXX, as Python json.dumps writes them', () => {
    const r = payloadRedactor([JSON.stringify({ name: 'Zoë Ångström' })]);
    assert.equal(r('bad name "Zo\\u00eb \\u00c5ngstr\\u00f6m"'), `bad name "${R}"`);
    assert.equal(r("{'name': 'Zoë Ångström'}"), `{'name': '${R}'}`);
  });

  it('opens strings that hold JSON, which a function may parse and echo field by field', () => {
    const body = JSON.stringify({
      body: JSON.stringify({ user: 'alice-secret', items: [{ sku: 'sku-1234' }] }),
    });
    const r = payloadRedactor([body]);
    assert.equal(r('unknown user alice-secret, item {"sku":"sku-1234"}'), `unknown user ${R}, item ${R}`);
  });

  it('leaves short pieces and JSON literals alone', () => {
    assert.equal(redact('tag abc, flag true, value null'), 'tag abc, flag true, value null');
    assert.equal(redactPayload('true is true', ['true']), 'true is true');
    assert.equal(redactPayload('null', ['null']), 'null');
    assert.deepEqual(payloadFragments('{}'), []);
  });

  it('keeps a message without payload text unchanged (the very same string)', () => {
    const message = 'RequestId: 1 Error: Runtime exited with error: signal: killed';
    assert.equal(redact(message), message);
    assert.equal(payloadRedactor([undefined])(message), message);
    assert.equal(redactPayload(message, []), message);
  });

  it('hides every body it is given, and non-JSON bodies as a whole', () => {
    const r = payloadRedactor([BODY, 'plain text body', JSON.stringify({ processed: 'by-pre-processor' })]);
    assert.equal(r('card-4111-1111 / plain text body / by-pre-processor'), `${R} / ${R} / ${R}`);
  });

  it('leaves markers of an earlier pass alone, even when the payload has their words', () => {
    const r = payloadRedactor([JSON.stringify({ a: 'payload', b: 'redacted value' })]);
    assert.equal(r(r('payload, then redacted value')), `${R}, then ${R}`);
  });

  it('takes the longest echo at each place, so one echo is one marker', () => {
    assert.equal(redact(`a ${JSON.stringify(PAYLOAD.nested)} b`), `a ${R} b`);
    assert.equal(redactPayload('xxabcdefyy', [JSON.stringify(['abcd', 'cdef', 'abcdef'])]), `xx${R}yy`);
  });

  it('survives deeply nested and large payloads', () => {
    const deep = `${'['.repeat(5000)}"deep-secret"${']'.repeat(5000)}`;
    assert.equal(redactPayload('x deep-secret y', [deep]), `x ${R} y`);
    const big = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ id: `user-${i}` })));
    const r = payloadRedactor([big]);
    assert.equal(r('no user-19999 here, nor {"id":"user-7"}'), `no ${R} here, nor ${R}`);
  });

  it('redacts every string of a value, keys included', () => {
    const trace = ['Error: card-4111-1111', { 'card-4111-1111': 'at handler', n: 1 }, null];
    assert.deepEqual(redactValue(trace, redact), [`Error: ${R}`, { [R]: 'at handler', n: 1 }, null]);
    const odd = redactValue(JSON.parse('{"__proto__": "card-4111-1111"}'), redact) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(odd), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(odd, '__proto__')?.value, R);
  });
});

describe('function errors with disablePayloadLogs', () => {
  const echo = JSON.stringify({
    errorType: 'RejectedInput',
    errorMessage: `cannot process ${BODY}`,
    trace: [`RejectedInput: cannot process ${BODY}`, '    at handler (index.mjs:3:9)'],
  });
  const error = parseFunctionError(echo, 'Unhandled');

  it('redacts the type, message and trace, and keeps the rest', () => {
    assert.deepEqual(redactFunctionError(error, redact), {
      errorType: 'RejectedInput',
      errorMessage: `cannot process ${R}`,
      trace: [`RejectedInput: cannot process ${R}`, '    at handler (index.mjs:3:9)'],
    });
    const typed = parseFunctionError(JSON.stringify({ errorType: 'card-4111-1111', errorMessage: 'x' }));
    assert.equal(redactFunctionError(typed, redact).errorType, R);
  });

  it('formats invocation and processor errors without the payload', () => {
    const invocation = formatInvocationError({
      parallel: false,
      payload: BODY,
      disablePayloadLogs: true,
      error,
    });
    assert.equal(
      invocation,
      `Invocation error (running in series) - original error type: "RejectedInput", original error message: ` +
        `"cannot process ${R}", trace: ["RejectedInput: cannot process ${R}","    at handler (index.mjs:3:9)"]`,
    );
    const processor = formatProcessorError({
      kind: 'post',
      processorArn: 'post-fn',
      payload: BODY,
      disablePayloadLogs: true,
      error,
    });
    assert.ok(processor.startsWith(`PostProcessor post-fn failed - original error type: "RejectedInput"`));
    for (const text of [invocation, processor]) assert.ok(!text.includes('card-4111-1111'), text);
  });

  it("uses the caller's redactor for bodies beyond the payload (a pre-processor's input)", () => {
    const original = JSON.stringify({ secret: 'given-by-user' });
    const message = formatInvocationError({
      parallel: true,
      payload: JSON.stringify({ processed: true }),
      disablePayloadLogs: true,
      error: parseFunctionError(JSON.stringify({ errorType: 'E', errorMessage: 'saw given-by-user' })),
      redact: payloadRedactor([original]),
    });
    assert.ok(message.includes(`"saw ${R}"`), message);
  });

  it('leaves the error as it was without the flag', () => {
    const message = formatInvocationError({
      parallel: false,
      payload: BODY,
      disablePayloadLogs: false,
      error,
    });
    assert.ok(message.includes(`with payload ${BODY}`));
    assert.ok(message.includes(`original error message: "cannot process ${BODY}"`));
  });
});
