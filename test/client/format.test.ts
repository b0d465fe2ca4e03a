import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainRecommendation } from '../../client/format/recommendation.js';
import { resultRows } from '../../client/format/result-rows.js';
import { renderResultSummary, renderResultTable } from '../../client/format/table.js';
import {
  formatChange,
  formatElapsed,
  formatMoney,
  formatMs,
  formatRatio,
} from '../../client/format/units.js';
import { sampleOutput } from './fixtures.js';

void describe('number formatting', () => {
  void it('prints tiny prices without an exponent, with three significant digits', () => {
    assert.equal(formatMoney(2.1e-6), '$0.00000210');
    assert.equal(formatMoney(0.000123456), '$0.000123');
    assert.equal(formatMoney(12.5), '$12.50');
    assert.equal(formatMoney(0), '$0');
    assert.equal(formatMoney(1.42e-5, 'CNY'), '¥0.0000142');
    assert.equal(formatMoney(NaN), '-');
  });

  void it('chooses decimals for durations by size', () => {
    assert.equal(formatMs(3.14159), '3.14');
    assert.equal(formatMs(42.66), '42.7');
    assert.equal(formatMs(1234.4), '1234');
    assert.equal(formatMs(NaN), '-');
  });

  void it('formats ratios, changes and elapsed time', () => {
    assert.equal(formatRatio(1.349), '1.35×');
    assert.equal(formatChange(0.125), '+12.5%');
    assert.equal(formatChange(-0.03), '-3.0%');
    assert.equal(formatChange(0.0001), '±0.0%');
    assert.equal(formatElapsed(65_000), '1:05');
    assert.equal(formatElapsed(3_725_000), '1:02:05');
  });
});

void describe('result rows', () => {
  void it('marks the recommendation and compares every feasible size with it', () => {
    const rows = resultRows(sampleOutput());
    assert.deepEqual(
      rows.map((r) => r.power),
      [128, 256, 512, 1024],
    );
    assert.deepEqual(
      rows.filter((r) => r.recommended).map((r) => r.power),
      [256],
    );
    const r1024 = rows.find((r) => r.power === 1024);
    assert.ok(r1024?.relativeCost !== undefined && Math.abs(r1024.relativeCost - 4.0 / 2.1) < 1e-9);
    assert.ok(r1024?.relativeSpeed !== undefined && Math.abs(r1024.relativeSpeed - 800 / 220) < 1e-9);
    const r128 = rows.find((r) => r.power === 128);
    assert.equal(r128?.feasible, false);
    assert.equal(r128?.relativeCost, undefined);
  });
});

void describe('result table', () => {
  void it('has one line per size, the recommendation starred and infeasible sizes with their reason', () => {
    const table = renderResultTable(sampleOutput());
    const lines = table.split('\n');
    const line = (power: number) => lines.find((l) => new RegExp(`│\\s+(★ )?${power} │`).test(l)) ?? '';
    assert.match(line(256), /★ 256/);
    assert.match(line(256), /★ recommended/);
    assert.match(line(256), /1\.00×/);
    assert.match(line(128), /infeasible: all 10 invocations failed/);
    assert.doesNotMatch(line(128), /\$/, 'an infeasible size has no cost figure');
    assert.match(line(1024), /\$0\.00000400/);
    assert.match(line(1024), /1\.90×/);
    assert.match(line(1024), /3\.64×/);
    for (const header of [
      'Memory (MB)',
      'Avg duration (ms)',
      'p90 (ms)',
      'Avg cost / invocation',
      'Rel. cost',
      'Rel. speed',
    ]) {
      assert.ok(table.includes(header), header);
    }
  });

  void it('explains the recommendation with the close call, the infeasible sizes and what was not tested', () => {
    const summary = renderResultSummary(sampleOutput());
    assert.match(summary, /Recommended: 256 MB: \$0\.00000210 per invocation, 800\.0 ms/);
    assert.match(summary, /Close call: 512 MB is within 5% on cost/);
    assert.match(summary, /Not considered: 128 MB \(all 10 invocations failed/);
    assert.match(summary, /Only these sizes were measured: 128, 256, 512, 1024 MB/);
    assert.match(summary, /The fastest size, 1024 MB, is 3\.64× as fast and costs 1\.90× as much/);
  });

  void it('names the balanced weight when it is known', () => {
    const text = explainRecommendation(sampleOutput({ strategy: 'balanced' }), 0.3);
    assert.match(text.reasons[0] ?? '', /0\.3 × cost\/most expensive \+ \(1 − 0\.3\) × duration\/slowest/);
  });
});
