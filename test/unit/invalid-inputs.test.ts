/**
 * The corpus of invalid inputs: each entry must be rejected with an InputErrors that names
 * its field. Strings "<<repeat:c:n>>" expand to c repeated n times (keeps the file small).
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InputErrors } from '../../domain/errors.js';
import { validateInput } from '../../domain/validate.js';

interface Entry {
  why: string;
  field: string;
  input: unknown;
}

const corpus = JSON.parse(
  readFileSync(new URL('./fixtures/invalid-inputs.json', import.meta.url), 'utf8'),
) as Entry[];

function expand(value: unknown): unknown {
  if (typeof value === 'string') {
    const match = /^<<repeat:(.):(\d+)>>$/.exec(value);
    return match ? (match[1] as string).repeat(Number(match[2])) : value;
  }
  if (Array.isArray(value)) return value.map(expand);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v)]));
  }
  return value;
}

describe('invalid-inputs corpus', () => {
  it('has at least 100 entries', () => {
    assert.ok(corpus.length >= 100, String(corpus.length));
  });

  for (const [index, entry] of corpus.entries()) {
    it(`#${index} ${entry.why} → rejected naming "${entry.field}"`, () => {
      assert.throws(
        () => validateInput(expand(entry.input)),
        (error: unknown) => {
          assert.ok(error instanceof InputErrors, String(error));
          const named = error.errors.find((e) => e.field === entry.field);
          assert.ok(named, `fields named: ${error.fields.join(', ')}`);
          assert.ok(named.message.startsWith(`Invalid input "${entry.field}": `));
          assert.match(named.message, /\. Accepted: .+\.$/);
          return true;
        },
      );
    });
  }
});
