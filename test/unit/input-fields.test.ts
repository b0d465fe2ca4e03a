/** The input table (domain/input-fields.ts) against the README and the validator's order. */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InputErrors } from '../../domain/errors.js';
import { ACCEPTED_KEYS, INPUT_FIELDS } from '../../domain/input-fields.js';
import { validateInput } from '../../domain/validate.js';

/** The rows of the "Input parameters" table in domain/README.md: name and Type column. */
function readmeParameters(): { name: string; type: string }[] {
  const readme = readFileSync(new URL('../../domain/README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Input parameters'));
  assert.ok(section, 'domain/README.md has an "## Input parameters" section');
  const rows: { name: string; type: string }[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    // A parameter row: | `name` | type | default | accepted | differs |
    const name = /^`([A-Za-z0-9]+)`$/.exec(cells[1] ?? '')?.[1];
    if (name) rows.push({ name, type: cells[2] ?? '' });
  }
  return rows;
}

function fieldsOf(input: Record<string, unknown>): string[] {
  try {
    validateInput(input);
  } catch (error) {
    assert.ok(error instanceof InputErrors, String(error));
    return error.fields;
  }
  assert.fail('the input was accepted');
}

describe('input fields table', () => {
  it('has a row in the README parameter table for every field, and no other', () => {
    const documented = readmeParameters().map((row) => row.name);
    assert.ok(documented.length > 0, 'found no parameter rows in the README');
    assert.deepEqual([...documented].sort(), [...ACCEPTED_KEYS].sort());
    assert.equal(new Set(documented).size, documented.length, 'a parameter documented twice');
  });

  it('marks exactly our own fields "(ours)" in the README', () => {
    for (const { name, type } of readmeParameters()) {
      const origin = INPUT_FIELDS[name as keyof typeof INPUT_FIELDS].origin;
      assert.equal(type.includes('(ours)'), origin === 'ours', `${name}: "${type}" but origin ${origin}`);
    }
  });

  it('gives every field a flag, and each flag a distinct name', () => {
    const names = ACCEPTED_KEYS.flatMap((key) => INPUT_FIELDS[key].flags.map((flag) => flag.name));
    for (const key of ACCEPTED_KEYS) assert.ok(INPUT_FIELDS[key].flags.length > 0, `no flag for ${key}`);
    assert.equal(new Set(names).size, names.length, names.join(' '));
  });

  it('reports invalid fields in the table order, a field a reader needs just before it', () => {
    // num's reader needs dryRun, so dryRun is read (and reported) before num, not at its own row.
    assert.deepEqual(fieldsOf({ lambdaARN: 'f', num: 3, dryRun: 'yes', strategy: 'fast', maxErrorRate: 2 }), [
      'dryRun',
      'num',
      'strategy',
      'maxErrorRate',
    ]);
    // maxInvocations' reader needs num and powerValues: both are read already at its row.
    assert.deepEqual(
      fieldsOf({ lambdaARN: 'f', num: 10, confidence: 0.9, maxInvocations: 2.5, maxErrorRate: 2 }),
      ['maxInvocations', 'maxErrorRate'],
    );
  });

  it('reads a field another reader needs only once', () => {
    // dryRun is needed by num and read at its own row: one error, not two.
    assert.deepEqual(fieldsOf({ lambdaARN: 'f', num: 10, dryRun: 1 }), ['dryRun']);
  });

  it("lists every field and every flag in client/README.md's flag table", () => {
    const readme = readFileSync(new URL('../../client/README.md', import.meta.url), 'utf8');
    const table = readme
      .split('\n')
      .filter((line) => line.startsWith('| `') || line.startsWith('| first'))
      .join('\n');
    for (const key of ACCEPTED_KEYS) {
      assert.ok(table.includes(`\`${key}\``), `client/README.md: no row for ${key}`);
      for (const flag of INPUT_FIELDS[key].flags)
        assert.ok(table.includes(flag.name), `client/README.md: ${key} lacks ${flag.name}`);
    }
  });
});
