/**
 * The monthly figures in the terminal summary and the HTML report: the statement leads, each
 * size's monthly cost is listed with its interval, and the recommendation and today's size are
 * marked. Outputs come from the same analysis the workflow runs (test/client/simulated.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { monthlyCaption, monthlyLines, monthlyRows } from '../../client/format/monthly.js';
import { renderResultSummary } from '../../client/format/table.js';
import { renderReport } from '../../client/report/html.js';
import type { TuningOutput } from '../../domain/types.js';
import { simulatedOutput } from './simulated.js';

/** Cost strategy on I/O-bound code: 128 MB is cheapest; the function runs at 1024 MB today. */
function withMonthly(): TuningOutput {
  return simulatedOutput({
    seed: 11,
    base: () => 120,
    currentPower: 1024,
    input: { strategy: 'cost', confidence: 0.95, invocationsPerMonth: 3_000_000 },
  });
}

void describe('monthly figures in the views', () => {
  void it('rows: every measured size with its monthly cost and interval, the choice and today marked', () => {
    const output = withMonthly();
    assert.equal(output.power, 128);
    const rows = monthlyRows(output);
    assert.deepEqual(
      rows.map((r) => r.power),
      output.monthly?.sizes.map((s) => s.power),
    );
    const chosen = rows.filter((r) => r.chosen).map((r) => r.power);
    const today = rows.filter((r) => r.today).map((r) => r.power);
    assert.deepEqual(chosen, [128]);
    assert.deepEqual(today, [1024]);
    // 3 M calls of ~120 ms at 128 MB: about 3e6 × (0.12 s × 0.125 GB × $0.0000166667 + $0.0000002) ≈ $1.35.
    const cheapest = rows.find((r) => r.power === 128);
    assert.match(cheapest?.cost ?? '', /^\$1\.[2-4]\d$/);
    assert.match(cheapest?.interval ?? '', /^\$\d+\.\d{2} to \$\d+\.\d{2}$/);
    assert.equal(monthlyCaption(output), 'Monthly cost at 3,000,000 invocations (95% intervals):');
  });

  void it('terminal: the statement comes first, the monthly rows after the recommendation', () => {
    const output = withMonthly();
    const text = renderResultSummary(output);
    const lines = text.split('\n');
    assert.equal(lines[0], output.monthly?.statement);
    assert.match(
      lines[0] ?? '',
      /^At 3,000,000 invocations a month, 128 MB saves \$\d+\.\d{2} a month against today's 1024 MB/,
    );
    const at = lines.indexOf('Monthly cost at 3,000,000 invocations (95% intervals):');
    assert.ok(at > lines.findIndex((l) => l.startsWith('Recommended:')), text);
    assert.deepEqual(
      lines.slice(at + 1, at + 1 + monthlyLines(output).length - 1),
      monthlyLines(output).slice(1),
    );
    assert.match(
      lines[at + 1] ?? '',
      /^ {2}★ +128 MB +\$1\.\d{2} +\(\$\d+\.\d{2} to \$\d+\.\d{2}\) {2}recommended$/,
    );
    assert.ok(
      lines.some((l) => /^ {4}1024 MB +\$\d+\.\d{2} .* {2}today$/.test(l)),
      text,
    );
  });

  void it('without a volume, neither view has monthly figures', () => {
    const output = simulatedOutput({
      seed: 12,
      base: () => 120,
      currentPower: 1024,
      input: { confidence: 0.95 },
    });
    assert.equal(output.monthly, undefined);
    assert.deepEqual(monthlyLines(output), []);
    assert.doesNotMatch(renderResultSummary(output), /Monthly cost|a month/);
    assert.doesNotMatch(renderReport({ output }), /id="monthly/);
  });

  void it('report: the statement in the recommendation card and a monthly table', () => {
    const output = withMonthly();
    const html = renderReport({ output });
    assert.match(
      html,
      /<p class="lead" id="monthly-statement">At 3,000,000 invocations a month, 128 MB saves/,
    );
    const table = /<table id="monthly">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    const bodyRows = table.split('<tr').slice(2);
    assert.equal(bodyRows.length, output.monthly?.sizes.length);
    assert.match(table, /<tr class="chosen"><td>★ 128<\/td><td>\$1\.\d{2}<\/td>/);
    assert.match(table, /<td>1024<\/td>.*<td>today<\/td><\/tr>/);
  });
});
