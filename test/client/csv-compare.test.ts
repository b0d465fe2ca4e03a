import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareResults, renderComparison } from '../../client/format/compare.js';
import { CSV_COLUMNS, csvField, resultCsv } from '../../client/format/csv.js';
import { sampleOutput, stats } from './fixtures.js';

/** Minimal RFC 4180 reader for checking the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',' || c === '\n') {
      row.push(field);
      field = '';
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    } else {
      field += c;
    }
  }
  return rows;
}

void describe('CSV', () => {
  void it('quotes fields with commas, quotes or line breaks', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField(undefined), '');
    assert.equal(csvField(NaN), '');
  });

  void it('has a header and one row per power value, parseable back', () => {
    const rows = parseCsv(resultCsv(sampleOutput()));
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    assert.equal(rows.length, 5);
    const byPower = new Map(
      rows.slice(1).map((r) => [r[0], Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]]))]),
    );
    assert.equal(byPower.get('256')?.['recommended'], 'true');
    assert.equal(byPower.get('512')?.['recommended'], 'false');
    assert.equal(Number(byPower.get('1024')?.['averageCost']), 4e-6);
    assert.equal(Number(byPower.get('256')?.['p90Ms']), 960);
    assert.equal(byPower.get('128')?.['feasible'], 'false');
    assert.equal(byPower.get('128')?.['averageDurationMs'], '', 'no average for an infeasible size');
    assert.match(byPower.get('128')?.['infeasibleReason'] ?? '', /"killed", out of memory/);
  });
});

void describe('compare', () => {
  const before = sampleOutput();
  const after = sampleOutput({
    power: 512,
    results: [
      stats(128, 1500, 1.9e-6),
      stats(256, 600, 1.6e-6),
      stats(512, 300, 1.5e-6),
      stats(2048, 150, 5e-6),
    ],
  });

  void it('computes the change in duration and cost per size, and keeps sizes tested only once', () => {
    const cmp = compareResults(before, after);
    assert.deepEqual(
      cmp.sizes.map((s) => s.power),
      [128, 256, 512, 1024, 2048],
    );
    const s256 = cmp.sizes.find((s) => s.power === 256);
    assert.ok(Math.abs((s256?.durationChange ?? NaN) - (600 / 800 - 1)) < 1e-12);
    assert.ok(Math.abs((s256?.costChange ?? NaN) - (1.6 / 2.1 - 1)) < 1e-12);
    assert.equal(
      cmp.sizes.find((s) => s.power === 128)?.durationChange,
      undefined,
      'infeasible before: no change',
    );
    assert.equal(cmp.sizes.find((s) => s.power === 1024)?.after, undefined);
    assert.deepEqual(cmp.recommended, { before: 256, after: 512 });
  });

  void it('renders a table with the changes and says the recommendation moved', () => {
    const text = renderComparison(compareResults(before, after));
    assert.match(text, /Recommendation changed: 256 MB \(A\) → 512 MB \(B\)/);
    const line256 = text.split('\n').find((l) => /│\s+256(\s★\w+)? │/.test(l)) ?? '';
    assert.match(line256, /-25\.0%/);
    assert.match(line256, /-23\.8%/);
    assert.match(text.split('\n').find((l) => /│\s+2048 │/.test(l)) ?? '', /not tested/);
    assert.match(text.split('\n').find((l) => /│\s+128 │/.test(l)) ?? '', /infeasible/);
  });

  void it('warns when the two results are not comparable', () => {
    const other = sampleOutput({ functionName: 'other-fn', currency: 'CNY' });
    const cmp = compareResults(before, other);
    assert.ok(cmp.warnings.some((w) => w.includes('different functions')));
    assert.ok(cmp.warnings.some((w) => w.includes('Different currencies')));
    assert.ok(cmp.sizes.every((s) => s.costChange === undefined));
  });
});
