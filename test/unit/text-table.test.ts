import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { textTable } from '../../domain/text-table.js';

describe('textTable', () => {
  it('aligns columns two spaces apart inside a fenced block', () => {
    const table = textTable(
      ['Memory (MB)', 'Errors'],
      [
        ['128', '0'],
        ['10240', '12'],
      ],
      ['right', 'right'],
    );
    assert.equal(
      table,
      ['```text', 'Memory (MB)  Errors', '        128       0', '      10240      12', '```'].join('\n'),
    );
  });

  it('pads left-aligned cells and trims the line end', () => {
    assert.equal(textTable(['a', 'b'], [['long', 'x']]), ['```text', 'a     b', 'long  x', '```'].join('\n'));
  });
});
