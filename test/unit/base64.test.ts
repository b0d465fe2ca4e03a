import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeBase64, encodeBase64, utf8ByteLength, utf8Decode, utf8Encode } from '../../domain/base64.js';

describe('base64', () => {
  it('matches Node for arbitrary bytes, both ways', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const expected = Buffer.from(bytes).toString('base64');
        assert.equal(encodeBase64(bytes), expected);
        assert.deepEqual(Buffer.from(decodeBase64(expected)), Buffer.from(bytes));
      }),
      { numRuns: 200 },
    );
  });

  it('decodes unpadded input and ignores whitespace', () => {
    assert.equal(utf8Decode(decodeBase64('aGVsbG8\n')), 'hello');
  });

  it('throws on characters outside the alphabet', () => {
    assert.throws(() => decodeBase64('ab*d'), /unexpected character/);
    assert.throws(() => decodeBase64('a'), /truncated/);
  });
});

describe('utf8', () => {
  it('matches TextEncoder/TextDecoder for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (text) => {
        const bytes = new TextEncoder().encode(text);
        assert.deepEqual(utf8Encode(text), bytes);
        assert.equal(utf8Decode(bytes), text);
        assert.equal(utf8ByteLength(text), bytes.length);
      }),
      { numRuns: 200 },
    );
  });

  it('replaces a multi-byte character cut at the start (4 KB log truncation) with U+FFFD', () => {
    const bytes = utf8Encode('é REPORT');
    assert.equal(utf8Decode(bytes.subarray(1)), '\ufffd REPORT');
  });

  it('matches TextDecoder on arbitrary (possibly malformed) bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        assert.equal(utf8Decode(bytes), new TextDecoder().decode(bytes));
      }),
      { numRuns: 300 },
    );
  });
});
