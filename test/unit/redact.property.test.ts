/**
 * Property-based tests of payload redaction: whatever the payload and however a message quotes it,
 * no string leaf of 4+ characters survives; a message that quotes nothing comes back unchanged.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatInvocationError, parseFunctionError } from '../../domain/invocation-error.js';
import {
  MIN_REDACTED_LENGTH,
  PAYLOAD_REDACTED,
  payloadFragments,
  payloadRedactor,
} from '../../domain/redact.js';

/** String leaves of a JSON value, strings held as JSON inside strings excluded. */
function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(stringLeaves);
}

/** Every non-overlapping way a function might quote a piece of its input. */
const echoForms = (piece: string): string[] => [
  piece,
  JSON.stringify(piece),
  JSON.stringify(JSON.stringify(piece)),
  JSON.stringify({ echoed: piece }),
  `'${piece}'`,
];

/**
 * Payloads whose strings mix ordinary text with the characters that escaping changes (quotes,
 * backslashes, control and non-ASCII characters, brackets of the marker).
 */
const trickyString = fc.string({
  unit: fc.oneof(
    fc.constantFrom('a', 'b', 'c', ' ', '"', '\\', '\n', '\t', '[', ']', 'é', '€', '😀', '{', '}'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
});
const payloadValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }),
  fc.dictionary(
    fc.string({ maxLength: 4 }),
    fc.oneof(trickyString, fc.array(trickyString, { maxLength: 3 })),
    {
      maxKeys: 4,
    },
  ),
);

/** A message that quotes pieces of the payload (whole, nested parts, leaves) amid filler text. */
function quotingMessage(payload: unknown) {
  const leaves = stringLeaves(payload);
  const parts: string[] = [JSON.stringify(payload)];
  if (typeof payload === 'object' && payload !== null)
    for (const child of Object.values(payload)) parts.push(JSON.stringify(child) ?? 'null');
  return fc
    .array(
      fc.oneof(
        fc.string({ maxLength: 6 }),
        leaves.length > 0 ? fc.constantFrom(...leaves) : fc.constant(''),
        fc.constantFrom(...parts),
      ),
      { maxLength: 6 },
    )
    .chain((pieces) =>
      fc
        .tuple(...pieces.map((piece) => fc.constantFrom(...echoForms(piece))))
        .map((forms) => forms.join(' | ')),
    );
}

const withMessage = payloadValue.chain((payload) => fc.tuple(fc.constant(payload), quotingMessage(payload)));

/** The text the redactor kept from the message: everything between its markers. */
const keptText = (out: string): string[] => out.split(PAYLOAD_REDACTED);

describe('payload redaction (properties)', () => {
  it('leaves no string leaf of 4+ characters, in any of its encodings, in the kept text', () => {
    fc.assert(
      fc.property(withMessage, ([payload, message]) => {
        const out = payloadRedactor([JSON.stringify(payload)])(message);
        for (const leaf of stringLeaves(payload).filter((l) => l.length >= MIN_REDACTED_LENGTH)) {
          for (const form of [leaf, JSON.stringify(leaf).slice(1, -1)])
            for (const kept of keptText(out))
              assert.ok(!kept.includes(form), `${JSON.stringify(form)} in ${out}`);
          // Plain text leaves cannot straddle a marker: the whole output is free of them.
          if (!/[[\]]/.test(leaf) && !PAYLOAD_REDACTED.includes(leaf)) assert.ok(!out.includes(leaf));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no fragment of the payload at all in the kept text', () => {
    fc.assert(
      fc.property(withMessage, ([payload, message]) => {
        const body = JSON.stringify(payload);
        const out = payloadRedactor([body])(message);
        for (const fragment of payloadFragments(body))
          for (const kept of keptText(out)) assert.ok(!kept.includes(fragment));
      }),
      { numRuns: 300 },
    );
  });

  it('returns a message unchanged exactly when it holds no fragment of the payload', () => {
    fc.assert(
      fc.property(payloadValue, fc.string({ maxLength: 40 }), (payload, message) => {
        const body = JSON.stringify(payload);
        const holds = payloadFragments(body).some((f) => message.includes(f));
        const out = payloadRedactor([body])(message);
        if (holds) assert.notEqual(out, message);
        else assert.equal(out, message);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps function errors that echo their input free of its leaves', () => {
    fc.assert(
      fc.property(withMessage, ([payload, message]) => {
        const body = JSON.stringify(payload);
        const error = parseFunctionError(
          JSON.stringify({ errorType: 'Rejected', errorMessage: message, trace: [`Rejected: ${message}`] }),
        );
        const out = formatInvocationError({
          parallel: false,
          payload: body,
          disablePayloadLogs: true,
          error,
        });
        assert.ok(out.startsWith('Invocation error (running in series) - original error type: "Rejected"'));
        for (const leaf of stringLeaves(payload).filter((l) => l.length >= MIN_REDACTED_LENGTH))
          for (const kept of keptText(out))
            assert.ok(!kept.includes(leaf), `${JSON.stringify(leaf)} in ${out}`);
      }),
      { numRuns: 300 },
    );
  });
});
