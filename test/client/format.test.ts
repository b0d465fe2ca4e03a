import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainRecommendation } from '../../client/format/recommendation.js';
import { resultRows } from '../../client/format/result-rows.js';
import { renderResultSummary, renderResultTable } from '../../client/format/table.js';
import {
  formatChange,
  formatElapsed,
  formatLevel,
  formatMoney,
  formatMs,
  formatPercent,
  formatRange,
  formatRatio,
  formatSpread,
} from '../../client/format/units.js';
import type { PowerValueStats, TuningOutput } from '../../domain/types.js';
import { sampleOutput, statisticalOutput } from './fixtures.js';
import { simulatedOutput } from './simulated.js';

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

  void it('formats intervals, shares and levels', () => {
    assert.equal(formatSpread(100, { lower: 97, upper: 103 }), '±3.0%');
    // The wider side counts: a lopsided interval is never shown narrower than it is.
    assert.equal(formatSpread(100, { lower: 99, upper: 105 }), '±5.0%');
    assert.equal(formatSpread(100, { lower: 60, upper: 140 }), '±40%');
    assert.equal(formatSpread(100, { lower: 100, upper: 100 }), '±0.0%');
    assert.equal(formatSpread(0, { lower: 0, upper: 1 }), '±?');
    assert.equal(formatRange({ lower: 119.64, upper: 127.21 }, formatMs), '119.6–127.2');
    assert.equal(formatPercent(0.2), '20%');
    assert.equal(formatPercent(0.0531), '5.3%');
    assert.equal(formatPercent(0.0025), '0.25%');
    assert.equal(formatPercent(0), '0%');
    assert.equal(formatLevel(0.95), '95%');
    assert.equal(formatLevel(0.999), '99.9%');
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

void describe('result table with statistics', () => {
  const lineOf = (table: string, power: number) =>
    table.split('\n').find((l) => new RegExp(`│\\s+(★ )?${power} │`).test(l)) ?? '';

  void it('shows each average with its interval, the standing and the error rate', () => {
    const table = renderResultTable(statisticalOutput());
    assert.ok(table.includes('│ Standing'), 'a Standing column');
    assert.match(lineOf(table, 256), /800\.0 ±3\.1%/);
    assert.match(lineOf(table, 256), /\$0\.00000210 ±3\.0%/);
    assert.match(lineOf(table, 256), /✓ chosen/);
    assert.doesNotMatch(lineOf(table, 256), /★ recommended/, 'the standing says it once');
    assert.match(lineOf(table, 512), /≈ equivalent/);
    assert.match(lineOf(table, 512), /1 failed \(10%, 95% CI 1\.8%–40%\)/);
    assert.doesNotMatch(lineOf(table, 1024), /chosen|≈|\?|failed/, 'worse: blank, no errors');
    assert.match(lineOf(table, 128), /infeasible: all 10 invocations failed/);
    assert.doesNotMatch(lineOf(table, 128), /±|\$/, 'an infeasible size has no figures');
  });

  void it('prints the statement, whether it is settled and the invocations under the table', () => {
    const summary = renderResultSummary(statisticalOutput());
    const lines = summary.split('\n');
    const after = lines.slice(lines.findIndex((l) => l.startsWith('└')));
    assert.match(after.join('\n'), /± is the half-width of the 95% confidence interval/);
    assert.ok(
      after.includes(
        'Confidence: settled (95% confidence, tolerance 5%, adaptive sampling, stopped once settled)',
      ),
    );
    assert.ok(after.includes(`  ${statisticalOutput().confidence?.statement ?? ''}`));
    assert.ok(after.includes('Statistically indistinguishable from the choice: 512 MB'));
    assert.ok(after.includes('Invocations: 37 spent / 40 grid (num × sizes)'));
    // The 5% rule of thumb gives way to the intervals.
    assert.doesNotMatch(summary, /Close call/);
  });

  void it('says when the decision is not settled, without repeating the words', () => {
    const output = statisticalOutput({
      confidence: {
        level: 0.9,
        tolerance: 0,
        policy: 'adaptive',
        settled: false,
        stop: 'budget-spent',
        statement:
          'Not settled: 256 MB is the preferred size among those not shown dearer than the best (512 MB).',
      },
    });
    const summary = renderResultSummary(output);
    assert.match(
      summary,
      /Confidence: not settled \(90% confidence, tolerance 0%, adaptive sampling, invocation budget spent\)\n {2}256 MB is the preferred size/,
    );
  });

  void it('renders outputs of older runs as before: no Standing, no ±, no statement', () => {
    const summary = renderResultSummary(sampleOutput());
    assert.doesNotMatch(summary, /Standing|±|Confidence:|Invocations:|indistinguishable/);
    assert.match(lineOfTable(summary, 256), /★ recommended/);
    assert.match(summary, /Close call: 512 MB/);
  });

  void it('renders a result made by the analysis from simulated invocations', () => {
    const output = simulatedOutput({ seed: 1, errorRate: (p) => (p === 512 ? 0.1 : 0) });
    const summary = renderResultSummary(output);
    const table = renderResultTable(output);
    for (const r of output.results) {
      assert.match(lineOf(table, r.power), /\d ±\d+(\.\d)?% .* ±\d+(\.\d)?%/, `${r.power}: both intervals`);
    }
    assert.match(lineOf(table, output.power!), /✓ chosen/);
    assert.match(lineOf(table, 512), /\d+ failed \(\d+(\.\d)?%, 95% CI [\d.]+%–[\d.]+%\)/);
    assert.ok(summary.includes(output.confidence?.statement.replace(/^Not settled: /, '').slice(1) ?? '?'));
    assert.ok(summary.includes('Invocations: 150 spent / 150 grid (num × sizes)'));
  });

  void it('explains a choice that is not the best estimate from its standing', () => {
    const restand = (output: TuningOutput, standings: Record<number, PowerValueStats['standing']>) => ({
      ...output,
      results: output.results.map((r) => ({ ...r, standing: standings[r.power] ?? r.standing })),
    });
    const equivalent = restand(statisticalOutput({ power: 512, cost: 2.15e-6, duration: 410 }), {
      256: 'best',
      512: 'equivalent',
    });
    assert.equal(
      explainRecommendation(equivalent).reasons[0],
      'Strategy "cost": 256 MB has the lowest average cost per invocation, but 512 MB is shown not to be dearer by more than 5% at 95% confidence, and is the fastest of the sizes shown so.',
    );
    const uncertain = restand(
      statisticalOutput({ strategy: 'speed', power: 512, cost: 2.15e-6, duration: 410 }),
      {
        256: 'worse',
        512: 'uncertain',
        1024: 'best',
      },
    );
    assert.equal(
      explainRecommendation(uncertain).reasons[0],
      'Strategy "speed": 1024 MB has the lowest average duration, but 512 MB could not be shown to be slower at 95% confidence, and is the cheapest of the sizes not shown slower.',
    );
    // The chosen size is the best estimate: the strategy's plain rule.
    assert.match(
      explainRecommendation(statisticalOutput()).reasons[0] ?? '',
      /^Strategy "cost": the lowest average cost/,
    );
  });
});

function lineOfTable(text: string, power: number): string {
  return text.split('\n').find((l) => new RegExp(`│\\s+(★ )?${power} │`).test(l)) ?? '';
}
